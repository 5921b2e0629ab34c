// `npm run invite -- --email a@example.com [--days 7]`: prints one signed invitation code alone on
// stdout, signed with INVITE_SECRET from the environment (the same secret the function has).
// `npm run invite -- --table invites --email a@example.com [--code CODE] [--max-uses N]`: writes an
// invitation row to INVITE_TABLE's table instead (docs/invitations.md).
// `npm run invite -- --table invites --from-waitlist waitlist --count N [--days 7]`: invites the N
// oldest of WAITLIST_TABLE's table and prints their addresses (docs/waitlist.md).
import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { MIN_INVITE_SECRET_LENGTH } from '../src/model/limits.js';
import { createInvitationCode } from '../src/look-up/lazy/invitation-signature.js';
import { MAX_INVITATION_USES } from '../src/look-up/lazy/invitation-table.js';
import { asciiLowerCase } from '../src/read/email-address.js';
import { parseCommandLine, required, runTool, UsageError } from './cli.js';
import { inviteFromWaitlist, unreadInvitationsProblem } from './invite-from-waitlist.js';

/** The most one run invites from the waitlist: a batch a person can still look over. */
const MAX_FROM_WAITLIST = 10_000;
const USAGE =
  'INVITE_SECRET=... npm run invite -- --email a@example.com [--days 7]\n' +
  '   or: npm run invite -- --table NAME --email a@example.com [--code CODE] [--days 7 | --no-expiry] [--max-uses N]\n' +
  '   or: npm run invite -- --table NAME --from-waitlist WAITLIST --count N [--days 7]';
const HELP = `With INVITE_SECRET (the function's secret), prints one signed invitation code alone on stdout, for
that email address (in any letter case), valid for --days days.

With --table, writes an invitation row to that DynamoDB table (the function's INVITE_TABLE) instead,
with the AWS credentials and region of the environment (AWS_ENDPOINT_URL_DYNAMODB reaches a local
table). A row with --code admits that code; a row without one admits the address alone, under
INVITE_MATCH=email or code-or-email (managed-login and federated sign-ups, which cannot carry a
code). A row already there for the address is replaced, uses and all. With --code, the code is
printed alone on stdout; what was written is said on stderr.

With --from-waitlist, invites the --count people who have waited longest (by firstAt) in that table
(the function's WAITLIST_TABLE): for each, an invitation row by email in --table (read with
INVITE_MATCH=email or code-or-email), then its waitlist row removed. Their addresses are printed one
per line on stdout, each once its invitation row is written; telling them is the app's job
(docs/waitlist.md shows one way).

  --email ADDRESS   who may sign up with it
  --days N          how long it stays valid, 1 to 3650 (default 7)
  --table NAME      write a row to this table instead of printing a signed code
  --code CODE       the row's code (1 to 256 letters, digits, - and _); none: an invitation by email
  --no-expiry       the row never expires (no expiresAt)
  --max-uses N      how many userNames may sign up with the row, 1 to ${String(MAX_INVITATION_USES)} (default: no limit)
  --from-waitlist NAME  invite from this waitlist table instead of --email (with --table and --count)
  --count N         how many to invite from the waitlist, 1 to ${String(MAX_FROM_WAITLIST)}
  -h, --help        print this and do nothing else`;
const SECONDS_PER_DAY = 86_400;
const CODE = /^[A-Za-z0-9_-]{1,256}$/;

await runTool('invite', async () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      email: { type: 'string' },
      days: { type: 'string' },
      table: { type: 'string' },
      code: { type: 'string' },
      'no-expiry': { type: 'boolean' },
      'max-uses': { type: 'string' },
      'from-waitlist': { type: 'string' },
      count: { type: 'string' },
    },
    USAGE,
    HELP,
  );
  if (values['from-waitlist'] !== undefined || values.count !== undefined) return fromWaitlist(values);
  const email = required(values.email, '--email', USAGE);
  if (!email.includes('@')) throw new UsageError(`--email must be an email address, not ${JSON.stringify(email)}.`);
  const daysText = values.days ?? '7';
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > 3650) {
    throw new UsageError(`--days must be a whole number from 1 to 3650, not ${JSON.stringify(daysText)}.`);
  }
  const expiresAt = Math.floor(Date.now() / 1000) + days * SECONDS_PER_DAY;
  if (values.table === undefined) {
    for (const option of ['code', 'no-expiry', 'max-uses'] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} is for table rows: give --table too.`);
    }
    return printSignedCode(email, expiresAt);
  }
  if (email.trim() !== email) {
    throw new UsageError(
      `--email must be an email address without white space around it, not ${JSON.stringify(email)}.`,
    );
  }
  if (values['no-expiry'] === true && values.days !== undefined) {
    throw new UsageError('--days and --no-expiry contradict each other: give one.');
  }
  const code = values.code?.trim();
  if (code !== undefined && !CODE.test(code)) {
    throw new UsageError('--code must be 1 to 256 letters, digits, - and _.');
  }
  const maxUsesText = values['max-uses'];
  const maxUses = maxUsesText === undefined ? undefined : Number(maxUsesText);
  if (maxUses !== undefined && (!/^\d+$/.test(maxUsesText ?? '') || maxUses < 1 || maxUses > MAX_INVITATION_USES)) {
    throw new UsageError(
      `--max-uses must be a whole number from 1 to ${String(MAX_INVITATION_USES)}, not ${JSON.stringify(maxUsesText)}.`,
    );
  }
  const row: Record<string, AttributeValue> = { email: { S: asciiLowerCase(email) } };
  if (code !== undefined) row.code = { S: code };
  if (values['no-expiry'] !== true) row.expiresAt = { N: String(expiresAt) };
  if (maxUses !== undefined) row.maxUses = { N: String(maxUses) };
  const dynamo = new DynamoDBClient({});
  try {
    await dynamo.send(new PutItemCommand({ TableName: values.table, Item: row }));
  } finally {
    dynamo.destroy();
  }
  const until = values['no-expiry'] === true ? 'with no expiry' : `until ${new Date(expiresAt * 1000).toISOString()}`;
  const uses = maxUses === undefined ? 'any number of uses' : `${String(maxUses)} use(s)`;
  const by = code === undefined ? 'by email (read with INVITE_MATCH=email or code-or-email)' : 'with a code';
  console.error(`Wrote to ${values.table} an invitation for ${asciiLowerCase(email)} ${by}, ${until}, ${uses}.`);
  if (code !== undefined) process.stdout.write(`${code}\n`);
  return 0;
});

async function fromWaitlist(values: {
  readonly table?: string | undefined;
  readonly 'from-waitlist'?: string | undefined;
  readonly count?: string | undefined;
  readonly days?: string | undefined;
  readonly email?: string | undefined;
  readonly code?: string | undefined;
  readonly 'no-expiry'?: boolean | undefined;
  readonly 'max-uses'?: string | undefined;
}): Promise<number> {
  const waitlist = required(values['from-waitlist'], '--from-waitlist', USAGE);
  const table = required(values.table, '--table', USAGE);
  const countText = required(values.count, '--count', USAGE);
  for (const option of ['email', 'code', 'no-expiry', 'max-uses'] as const) {
    if (values[option] !== undefined) {
      throw new UsageError(`--${option} is not for --from-waitlist: the waitlist says whom to invite.`);
    }
  }
  const count = Number(countText);
  if (!/^\d+$/.test(countText) || count < 1 || count > MAX_FROM_WAITLIST) {
    throw new UsageError(
      `--count must be a whole number from 1 to ${String(MAX_FROM_WAITLIST)}, not ${JSON.stringify(countText)}.`,
    );
  }
  if (table === waitlist) throw new UsageError('--table and --from-waitlist must be two tables.');
  const unread = unreadInvitationsProblem(process.env, table);
  if (unread !== undefined) throw new UsageError(`Nobody was invited: ${unread}`);
  const daysText = values.days ?? '7';
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > 3650) {
    throw new UsageError(`--days must be a whole number from 1 to 3650, not ${JSON.stringify(daysText)}.`);
  }
  const expiresAt = Math.floor(Date.now() / 1000) + days * SECONDS_PER_DAY;
  const dynamo = new DynamoDBClient({});
  try {
    const { invited, waiting, kept } = await inviteFromWaitlist(
      dynamo,
      { invitations: table, waitlist, count, expiresAt },
      // Each address is out (flushed to stdout) before the next row is touched.
      (address) =>
        new Promise<void>((resolve, reject) => {
          process.stdout.write(`${address}\n`, (error) =>
            error === null || error === undefined ? resolve() : reject(error),
          );
        }),
    );
    const until = new Date(expiresAt * 1000).toISOString();
    console.error(
      `Invited ${String(invited)} from ${waitlist} by email in ${table}, until ${until}; ${String(waiting)} still waiting.` +
        (kept === 0 ? '' : ` ${String(kept)} changed while being invited and stayed on the list as well.`),
    );
  } finally {
    dynamo.destroy();
  }
  return 0;
}

function printSignedCode(email: string, expiresAt: number): number {
  const secret = process.env.INVITE_SECRET?.trim() ?? '';
  if (secret.length < MIN_INVITE_SECRET_LENGTH) {
    throw new UsageError(
      `INVITE_SECRET must be set to the function's secret (at least ${MIN_INVITE_SECRET_LENGTH} characters).`,
    );
  }
  process.stdout.write(`${createInvitationCode(secret, email, expiresAt)}\n`);
  return 0;
}
