/**
 * What the pure decision cannot know by itself and the handler looks up on its behalf
 * (AWS calls, the disposable-domain list, invitation checks).
 */
export interface Facts {
  /** Whether the email's domain, or a parent of it, is a known throwaway domain. */
  readonly disposableEmail?: FactValue;
  /**
   * EMAIL_TYPO_CHECK: the well-known mailbox domain the email's domain is one slip away from
   * (`gmial.com` → `gmail.com`), as the typo library's list and its guard give it (see
   * lazy/email-domain-typo.ts), or none.
   */
  readonly emailDomainTypo?: { readonly suggestion: string | undefined } | LookupFailureKind;
  /**
   * EMAIL_DELIVERABILITY: what DNS says of the email's domain as a mail destination (see
   * MailDomainAnswer); `unknown` and a failed lookup admit the sign-up.
   */
  readonly emailDomainMail?: MailDomainAnswer | LookupFailureKind;
  /**
   * What an invitation proves for this sign-up (see InvitationProof). Looked up without spending
   * anything: a use of a row with `maxUses` is spent by `invitationUse`, once every rule has passed.
   */
  readonly invitation?: InvitationProof | LookupFailureKind;
  /**
   * For an invitation whose use must be recorded (`spendsUse`): whether recording it worked (`spent`,
   * or this sign-up's own use already), or the row's uses went to others meanwhile (`used`), or the
   * row no longer admits it (`none`).
   */
  readonly invitationUse?: 'spent' | 'used' | 'none' | LookupFailureKind;
  /**
   * WAITLIST_TABLE: the uninvited sign-up's address was recorded on the waitlist (`recorded`, or
   * `retry` when this sign-up had recorded it already), or would have been (`dry-run`: nothing is
   * written under DRY_RUN).
   */
  readonly waitlist?: 'recorded' | 'retry' | 'dry-run' | LookupFailureKind;
  /** CAPTCHA: what the provider said of the sign-up's token (a pass, or why not). */
  readonly captcha?: CaptchaOutcome | LookupFailureKind;
  /** RATE_LIMITS: the sign-up was counted, and which limit, if any, it went over. */
  readonly rateLimit?: RateLimitOutcome | LookupFailureKind;
  /** Whether another user of the pool already holds this email. */
  readonly existingAccountForEmail?: FactValue;
  /** Whether another user of the pool already holds this phone number. */
  readonly existingAccountForPhone?: FactValue;
  /**
   * For a federated sign-in under LINK_FEDERATED_USERS: what looking up the native user with this
   * email found, and whether the identity was linked to it.
   */
  readonly federatedLink?: LinkOutcome | LookupFailureKind;
}

/**
 * - `linked`: exactly one native user held the email (verified), confirmed, and the identity was linked to it;
 * - `would-link`: the same under DRY_RUN, which calls nothing;
 * - otherwise why nothing was linked.
 */
export type LinkOutcome = 'linked' | 'would-link' | 'no-match' | 'several-matches' | 'unconfirmed';

/**
 * What DNS said of a domain as a mail destination: it has a mail server (MX records, or failing
 * those an A or AAAA record, RFC 5321 §5.1), or why nothing can be delivered to it: the domain does
 * not exist (NXDOMAIN), it publishes a null MX (RFC 7505: `MX 0 .`, "accepts no mail"), or it has
 * neither MX nor address records. `unknown`: DNS gave no usable answer (an error such as SERVFAIL,
 * or silence past the lookup's share of the time budget), which admits the sign-up.
 */
export type MailDomainAnswer = 'has-mail-server' | 'no-such-domain' | 'null-mx' | 'no-mail-server' | 'unknown';

/**
 * What the CAPTCHA provider's verdict proves, as far as a rule and the log use it (never the token):
 * passed, or why not (`refused` by the provider, a score under CAPTCHA_MIN_SCORE, another hostname
 * or action). The rule handles each reason (a new one does not compile until it does).
 */
type CaptchaOutcome =
  | {
      readonly passed: true;
      readonly score?: number | undefined;
      readonly hostname?: string | undefined;
      /** A retry of a sign-up whose token passed in this container (not sent again). */
      readonly replayed?: boolean | undefined;
    }
  | {
      readonly passed: false;
      readonly reason: CaptchaFailure;
      readonly errorCodes?: readonly string[] | undefined;
      readonly score?: number | undefined;
      readonly hostname?: string | undefined;
    };

/** Why a CAPTCHA check did not pass. */
export type CaptchaFailure = 'refused' | 'low-score' | 'wrong-hostname' | 'wrong-action';

/**
 * What an invitation proved, never what the event merely carries:
 * - `code`: a code matched (a signed code for this email, or a table row's code): whoever typed it
 *   was given it, and the sign-up may be confirmed and verified as configured;
 * - `address`: an INVITE_TABLE row for the email itself (no code) admits it under INVITE_MATCH; this
 *   proves nothing about who typed the address, so a self sign-up is neither confirmed nor verified;
 * - `none`: no invitation admits it (no row, a wrong, expired or malformed code, a malformed row);
 * - `used`: an invitation matched, but other sign-ups have spent its uses.
 * `spendsUse`: the matching row has `maxUses` and this sign-up has not spent one yet.
 */
export type InvitationProof = { readonly proven: 'code' | 'address'; readonly spendsUse: boolean } | 'none' | 'used';

/** The sign-up was counted; `exceeded` names the limit it went over (`email-domain:20/h`). */
interface RateLimitOutcome {
  readonly exceeded: string | undefined;
}

/**
 * The facts a lookup answers without changing anything anywhere: these may be looked up beside
 * another rule's, before that rule has passed. The others spend something (a CAPTCHA token, an
 * invitation use, a count, a link) and are looked up only once every rule before theirs has passed.
 */
export const READ_ONLY_FACTS: ReadonlySet<FactName> = new Set<FactName>([
  'disposableEmail',
  'emailDomainTypo',
  'emailDomainMail',
  'existingAccountForEmail',
  'existingAccountForPhone',
  'invitation',
]);

/**
 * Facts whose answer tells an outsider something of the function's network (what its resolver
 * knows of a domain) and whose lookup costs a query each: never looked up beside a CAPTCHA check,
 * only once the CAPTCHA has passed (see decideBy).
 */
export const CAPTCHA_GATED_FACTS: ReadonlySet<FactName> = new Set<FactName>(['emailDomainMail']);

/** Every fact, for what is derived from their number (the most rounds of lookups a decision takes). */
export const FACT_NAMES = [
  'disposableEmail',
  'emailDomainTypo',
  'emailDomainMail',
  'invitation',
  'invitationUse',
  'waitlist',
  'captcha',
  'rateLimit',
  'existingAccountForEmail',
  'existingAccountForPhone',
  'federatedLink',
] as const satisfies readonly FactName[];
// test/look-up/lazy-lookups.test.ts checks that it names every fact (LOOKUPS must have them all).

/** Any fact's answer. */
export type AnyFactValue = NonNullable<Facts[FactName]>;

/**
 * A looked-up answer, or why there is none:
 * - `transient-failure`: a time-out, a network error, throttling or a 5xx; trying again may work,
 *   and FAIL_OPEN may skip the rule;
 * - `permanent-failure`: access denied, a missing table, bad credentials, any other 4xx, a file of
 *   the zip that did not load; only a fix ends it, so no rule is ever skipped for it.
 */
type FactValue = boolean | LookupFailureKind;
export type LookupFailureKind = 'transient-failure' | 'permanent-failure';

export type FactName = keyof Facts;

export const NO_FACTS: Facts = Object.freeze({});

/** Whether FAIL_OPEN lets a rule be skipped for this fact: only for a transient failure. */
export function failsOpen(value: FactValue | undefined, failOpen: boolean): boolean {
  return failOpen && value === 'transient-failure';
}

/** Whether a lookup did not give an answer. */
export function isFailure(value: AnyFactValue | undefined): value is LookupFailureKind {
  return value === 'transient-failure' || value === 'permanent-failure';
}
