// Loaded on first use only: a cold start should read it only when INVITE_TABLE is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import { asciiLowerCase } from '../../read/email-address.js';
import type { InvitationProof } from '../../model/facts.js';
import { type AttributeValue, getItem, type Item as Row, updateItemUnless } from './dynamodb.js';

// Epoch seconds reach 10^11 in the year 5138; anything above is a time in milliseconds by mistake.
const MAX_EPOCH_SECONDS = 1e11;
const WHOLE_NUMBER = /^[0-9]{1,12}$/;
/**
 * The most uses a row may allow. Each use keeps the pool id and userName (under 200 characters) in
 * the row, and DynamoDB items hold at most 400 KB: 1,000 uses stay well inside it. More people than that are
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
  /**
   * The sign-up as a use of a row with `maxUses` is recorded under it (see signUpIdentityOf: its
   * pool and userName), so that a retry passes and the same userName in another pool does not.
   */
  readonly signUp: string | undefined;
}

/** What a row proves for the sign-up (see InvitationProof), with a warning (never the email) for a malformed row. */
// ts-unused-exports:disable-next-line
export interface InvitationCheck {
  readonly value: InvitationProof;
  readonly warning?: string | undefined;
}

/**
 * What the table's invitation for this email proves, valid now, without changing anything. The
 * row's partition key `email` is the email with A-Z lowercased (and nothing else folded);
 * `expiresAt`, when present, is a number (N) of epoch seconds, the same as a TTL attribute. A
 * consistent read, so an invitation written a moment ago is seen.
 *
 * - A row with a string (S) `code` proves `code` when the sign-up's code matches it, compared in
 *   constant time (match `code`, the default, or `code-or-email`); any other code proves nothing.
 * - A row without `code` proves the `address` (match `email` or `code-or-email`), whatever code the
 *   sign-up carries: the way to invite managed-login and federated sign-ups, which cannot carry
 *   one. It proves nothing about who typed the address.
 * - A row with `maxUses` (a number, 1 to 1,000) admits that many sign-ups: `spendsUse` when this
 *   one has not spent one yet (spendInvitationUse records it, once every rule has passed); `used`
 *   when the uses are spent by others. Without a userName such a row cannot be spent safely, and
 *   admits nobody.
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
  const verdict = judge(await readRow(table, keyOf(email), signal), code, nowSeconds, options);
  return verdict.kind === 'spend' ? { value: { proven: verdict.proven, spendsUse: true } } : verdict.check;
}

/**
 * Records this sign-up's use of its invitation row: a conditional UpdateItem adding it to the row's
 * string set `usedBy`, on the condition that the row is as read (same code, same maxUses) and the
 * set holds fewer than maxUses and not this sign-up. `spent` also when the set holds it already (a
 * retry); `used` when the uses went to others meanwhile; `none` when the row no longer admits it.
 */
// ts-unused-exports:disable-next-line
export async function spendInvitationUse(
  table: string,
  email: string,
  code: string | undefined,
  nowSeconds: number,
  signal: AbortSignal,
  options: InvitationOptions,
): Promise<{ readonly value: 'spent' | 'used' | 'none'; readonly warning?: string | undefined }> {
  const key = keyOf(email);
  for (let attempt = 1; ; attempt++) {
    const verdict = judge(await readRow(table, key, signal), code, nowSeconds, options);
    if (verdict.kind !== 'spend') {
      const { value, warning } = verdict.check;
      return { value: typeof value === 'object' ? 'spent' : value, warning };
    }
    if (await spend(table, key, verdict, signal)) return { value: 'spent' };
    // The row changed between the read and the update: another use, or the row rewritten.
    if (attempt > Math.min(verdict.maxUses, MAX_USE_ATTEMPTS)) {
      return { value: 'none', warning: 'An invitation row in INVITE_TABLE kept changing while being used' };
    }
  }
}

/**
 * Removes this sign-up from the row's `usedBy`, where it is: the use it spent is given back because
 * a rule after the invitation (a velocity limit) refused it.
 */
// ts-unused-exports:disable-next-line
export async function giveBackInvitationUse(
  table: string,
  email: string,
  signUp: string,
  signal: AbortSignal,
): Promise<void> {
  // A failed condition: the use was not there (given back already, or never recorded).
  await updateItemUnless(
    table,
    {
      Key: keyOf(email),
      UpdateExpression: 'DELETE usedBy :user',
      ConditionExpression: 'contains(usedBy, :name)',
      ExpressionAttributeValues: { ':user': { SS: [signUp] }, ':name': { S: signUp } },
    },
    signal,
  );
}

type Key = { readonly email: { readonly S: string } };

function keyOf(email: string): Key {
  return { email: { S: asciiLowerCase(email.trim()) } };
}

function readRow(table: string, key: Key, signal: AbortSignal): Promise<Row | undefined> {
  return getItem(table, { Key: key, ProjectionExpression: 'code, expiresAt, maxUses, usedBy' }, signal);
}

/** A spend is due: the row's code (absent for an email row) and maxUses, as read, guard the update. */
interface Spend {
  readonly kind: 'spend';
  readonly proven: 'code' | 'address';
  readonly code: string | undefined;
  readonly maxUses: number;
  readonly signUp: string;
}

function judge(
  row: Row | undefined,
  code: string | undefined,
  nowSeconds: number,
  { match, signUp }: InvitationOptions,
): { readonly kind: 'done'; readonly check: InvitationCheck } | Spend {
  const done = (value: InvitationProof, warning?: string) => ({ kind: 'done', check: { value, warning } }) as const;
  if (row === undefined) return done('none');
  const stored = row.code;
  if (stored !== undefined && typeof stored.S !== 'string') {
    return done('none', 'An invitation row in INVITE_TABLE has no string (S) attribute "code"');
  }
  const storedCode = stored?.S as string | undefined;
  if (storedCode === undefined && match === 'code') {
    // An email row where only codes are matched: today's warning, which also says what would admit it.
    return done(
      'none',
      'An invitation row in INVITE_TABLE has no string (S) attribute "code" (a row without one is an invitation by email, read only with INVITE_MATCH=email or code-or-email)',
    );
  }
  if (storedCode !== undefined && match === 'email') {
    return done(
      'none',
      'An invitation row in INVITE_TABLE has a "code", and INVITE_MATCH=email admits rows without one',
    );
  }
  const expiresAt = epochSecondsOf(row.expiresAt);
  if (expiresAt === 'malformed') {
    return done(
      'none',
      'An invitation row in INVITE_TABLE has a malformed "expiresAt": expected a number (N) of epoch seconds, like a TTL attribute',
    );
  }
  if (expiresAt !== undefined && expiresAt <= nowSeconds) return done('none');
  // A row with a code proves only that code; a typed code proves nothing against a row without one.
  if (storedCode !== undefined && (code === undefined || !sameText(storedCode.trim(), code.trim())))
    return done('none');
  const proven = storedCode === undefined ? 'address' : 'code';
  if (row.maxUses === undefined) return done({ proven, spendsUse: false });
  const maxUses = wholeNumberOf(row.maxUses);
  if (maxUses === undefined || maxUses < 1 || maxUses > MAX_INVITATION_USES) {
    return done(
      'none',
      `An invitation row in INVITE_TABLE has a malformed "maxUses": expected a number (N) from 1 to ${String(MAX_INVITATION_USES)}`,
    );
  }
  const usedBy = row.usedBy?.SS;
  if (row.usedBy !== undefined && !Array.isArray(usedBy)) {
    return done('none', 'An invitation row in INVITE_TABLE has a "usedBy" that is not a string set (SS)');
  }
  if (signUp === undefined || signUp === '') {
    return done('none', 'An invitation row in INVITE_TABLE has "maxUses", and the sign-up has no userName to record');
  }
  const users = (usedBy ?? []) as unknown[];
  if (users.includes(signUp)) return done({ proven, spendsUse: false });
  if (users.length >= maxUses) return done('used');
  return { kind: 'spend', proven, code: storedCode, maxUses, signUp };
}

/** Adds the userName to `usedBy` unless the row changed; whether it did. */
function spend(table: string, key: Key, due: Spend, signal: AbortSignal): Promise<boolean> {
  return updateItemUnless(
    table,
    {
      Key: key,
      UpdateExpression: 'ADD usedBy :user',
      // `NOT contains` holds while the set does not exist yet, as before the first use.
      ConditionExpression: `maxUses = :max AND ${due.code === undefined ? 'attribute_not_exists(code)' : 'code = :code'} AND NOT contains(usedBy, :name) AND (attribute_not_exists(usedBy) OR size(usedBy) < :max)`,
      ExpressionAttributeValues: {
        ':user': { SS: [due.signUp] },
        ':name': { S: due.signUp },
        ':max': { N: String(due.maxUses) },
        ...(due.code === undefined ? {} : { ':code': { S: due.code } }),
      },
    },
    signal,
  );
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
