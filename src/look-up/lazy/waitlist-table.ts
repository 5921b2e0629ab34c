// Loaded on first use only: a cold start should read it only when WAITLIST_TABLE is set.
//
// One row per address (docs/waitlist.md), written by one UpdateItem that is atomic whatever runs
// beside it: ten sign-ups of one address at once make one row, counted ten times.
import { createHash } from 'node:crypto';
import { updateItemUnless } from './dynamodb.js';

const SECONDS_PER_DAY = 86_400;
// Enough that two sign-ups of one address sharing a hash is out of reach (2^-64 a pair).
const HASH_BYTES = 8;

/** What the waitlist records of one uninvited sign-up. */
// ts-unused-exports:disable-next-line
export interface WaitlistSignUp {
  /** The row's key: the address as BLOCKED_EMAILS compares it (blockKeyOf), so that variants share a row. */
  readonly address: string;
  /**
   * The address as typed, A-Z lowercased: what an invitation row for this person is keyed by. The row
   * keeps the first one typed: a later variant (someone else's `+tag`) never changes whom it names.
   */
  readonly email: string;
  readonly clientId: string | undefined;
  /** The sign-up (signUpIdentityOf: its pool and userName); undefined for a hand-made event. */
  readonly signUp: string | undefined;
}

/**
 * Records an uninvited sign-up on the waitlist, in one conditional UpdateItem on the row `pk` =
 * `address`: `firstAt` and `email` are set once (if_not_exists: the first address typed is the one
 * invited, so that anyone who knows an address cannot change it to a variant, have the variant
 * invited, and leave its owner waiting again), `lastAt`, `clientId` and `expiresAt`
 * (`days` after now, for DynamoDB's TTL) each time, and `signUps` counts the sign-ups. The row keeps
 * a hash of the last sign-up (`lastSignUp`, never the userName), and the condition refuses the same
 * sign-up again: a retry of a timed-out invocation changes nothing and answers `retry`. Only the
 * last sign-up is kept, so that the row does not grow: a retry that comes after another sign-up of
 * the same address is counted again (one row and one answer all the same).
 *
 * Rejects with what the table answered: ResourceNotFoundException (no such table),
 * ValidationException (not the key schema `pk` string) and AccessDeniedException are permanent;
 * throttling and 5xx are transient.
 */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function recordOnWaitlist(
  table: string,
  entry: WaitlistSignUp,
  nowSeconds: number,
  days: number,
  signal: AbortSignal,
): Promise<'recorded' | 'retry'> {
  const signUp = entry.signUp === undefined ? undefined : hashOf(entry.signUp);
  const sets = [
    '#firstAt = if_not_exists(#firstAt, :now)',
    '#lastAt = :now',
    '#email = if_not_exists(#email, :email)',
    '#expiresAt = :expiresAt',
    ...(entry.clientId === undefined ? [] : ['#clientId = :clientId']),
    ...(signUp === undefined ? [] : ['#lastSignUp = :signUp']),
  ];
  const made = await updateItemUnless(
    table,
    {
      Key: { pk: { S: entry.address } },
      UpdateExpression: `SET ${sets.join(', ')} ADD #signUps :one`,
      // The row's last sign-up is this one: a retry, already recorded.
      ConditionExpression:
        signUp === undefined ? undefined : 'attribute_not_exists(#lastSignUp) OR #lastSignUp <> :signUp',
      ExpressionAttributeNames: {
        '#firstAt': 'firstAt',
        '#lastAt': 'lastAt',
        '#email': 'email',
        '#expiresAt': 'expiresAt',
        '#signUps': 'signUps',
        ...(entry.clientId === undefined ? {} : { '#clientId': 'clientId' }),
        ...(signUp === undefined ? {} : { '#lastSignUp': 'lastSignUp' }),
      },
      ExpressionAttributeValues: {
        ':now': { N: String(nowSeconds) },
        ':email': { S: entry.email },
        ':expiresAt': { N: String(nowSeconds + days * SECONDS_PER_DAY) },
        ':one': { N: '1' },
        ...(entry.clientId === undefined ? {} : { ':clientId': { S: entry.clientId } }),
        ...(signUp === undefined ? {} : { ':signUp': { S: signUp } }),
      },
    },
    signal,
  );
  return made ? 'recorded' : 'retry';
}

function hashOf(signUp: string): string {
  return createHash('sha256').update(signUp).digest().subarray(0, HASH_BYTES).toString('base64url');
}
