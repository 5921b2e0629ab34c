// Loaded on first use only: a cold start should read it only when INVITE_TABLE is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import { asciiLowerCase } from '../../read/email-address.js';
import { type AwsJsonService, callAwsJson } from './aws-json-client.js';

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
}

// Epoch seconds reach 10^11 in the year 5138; anything above is a time in milliseconds by mistake.
const MAX_EPOCH_SECONDS = 1e11;
const WHOLE_NUMBER = /^[0-9]{1,12}$/;

/** Whether an invitation row allowed the sign-up, with a warning (never the email) when the row was malformed. */
interface InvitationCheck {
  readonly value: boolean;
  readonly warning?: string | undefined;
}

/**
 * Whether the table holds this code for this email and it has not expired. The row's partition key
 * `email` is the email with A-Z lowercased (and nothing else folded); `code` is a string (S);
 * `expiresAt`, when present, is a number (N) of epoch seconds, the same as a TTL attribute. A row
 * that breaks this is not an invitation, and says why in a warning. A consistent read, so an
 * invitation written a moment ago is seen.
 */
// Used through import() in gather-facts.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function checkInvitationRow(
  table: string,
  email: string,
  code: string,
  nowSeconds: number,
  signal: AbortSignal,
): Promise<InvitationCheck> {
  const answer = await callAwsJson(
    DYNAMODB,
    'GetItem',
    {
      TableName: table,
      Key: { email: { S: asciiLowerCase(email.trim()) } },
      ConsistentRead: true,
      ProjectionExpression: 'code, expiresAt',
    },
    signal,
  );
  const Item = answer.Item as Record<string, AttributeValue | undefined> | undefined;
  if (Item === undefined) return { value: false };
  const stored = Item.code?.S;
  if (typeof stored !== 'string') {
    return { value: false, warning: 'An invitation row in INVITE_TABLE has no string (S) attribute "code"' };
  }
  const expiresAt = epochSecondsOf(Item.expiresAt);
  if (expiresAt === 'malformed') {
    return {
      value: false,
      warning:
        'An invitation row in INVITE_TABLE has a malformed "expiresAt": expected a number (N) of epoch seconds, like a TTL attribute',
    };
  }
  if (expiresAt !== undefined && expiresAt <= nowSeconds) return { value: false };
  return { value: sameText(stored.trim(), code.trim()) };
}

/** `expiresAt` as whole epoch seconds; undefined when absent (no expiry). */
function epochSecondsOf(value: AttributeValue | undefined): number | undefined | 'malformed' {
  if (value === undefined) return undefined;
  const number = value.N;
  if (typeof number !== 'string' || !WHOLE_NUMBER.test(number)) return 'malformed';
  const seconds = Number(number);
  return seconds > MAX_EPOCH_SECONDS ? 'malformed' : seconds;
}

// Comparing digests keeps the time independent of where the texts differ, and of their lengths.
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
