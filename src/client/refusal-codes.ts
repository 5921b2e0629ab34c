/**
 * The refusal codes and their default English texts, as the client sees them.
 *
 * The function's own table is src/model/refusal-codes.ts; the client cannot import it (it is built and
 * published on its own, without the function), so this copy is checked against it, text for text,
 * at compile time and in test/client.test.ts.
 */

/**
 * The default English text of every code: what the function sends when no `DENY_MESSAGE_<CODE>`
 * override is set, without Cognito's final period. An app that shows its own words can start from
 * this table (`{ ...SIGN_UP_REFUSAL_TEXTS, EMAIL_BLOCKED: '…' }`).
 */
export const SIGN_UP_REFUSAL_TEXTS = {
  EVENT_INVALID: 'The sign-up request could not be read',
  CONFIG_INVALID: 'Sign-up is temporarily unavailable',
  SERVICE_UNAVAILABLE: 'Please try again',
  EMAIL_INVALID: 'Enter a valid email address',
  EMAIL_DOMAIN_BLOCKED: 'Sign-up with this email domain is not allowed',
  EMAIL_DOMAIN_NOT_ALLOWED: 'Sign-up is limited to approved email domains',
  EMAIL_BLOCKED: 'Sign-up with this email address is not allowed',
  EMAIL_SUBADDRESS: 'Please sign up with your email address without a +tag',
  PHONE_INVALID: 'Enter a valid phone number in international format, such as +15555550100',
  PHONE_NOT_ALLOWED: 'Sign-up is limited to approved phone numbers',
  PHONE_BLOCKED: 'Sign-up with this phone number is not allowed',
  DISPOSABLE_EMAIL: 'Please sign up with a permanent email address',
  USERNAME_TOO_SHORT: 'The username is too short',
  INVITE_REQUIRED: 'An invitation code is required to sign up',
  INVITE_INVALID: 'The invitation code is not valid',
  INVITE_USED: 'This invitation has already been used',
  CAPTCHA_REQUIRED: 'Please complete the verification challenge',
  CAPTCHA_FAILED: 'The verification challenge failed. Please try again',
  RATE_LIMITED: 'Too many sign-ups right now. Please try again later',
  ACCOUNT_EXISTS: 'An account already exists for these details',
  ACCOUNT_LINKED: 'Your accounts are now linked. Please sign in again',
} as const;

/** A refusal code, e.g. `EMAIL_DOMAIN_NOT_ALLOWED`: switch on it exhaustively. */
export type SignUpRefusalCode = keyof typeof SIGN_UP_REFUSAL_TEXTS;

/**
 * Every code the trigger refuses with. The list is stable: codes are added in minor versions and
 * never renamed.
 */
export const SIGN_UP_REFUSAL_CODES = Object.keys(SIGN_UP_REFUSAL_TEXTS) as readonly SignUpRefusalCode[];

export function isSignUpRefusalCode(value: string): value is SignUpRefusalCode {
  return Object.prototype.hasOwnProperty.call(SIGN_UP_REFUSAL_TEXTS, value);
}
