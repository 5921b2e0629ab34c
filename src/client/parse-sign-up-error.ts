/**
 * Client helper: turns the error an app receives when this trigger refuses a sign-up into
 * `{ code, message }`. Dependency-free, for browsers and backends alike.
 *
 * Cognito wraps the trigger's `CODE: text` as `PreSignUp failed with error CODE: text.`; clients
 * pass that on in many shapes: an error's `message` (AWS SDK for JavaScript, Amplify), its
 * `recoverySuggestion` and `cause` (Amplify Android), an SDK's text with its own suffix (Java, Go,
 * boto3), or the Hosted UI redirect's form-encoded `error_description`. docs/client-errors.md lists
 * them, with the same rule for apps in other languages.
 */
import { REFUSAL_PATTERN, SUGGESTION_PATTERN } from './refusal-pattern.js';
import { isSignUpRefusalCode, type SignUpRefusalCode } from './refusal-codes.js';

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
  /**
   * For EMAIL_DOMAIN_TYPO: the domain the user probably meant (`gmail.com`), as the text names it
   * (`...@gmail.com`). Offer the address with it (the app knows the local part), or let the user
   * keep theirs by signing up again with `emailDomainConfirmed: "true"` in validationData.
   */
  readonly suggestion?: string;
}

// The fields that hold text, in the order they are read: the Hosted UI's, then every error's, then
// Amplify's (Android puts the refusal there), then a URL's or Location's whole address.
const TEXT_FIELDS = ['error_description', 'message', 'recoverySuggestion', 'href'] as const;
// Where an error keeps the one it wraps: the standard `cause`, and Amplify JS's `underlyingError`.
const CAUSE_FIELDS = ['cause', 'underlyingError'] as const;
// An app's wrapper around Amplify's error around the SDK's is three levels; a cycle stops here too.
const MAX_DEPTH = 4;
const DESCRIPTION_PARAMETER = /(?:^|[?#&])error_description=([^&#]*)/;

/**
 * The refusal inside an error, or undefined when the error is not a refusal by this trigger
 * (a wrong password, a network failure, another trigger's own message, a code this version does
 * not know…), so the app can fall back to its usual handling.
 *
 * @param error - what the app holds: an Error (AWS SDK, Amplify) or anything with `message`,
 *   `recoverySuggestion` or `error_description`, followed through `cause` a few levels deep; a
 *   Hosted UI redirect as a URL, a `URL` or `URLSearchParams`; or any text that contains the
 *   refusal (an SDK's message, an exception's toString()).
 */
export function parseSignUpError(error: unknown): SignUpRefusal | undefined {
  return refusalIn(error, 0);
}

function refusalIn(error: unknown, depth: number): SignUpRefusal | undefined {
  if (typeof error === 'string') return refusalInText(error);
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return undefined;
  if (typeof URLSearchParams === 'function' && error instanceof URLSearchParams) {
    return refusalInText(error.toString());
  }
  const fields = error as Partial<Record<string, unknown>>;
  for (const key of TEXT_FIELDS) {
    const text = fields[key];
    const refusal = typeof text === 'string' ? refusalInText(text) : undefined;
    if (refusal !== undefined) return refusal;
  }
  for (const key of CAUSE_FIELDS) {
    const refusal = refusalIn(fields[key], depth + 1);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

// The text as it is, else its error_description parameter (or itself) form-decoded: a Hosted UI
// redirect, its query string, or a value copied from one.
function refusalInText(text: string): SignUpRefusal | undefined {
  const refusal = refusalInDecodedText(text);
  if (refusal !== undefined) return refusal;
  const decoded = formDecoded(DESCRIPTION_PARAMETER.exec(text)?.[1] ?? text);
  return decoded === undefined ? undefined : refusalInDecodedText(decoded);
}

function refusalInDecodedText(text: string): SignUpRefusal | undefined {
  const found = REFUSAL_PATTERN.exec(text);
  const code = found?.[1];
  if (code === undefined || !isSignUpRefusalCode(code)) return undefined;
  const message = found?.[2] ?? '';
  if (code === 'ACCOUNT_LINKED') return { code, message, retrySignIn: true };
  const suggestion = code === 'EMAIL_DOMAIN_TYPO' ? SUGGESTION_PATTERN.exec(message)?.[1]?.toLowerCase() : undefined;
  return suggestion === undefined ? { code, message } : { code, message, suggestion };
}

function formDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
