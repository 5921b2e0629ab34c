/**
 * Every code a refusal can carry, with the text shown when no `DENY_MESSAGE_<CODE>` override is set.
 *
 * The code is the stable part clients map on; the text is for people. Texts end without a period
 * because Cognito appends one ("PreSignUp failed with error CODE: text."), and none of them may
 * name the user's email, phone or username: the Hosted UI shows this text to anyone. One text
 * says something of the sign-up: EMAIL_DOMAIN_TYPO's `{suggestion}` (see SUGGESTION_PLACEHOLDER).
 */
export const REFUSAL_TEXTS = {
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
  EMAIL_DOMAIN_TYPO: 'Check your email address. Did you mean {suggestion}?',
  EMAIL_UNDELIVERABLE: 'This email domain cannot receive mail. Please check the address',
  USERNAME_TOO_SHORT: 'The username is too short',
  INVITE_REQUIRED: 'An invitation code is required to sign up',
  INVITE_INVALID: 'The invitation code is not valid',
  INVITE_USED: 'This invitation has already been used',
  WAITLISTED: "You're on the list: we will email you when a place opens",
  CAPTCHA_REQUIRED: 'Please complete the verification challenge',
  CAPTCHA_FAILED: 'The verification challenge failed. Please try again',
  RATE_LIMITED: 'Too many sign-ups right now. Please try again later',
  ACCOUNT_EXISTS: 'An account already exists for these details',
  ACCOUNT_LINKED: 'Your accounts are now linked. Please sign in again',
} as const;

export type RefusalCode = keyof typeof REFUSAL_TEXTS;

/** The human text for every code, after overrides. */
export type RefusalTexts = Readonly<Record<RefusalCode, string>>;

export function isRefusalCode(value: string): value is RefusalCode {
  // Not Object.hasOwn: the client helper (ES2020, for browsers) uses this too.
  return Object.prototype.hasOwnProperty.call(REFUSAL_TEXTS, value);
}

/**
 * Where EMAIL_DOMAIN_TYPO's text (and its `DENY_MESSAGE_EMAIL_DOMAIN_TYPO` override, which must hold
 * it once) names the domain the user probably meant. It becomes `...@gmail.com`: a literal `...`
 * for the local part, which no refusal ever repeats, and a domain from the typo library's list,
 * never from the event. The client helper finds it by that `...@`.
 */
export const SUGGESTION_PLACEHOLDER = '{suggestion}';

/** A refusal's text with its suggestion filled in (EMAIL_DOMAIN_TYPO's), or the text as it is. */
export function refusalTextWith(text: string, suggestion: string | undefined): string {
  return suggestion === undefined ? text : text.replace(SUGGESTION_PLACEHOLDER, () => `...@${suggestion}`);
}
