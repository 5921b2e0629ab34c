// Loaded on first use only: a cold start should read it only when RATE_LIMITS is set.
//
// One item per limit, key and fixed window (see docs/velocity-limits.md). The item holds the
// sign-ups it counted as a string set of short userName hashes, so that counting is one
// conditional UpdateItem that is also retry-safe: the condition refuses both a full window and a
// userName already counted, and only a refused update costs a second round trip (a consistent
// GetItem telling the two apart). The set is the count: `size(users)`.
import { createHash } from 'node:crypto';
import type { RateLimit, RateLimitScope } from '../../config/rate-limits.js';
import { getItem, updateItemUnless } from './dynamodb.js';

/**
 * How many userName hashes one item holds at most. Each is 11 characters, so a full item is about
 * 12 KB, far below DynamoDB's 400 KB, and an update of it costs at most 12 write units (DynamoDB
 * charges by the item's size). A limit above this is split over ceil(limit / capacity) items, each
 * allowed its share: a userName always lands in the same one, so retries stay safe, and the total
 * never exceeds the limit, but a sign-up may be refused when its item is full while the others are
 * not (near the end of a busy window, with a limit above 1,000).
 */
const ITEM_CAPACITY = 1000;
/** Under DRY_RUN an item counts past its share, up to this many sign-ups beyond it. */
const DRY_RUN_EXTRA = 1000;
/** Items are kept this long after their window ends (DynamoDB's TTL deletes them later still). */
const TTL_MARGIN_SECONDS = 3600;
// Enough that two userNames of one pool sharing a hash in one window is out of reach (2^-64 a pair).
const HASH_BYTES = 8;

/** What a sign-up is counted by. A limit whose key is absent (no phone number…) does not apply. */
// ts-unused-exports:disable-next-line
export interface RateLimitKeys {
  readonly emailDomain?: string | undefined;
  readonly phoneCountry?: string | undefined;
  readonly clientId?: string | undefined;
  readonly pool: string;
}

/** The item a sign-up is counted in for one limit: its key and its share of the limit. */
interface RateLimitItem {
  readonly pk: string;
  readonly share: number;
  readonly expiresAt: number;
}

/**
 * The item a sign-up is counted in for this limit, or undefined when the limit does not apply
 * (its key is absent). `pk` is `SCOPE#KEY#WINDOW#START`, with `#SHARD` after it for a limit
 * split over several items: `email-domain#example.com#h#1767225600`.
 */
function rateLimitItemOf(
  limit: RateLimit,
  keys: RateLimitKeys,
  userHash: Buffer,
  nowSeconds: number,
): RateLimitItem | undefined {
  const key = keyOf(limit.scope, keys);
  if (key === undefined || key === '') return undefined;
  const start = Math.floor(nowSeconds / limit.windowSeconds) * limit.windowSeconds;
  const items = Math.ceil(limit.limit / ITEM_CAPACITY);
  const shard = items === 1 ? 0 : userHash.readUInt32BE(HASH_BYTES) % items;
  // Shares differ by at most one and add up to the limit.
  const share = Math.floor(limit.limit / items) + (shard < limit.limit % items ? 1 : 0);
  // '#' separates the parts; no valid key holds one, but an odd one must not pass for another.
  const safeKey = key.replace(/[%#]/g, encodeURIComponent);
  const pk = `${limit.scope}#${safeKey}#${limit.window}#${String(start)}${items === 1 ? '' : `#${String(shard)}`}`;
  return { pk, share, expiresAt: start + limit.windowSeconds + TTL_MARGIN_SECONDS };
}

function keyOf(scope: RateLimitScope, keys: RateLimitKeys): string | undefined {
  switch (scope) {
    case 'email-domain':
      return keys.emailDomain;
    case 'phone-country':
      return keys.phoneCountry;
    case 'client':
      return keys.clientId;
    case 'pool':
      return keys.pool;
  }
}

/**
 * A sign-up's identity in the counts: a hash of its pool and userName (the pool, because one table
 * may serve several pools). Its first 8 bytes, in base64url, are what an item stores; the bytes
 * after them choose the item of a split limit.
 */
function userHashOf(pool: string, userName: string): Buffer {
  return createHash('sha256').update(`${pool}\n${userName}`).digest();
}

/**
 * Counts one sign-up against every limit that applies, from the narrowest scope to the widest (see
 * SCOPE_STAGES), and says which limit it exceeds, if any: the first, in the order given, of the
 * scope where it went over; wider scopes are not counted. A userName already counted in a window
 * is not counted again, and gets the answer it got the first time: a retry of a sign-up that
 * passed passes.
 *
 * A sign-up over any limit is counted in none (SEAMS: one limit × the others): the counts it took
 * in the narrower scopes it passed (or in another limit of the same scope) are taken back. Until
 * then (one round trip) those counts are higher by the sign-ups in flight, which only narrower
 * scopes' floods can cause. A count that could not be taken back (the table failed) stays, and
 * `uncountFailed` says so for the log.
 *
 * Under DRY_RUN, or with RATE_LIMITS log-only (`dryRun`: a sign-up over a limit is let through),
 * sign-ups are counted as ever, because they go on to be created: a sign-up over a limit is counted too (apart, up to 1,000 beyond the limit's share), stays counted
 * in the others, and is still named as exceeding it so that the caller can log what would have
 * been refused.
 *
 * Rejects with what the table answered: ResourceNotFoundException (no such table),
 * ValidationException (not the key schema `pk` string) and AccessDeniedException are permanent;
 * throttling and 5xx are transient.
 */
// Used through import(), which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function countSignUp(
  table: string,
  limits: readonly RateLimit[],
  keys: RateLimitKeys,
  userName: string,
  nowSeconds: number,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<{ readonly exceeded: RateLimit | undefined; readonly uncountFailed?: boolean }> {
  const hash = userHashOf(keys.pool, userName);
  const user = hash.subarray(0, HASH_BYTES).toString('base64url');
  const taken: RateLimitItem[] = [];
  let dryRunExceeded: RateLimit | undefined;
  for (const stage of SCOPE_STAGES) {
    const staged = limits.filter((limit) => stage.includes(limit.scope));
    const items = staged.map((limit) => rateLimitItemOf(limit, keys, hash, nowSeconds));
    const counts = await Promise.all(
      items.map((item) =>
        item === undefined ? Promise.resolve(undefined) : countIn(table, item, user, dryRun, signal),
      ),
    );
    items.forEach((item, index) => {
      if (item !== undefined && counts[index] === 'counted') taken.push(item);
    });
    const over = counts.indexOf('over');
    if (over < 0) continue;
    // A dry run lets the sign-up through, and Cognito creates it: every limit counts it.
    if (dryRun) {
      dryRunExceeded ??= staged[over];
      continue;
    }
    const takenBack = await Promise.allSettled(taken.map((item) => uncount(table, item, user, signal)));
    return { exceeded: staged[over], uncountFailed: takenBack.some((result) => result.status === 'rejected') };
  }
  return { exceeded: dryRunExceeded };
}

/**
 * The order limits are counted in, narrowest scope first, one scope at a time: a sign-up over its
 * domain's limit never touches its country's, app client's or pool's count, so a flood at one
 * domain, however concurrent, cannot fill a wider limit for a moment and refuse others (attacker's
 * reviews, #29). A sign-up under every limit costs one round trip per scope it has a limit in.
 */
const SCOPE_STAGES: readonly (readonly RateLimitScope[])[] = [
  ['email-domain'],
  ['phone-country'],
  ['client'],
  ['pool'],
];

/**
 * What counting did in one item: `counted` the sign-up now, found it `already` counted (a retry),
 * or found the item's share full (`over`; under DRY_RUN counted apart all the same).
 */
type Count = 'counted' | 'already' | 'over';

/** Counts the sign-up in one item. */
async function countIn(
  table: string,
  item: RateLimitItem,
  user: string,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<Count> {
  const key = { pk: { S: item.pk } };
  const values = { ':u': { SS: [user] }, ':exp': { N: String(item.expiresAt) } };
  // `NOT contains(…)` holds when the set does not exist yet, as on a window's first sign-up.
  const counted = await updateItemUnless(
    table,
    {
      Key: key,
      UpdateExpression: 'SET expiresAt = :exp ADD #users :u',
      ConditionExpression: 'NOT contains(#users, :user) AND (attribute_not_exists(#users) OR size(#users) < :share)',
      ExpressionAttributeNames: { '#users': 'users' },
      ExpressionAttributeValues: { ...values, ':user': { S: user }, ':share': { N: String(item.share) } },
    },
    signal,
  );
  if (counted) return 'counted';
  if (dryRun) {
    const countedOver = await updateItemUnless(
      table,
      {
        Key: key,
        UpdateExpression: 'SET expiresAt = :exp ADD #over :u',
        ConditionExpression:
          'NOT contains(#users, :user) AND NOT contains(#over, :user) AND (attribute_not_exists(#over) OR size(#over) < :extra)',
        ExpressionAttributeNames: { '#users': 'users', '#over': 'over' },
        ExpressionAttributeValues: { ...values, ':user': { S: user }, ':extra': { N: String(DRY_RUN_EXTRA) } },
      },
      signal,
    );
    if (countedOver) return 'over';
  }
  // Refused: either the window is full, or this userName was counted before (a retry, or the same
  // sign-up arriving twice at once). A consistent read tells which; counts only grow in a window.
  const stored = await getItem(
    table,
    { Key: key, ProjectionExpression: '#users', ExpressionAttributeNames: { '#users': 'users' } },
    signal,
  );
  const users = stored?.users?.SS;
  return Array.isArray(users) && users.includes(user) ? 'already' : 'over';
}

/** Takes back a count this sign-up took in one item (only ever one it took itself, just now). */
async function uncount(table: string, item: RateLimitItem, user: string, signal: AbortSignal): Promise<void> {
  await updateItemUnless(
    table,
    {
      Key: { pk: { S: item.pk } },
      UpdateExpression: 'DELETE #users :u',
      ConditionExpression: 'contains(#users, :user)',
      ExpressionAttributeNames: { '#users': 'users' },
      ExpressionAttributeValues: { ':u': { SS: [user] }, ':user': { S: user } },
    },
    signal,
  );
}
