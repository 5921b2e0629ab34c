// `npm run invite -- --email a@example.com [--days 7]`: prints one signed invitation code alone on
// stdout, signed with INVITE_SECRET from the environment (the same secret the function has).
// `npm run invite -- --table invites --email a@example.com [--code CODE] [--max-uses N]`: writes an
// invitation row to INVITE_TABLE's table instead (docs/invitations.md).
import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { MIN_INVITE_SECRET_LENGTH } from '../src/model/limits.js';
import { createInvitationCode } from '../src/look-up/lazy/invitation-signature.js';
import { MAX_INVITATION_USES } from '../src/look-up/lazy/invitation-table.js';
import { asciiLowerCase } from '../src/read/email-address.js';
import { parseCommandLine, required, runTool, UsageError } from './cli.js';

const USAGE =
  'INVITE_SECRET=... npm run invite -- --email a@example.com [--days 7]\n' +
  '   or: npm run invite -- --table NAME --email a@example.com [--code CODE] [--days 7 | --no-expiry] [--max-uses N]';
const HELP = `With INVITE_SECRET (the function's secret), prints one signed invitation code alone on stdout, for
that email address (in any letter case), valid for --days days.

With --table, writes an invitation row to that DynamoDB table (the function's INVITE_TABLE) instead,
with the AWS credentials and region of the environment (AWS_ENDPOINT_URL_DYNAMODB reaches a local
table). A row with --code admits that code; a row without one admits the address alone, under
INVITE_MATCH=email or code-or-email (managed-login and federated sign-ups, which cannot carry a
code). A row already there for the address is replaced, uses and all. With --code, the code is
printed alone on stdout; what was written is said on stderr.

  --email ADDRESS   who may sign up with it
  --days N          how long it stays valid, 1 to 3650 (default 7)
  --table NAME      write a row to this table instead of printing a signed code
  --code CODE       the row's code (1 to 256 letters, digits, - and _); none: an invitation by email
  --no-expiry       the row never expires (no expiresAt)
  --max-uses N      how many userNames may sign up with the row, 1 to ${String(MAX_INVITATION_USES)} (default: no limit)
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
    },
    USAGE,
    HELP,
  );
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
