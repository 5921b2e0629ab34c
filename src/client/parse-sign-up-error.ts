/**
 * Client helper: turns the error an app receives when this trigger refuses a sign-up into
 * `{ code, message }`. Dependency-free, for browsers and backends alike.
 *
 * Cognito wraps the trigger's `CODE: text` as `PreSignUp failed with error CODE: text.`; clients
 * pass that on in different shapes: the AWS SDK and Amplify as an error's `message` (name
 * `UserLambdaValidationException`), the Hosted UI as the `error_description` query parameter
 * (sometimes with `+` for spaces and a trailing space or a doubled period).
 */

/**
 * Every code the trigger refuses with. The list is stable: codes are added in minor versions and
 * never renamed. (test/client.test.ts checks it against the function's own list.)
 */
export const SIGN_UP_REFUSAL_CODES = [
  'EVENT_INVALID',
  'CONFIG_INVALID',
  'SERVICE_UNAVAILABLE',
  'EMAIL_INVALID',
  'EMAIL_DOMAIN_BLOCKED',
  'EMAIL_DOMAIN_NOT_ALLOWED',
  'EMAIL_BLOCKED',
  'EMAIL_SUBADDRESS',
  'PHONE_INVALID',
  'PHONE_NOT_ALLOWED',
  'PHONE_BLOCKED',
  'DISPOSABLE_EMAIL',
  'USERNAME_TOO_SHORT',
  'INVITE_REQUIRED',
  'INVITE_INVALID',
  'ACCOUNT_EXISTS',
  'ACCOUNT_LINKED',
] as const;

/** A refusal code, e.g. `EMAIL_DOMAIN_NOT_ALLOWED`: switch on it exhaustively. */
export type SignUpRefusalCode = (typeof SIGN_UP_REFUSAL_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(SIGN_UP_REFUSAL_CODES);

/** A refusal as the app should handle it: map on `code`, show or translate `message`. */
export interface SignUpRefusal {
  /** The stable refusal code, e.g. `EMAIL_DOMAIN_NOT_ALLOWED`. */
  readonly code: SignUpRefusalCode;
  /** The human text configured for the code, without Cognito's prefix and final period. */
  readonly message: string;
  /**
   * `true` for ACCOUNT_LINKED: the federated identity was just linked to the user's existing
   * account, and signing in again (once) lands in it.
   */
  readonly retrySignIn?: true;
}

const PREFIX = /^\s*(?:PreSignUp failed with error\s+)/i;
const CODE_AND_TEXT = /^([A-Z][A-Z0-9_]*):\s*([\s\S]*)$/;

/**
 * The refusal inside an error, or undefined when the error is not a refusal by this trigger
 * (a wrong password, a network failure, a code this version does not know…), so the app can fall
 * back to its usual handling.
 *
 * @param error - an Error (AWS SDK, Amplify), an object with `message` or `error_description`,
 *   or the text itself (for example the Hosted UI's `error_description`).
 */
export function parseSignUpError(error: unknown): SignUpRefusal | undefined {
  const text = textOf(error);
  if (text === undefined) return undefined;
  const withoutPrefix = text.replace(PREFIX, '');
  if (withoutPrefix === text) return undefined;
  const match = CODE_AND_TEXT.exec(withoutPrefix.trim().replace(/\.+$/, '').trim());
  const code = match?.[1];
  if (code === undefined || !isSignUpRefusalCode(code)) return undefined;
  const message = match?.[2] ?? '';
  return code === 'ACCOUNT_LINKED' ? { code, message, retrySignIn: true } : { code, message };
}

function isSignUpRefusalCode(code: string): code is SignUpRefusalCode {
  return KNOWN_CODES.has(code);
}

function textOf(error: unknown): string | undefined {
  if (typeof error === 'string') return decodeDescription(error);
  if (typeof error !== 'object' || error === null) return undefined;
  const fields = error as { error_description?: unknown; message?: unknown };
  if (typeof fields.error_description === 'string') return decodeDescription(fields.error_description);
  return typeof fields.message === 'string' ? fields.message : undefined;
}

// A value copied straight from a Hosted UI redirect URL may still be form-encoded.
function decodeDescription(text: string): string {
  if (!/[+%]/.test(text) || / /.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
