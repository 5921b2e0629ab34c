// Loaded on first use only: a cold start should read it only when INVITE_TABLE is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import { asciiLowerCase } from '../../read/email-address.js';
import { AwsServiceError, type AwsJsonService, callAwsJson } from './aws-json-client.js';

// AWS_ENDPOINT_URL_DYNAMODB reaches an emulator, as it does for the AWS SDK.
const DYNAMODB: AwsJsonService = {
  signingName: 'dynamodb',
  endpointVariable: 'DYNAMODB',
  contentType: 'application/x-amz-json-1.0',
  targetPrefix: 'DynamoDB_20120810',
};

/** A DynamoDB attribute value, as far as an invitation row uses it. */
interface AttributeValue {
  readonly S?: unknown;
  readonly N?: unknown;
  readonly SS?: unknown;
}
type Row = Record<string, AttributeValue | undefined>;

// Epoch seconds reach 10^11 in the year 5138; anything above is a time in milliseconds by mistake.
const MAX_EPOCH_SECONDS = 1e11;
const WHOLE_NUMBER = /^[0-9]{1,12}$/;
/**
 * The most uses a row may allow. Each use keeps the userName (up to 128 characters) in the row, and
 * DynamoDB items hold at most 400 KB: 1,000 uses stay well inside it. More people than that are
 * better invited by a code each, or by email.
 */
export const MAX_INVITATION_USES = 1000;
// A use races only with other uses of the same row. Each refused update means the row changed, as a
// rule because another use was recorded: after maxUses + 1 tries every contender has its answer.
const MAX_USE_ATTEMPTS = 10;

/** What an invitation is matched by: a code (the default), the email address alone, or either. */
// ts-unused-exports:disable-next-line
export type InvitationMatch = 'code' | 'email' | 'code-or-email';

/** How to check a row: what admits, and who is signing up (recorded when the row has `maxUses`). */
// ts-unused-exports:disable-next-line
export interface InvitationOptions {
  readonly match: InvitationMatch;
  /** The sign-up's userName: a use of a row with `maxUses` is recorded under it, so that a retry passes. */
  readonly userName: string | undefined;
}

/**
 * Whether an invitation row admitted the sign-up: true, false, or `used` when the row's uses were
 * all spent by other userNames (INVITE_USED); with a warning (never the email) for a malformed row.
 */
// ts-unused-exports:disable-next-line
export interface InvitationCheck {
  readonly value: boolean | 'used';
  readonly warning?: string | undefined;
}

/**
 * Whether the table holds an invitation for this email, valid now. The row's partition key `email`
 * is the email with A-Z lowercased (and nothing else folded); `expiresAt`, when present, is a
 * number (N) of epoch seconds, the same as a TTL attribute. A consistent read, so an invitation
 * written a moment ago is seen.
 *
 * - A row with a string (S) `code` admits that code, compared in constant time (match `code`, the
 *   default, or `code-or-email`).
 * - A row without `code` admits the address without one (match `email` or `code-or-email`): the
 *   way to invite managed-login and federated sign-ups, which cannot carry a code.
 * - A row with `maxUses` (a number, 1 to 1,000) admits that many userNames: each use is a
 *   conditional UpdateItem adding the userName to the row's string set `usedBy`. A userName
 *   already in it passes again without spending (a retried sign-up); another, once the uses are
 *   spent, gets `used`. Without a userName such a row cannot be spent safely, and admits nobody.
 *   A row without `maxUses` is never written: GetItem is all it takes.
 *
 * A row that breaks this is not an invitation, and says why in a warning.
 */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function checkInvitationRow(
  table: string,
  email: string,
  code: string | undefined,
  nowSeconds: number,
  signal: AbortSignal,
  options: InvitationOptions,
): Promise<InvitationCheck> {
  const key = { email: { S: asciiLowerCase(email.trim()) } };
  for (let attempt = 1; ; attempt++) {
    const row = await readRow(table, key, signal);
    const verdict = judge(row, code, nowSeconds, options);
    if (verdict.kind !== 'spend') return verdict.check;
    if (await spend(table, key, verdict, signal)) return { value: true };
    // The row changed between the read and the update: another use, or the row rewritten.
    if (attempt > Math.min(verdict.maxUses, MAX_USE_ATTEMPTS)) {
      return { value: false, warning: 'An invitation row in INVITE_TABLE kept changing while being used' };
    }
  }
}

async function readRow(table: string, key: Record<string, unknown>, signal: AbortSignal): Promise<Row | undefined> {
  const answer = await callAwsJson(
    DYNAMODB,
    'GetItem',
    {
      TableName: table,
      Key: key,
      ConsistentRead: true,
      ProjectionExpression: 'code, expiresAt, maxUses, usedBy',
    },
    signal,
  );
  return answer.Item as Row | undefined;
}

/** A spend is due: the row's code (absent for an email row) and maxUses, as read, guard the update. */
interface Spend {
  readonly kind: 'spend';
  readonly code: string | undefined;
  readonly maxUses: number;
  readonly userName: string;
}

function judge(
  row: Row | undefined,
  code: string | undefined,
  nowSeconds: number,
  { match, userName }: InvitationOptions,
): { readonly kind: 'done'; readonly check: InvitationCheck } | Spend {
  const done = (value: boolean | 'used', warning?: string) => ({ kind: 'done', check: { value, warning } }) as const;
  if (row === undefined) return done(false);
  const stored = row.code;
  if (stored !== undefined && typeof stored.S !== 'string') {
    return done(false, 'An invitation row in INVITE_TABLE has no string (S) attribute "code"');
  }
  const storedCode = stored?.S as string | undefined;
  if (storedCode === undefined && match === 'code') {
    // An email row where only codes are matched: today's warning, which also says what would admit it.
    return done(
      false,
      'An invitation row in INVITE_TABLE has no string (S) attribute "code" (a row without one is an invitation by email, read only with INVITE_MATCH=email or code-or-email)',
    );
  }
  if (storedCode !== undefined && match === 'email') {
    return done(
      false,
      'An invitation row in INVITE_TABLE has a "code", and INVITE_MATCH=email admits rows without one',
    );
  }
  const expiresAt = epochSecondsOf(row.expiresAt);
  if (expiresAt === 'malformed') {
    return done(
      false,
      'An invitation row in INVITE_TABLE has a malformed "expiresAt": expected a number (N) of epoch seconds, like a TTL attribute',
    );
  }
  if (expiresAt !== undefined && expiresAt <= nowSeconds) return done(false);
  if (storedCode !== undefined && (code === undefined || !sameText(storedCode.trim(), code.trim()))) return done(false);
  if (row.maxUses === undefined) return done(true);
  const maxUses = wholeNumberOf(row.maxUses);
  if (maxUses === undefined || maxUses < 1 || maxUses > MAX_INVITATION_USES) {
    return done(
      false,
      `An invitation row in INVITE_TABLE has a malformed "maxUses": expected a number (N) from 1 to ${String(MAX_INVITATION_USES)}`,
    );
  }
  const usedBy = row.usedBy?.SS;
  if (row.usedBy !== undefined && !Array.isArray(usedBy)) {
    return done(false, 'An invitation row in INVITE_TABLE has a "usedBy" that is not a string set (SS)');
  }
  if (userName === undefined || userName === '') {
    return done(false, 'An invitation row in INVITE_TABLE has "maxUses", and the sign-up has no userName to record');
  }
  const users = (usedBy ?? []) as unknown[];
  if (users.includes(userName)) return done(true);
  if (users.length >= maxUses) return done('used');
  return { kind: 'spend', code: storedCode, maxUses, userName };
}

/** Adds the userName to `usedBy` unless the row changed; whether it did. */
async function spend(table: string, key: Record<string, unknown>, due: Spend, signal: AbortSignal): Promise<boolean> {
  try {
    await callAwsJson(
      DYNAMODB,
      'UpdateItem',
      {
        TableName: table,
        Key: key,
        UpdateExpression: 'ADD usedBy :user',
        // `NOT contains` holds while the set does not exist yet, as before the first use.
        ConditionExpression: `maxUses = :max AND ${due.code === undefined ? 'attribute_not_exists(code)' : 'code = :code'} AND NOT contains(usedBy, :name) AND (attribute_not_exists(usedBy) OR size(usedBy) < :max)`,
        ExpressionAttributeValues: {
          ':user': { SS: [due.userName] },
          ':name': { S: due.userName },
          ':max': { N: String(due.maxUses) },
          ...(due.code === undefined ? {} : { ':code': { S: due.code } }),
        },
      },
      signal,
    );
    return true;
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** `expiresAt` as whole epoch seconds; undefined when absent (no expiry). */
function epochSecondsOf(value: AttributeValue | undefined): number | undefined | 'malformed' {
  if (value === undefined) return undefined;
  const seconds = wholeNumberOf(value);
  return seconds === undefined || seconds > MAX_EPOCH_SECONDS ? 'malformed' : seconds;
}

function wholeNumberOf(value: AttributeValue): number | undefined {
  const number = value.N;
  return typeof number === 'string' && WHOLE_NUMBER.test(number) ? Number(number) : undefined;
}

// Comparing digests keeps the time independent of where the texts differ, and of their lengths.
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
