// Loaded on first use only: a top-level `node:crypto` import alone is a measurable part of a cold start.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { asciiLowerCase } from '../../read/email-address.js';

// 10 bytes of HMAC (80 bits) is far beyond guessing at one sign-up attempt per request, and
// keeps a code short enough to paste: `<expiry in base 36>-<20 hex digits>`, about 27 characters.
const TAG_BYTES = 10;
const CODE = /^([0-9a-z]{1,11})-([0-9a-f]{20})$/;

function tagOf(secret: string, email: string, expiresAt: number): Buffer {
  return createHmac('sha256', secret)
    .update(`pre-signup-invite:v1:${asciiLowerCase(email.trim())}:${expiresAt}`)
    .digest()
    .subarray(0, TAG_BYTES);
}

/**
 * A signed invitation code for one email, valid until `expiresAt` (epoch seconds). The email is
 * compared with A-Z lowercased and nothing else folded (U+212A, the Kelvin sign, is not `k`);
 * the code itself is made of letters, digits and `-`.
 */
export function createInvitationCode(secret: string, email: string, expiresAt: number): string {
  return `${expiresAt.toString(36)}-${tagOf(secret, email, expiresAt).toString('hex')}`;
}

/** Whether a code was signed with this secret for this email and has not expired. Constant time in the tag. */
export function verifyInvitationCode(secret: string, email: string, code: string, nowSeconds: number): boolean {
  const text = asciiLowerCase(code.trim());
  if (!CODE.test(text)) return false;
  // A code that matches CODE has one `-`: the expiry before it, the tag after it.
  const dash = text.indexOf('-');
  const expiresAt = Number.parseInt(text.slice(0, dash), 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= nowSeconds) return false;
  return timingSafeEqual(Buffer.from(text.slice(dash + 1), 'hex'), tagOf(secret, email, expiresAt));
}
