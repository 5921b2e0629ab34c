// `npm run invite -- --table INV --from-waitlist WL --count N [--days D]`: invites the N people who
// have waited longest (docs/waitlist.md).
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import { asciiLowerCase } from '../src/read/email-address.js';

/** One row of the waitlist, as far as inviting it needs. */
interface Waiting {
  readonly pk: string;
  /** The address first typed (A-Z lowercased): what the invitation row is keyed by. */
  readonly email: string;
  /** The row's `email` as stored (the delete's condition), or undefined for a row without one. */
  readonly storedEmail: string | undefined;
  readonly firstAt: number;
}

/** The rows of the waitlist, oldest first (by `firstAt`, then by address). */
async function waitingOldestFirst(dynamo: DynamoDBClient, table: string): Promise<Waiting[]> {
  const rows: Waiting[] = [];
  const pages = paginateScan(
    { client: dynamo },
    {
      TableName: table,
      ProjectionExpression: '#pk, #email, #firstAt',
      ExpressionAttributeNames: { '#pk': 'pk', '#email': 'email', '#firstAt': 'firstAt' },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const row = waitingOf(item);
      if (row !== undefined) rows.push(row);
    }
  }
  return rows.sort((a, b) => a.firstAt - b.firstAt || (a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0));
}

/** A row the function wrote, or undefined for anything else in the table (never invited). */
function waitingOf(item: Record<string, AttributeValue>): Waiting | undefined {
  const pk = item.pk?.S;
  const firstAt = Number(item.firstAt?.N);
  if (pk === undefined || !pk.includes('@') || !Number.isSafeInteger(firstAt)) return undefined;
  // A row from before `email` was kept, or written by hand: its key is an address too.
  const storedEmail = item.email?.S;
  return { pk, email: asciiLowerCase(storedEmail ?? pk), storedEmail, firstAt };
}

/**
 * Invites the `count` oldest rows of `waitlist`: for each, an invitation row by email (no code) in
 * `invitations`, expiring at `expiresAt`, then the waitlist row removed, on the condition that it
 * is still what was invited: its `firstAt` and its `email` as read (a row deleted by its TTL and made
 * again meanwhile, by another spelling, is a new wait, and stays). Each address is written to `print` once its invitation row is written, so that an
 * address printed is always invited, whatever fails after. Returns how many were invited, and the
 * addresses left on the list because their row changed.
 */
export async function inviteFromWaitlist(
  dynamo: DynamoDBClient,
  {
    invitations,
    waitlist,
    count,
    expiresAt,
  }: {
    readonly invitations: string;
    readonly waitlist: string;
    readonly count: number;
    readonly expiresAt: number;
  },
  print: (address: string) => void | Promise<void>,
): Promise<{ readonly invited: number; readonly waiting: number; readonly kept: number }> {
  const rows = await waitingOldestFirst(dynamo, waitlist);
  const chosen = rows.slice(0, count);
  let kept = 0;
  for (const row of chosen) {
    await dynamo.send(
      new PutItemCommand({
        TableName: invitations,
        Item: { email: { S: row.email }, expiresAt: { N: String(expiresAt) } },
      }),
    );
    await print(row.email);
    try {
      await dynamo.send(
        new DeleteItemCommand({
          TableName: waitlist,
          Key: { pk: { S: row.pk } },
          ConditionExpression: `#firstAt = :firstAt AND ${row.storedEmail === undefined ? 'attribute_not_exists(#email)' : '#email = :email'}`,
          ExpressionAttributeNames: { '#firstAt': 'firstAt', '#email': 'email' },
          ExpressionAttributeValues: {
            ':firstAt': { N: String(row.firstAt) },
            ...(row.storedEmail === undefined ? {} : { ':email': { S: row.storedEmail } }),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      kept++;
    }
  }
  return { invited: chosen.length, waiting: rows.length - chosen.length, kept };
}

/**
 * Why the function whose settings are in this shell's environment (when they are: an env file
 * sourced to make codes, say) would not read the invitations written to `table`; undefined when
 * nothing says so. Inviting then would delete the rows of people who stay WAITLISTED.
 */
export function unreadInvitationsProblem(env: NodeJS.ProcessEnv, table: string): string | undefined {
  const set = (name: string) => (env[name]?.trim() ?? '') !== '';
  if (set('INVITE_SECRET') || set('INVITE_SECRET_PARAMETER')) {
    return 'INVITE_SECRET or INVITE_SECRET_PARAMETER is set here: a function with signed codes reads no INVITE_TABLE, so the people invited by email would stay WAITLISTED. Invite them with codes (--email ADDRESS), or unset it if the function reads --table.';
  }
  const inviteTable = env.INVITE_TABLE?.trim() ?? '';
  if (inviteTable !== '' && inviteTable !== table) {
    return `INVITE_TABLE is ${JSON.stringify(inviteTable)} here, not --table ${JSON.stringify(table)}: the function would not read these invitations.`;
  }
  if (inviteTable !== '' && (env.INVITE_MATCH?.trim().toLowerCase() ?? 'code') === 'code') {
    return 'INVITE_MATCH is code here (the default): the function would not read invitations by email. Set INVITE_MATCH=code-or-email.';
  }
  return undefined;
}
