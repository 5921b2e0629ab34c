import { errorName } from '../model/error-name.js';
import { emailKeyOf, readEmailAddress } from './email-address.js';

/** The trigger sources this function handles; any other means it is attached to the wrong trigger. */
const SIGN_UP_SOURCES = ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'] as const;
type SignUpSource = (typeof SIGN_UP_SOURCES)[number];

/**
 * What the decision needs from a pre sign-up event, already made safe: every field is either a
 * non-empty string or undefined, whatever the event held (missing objects, numbers, nulls…).
 */
export interface SignUpInput {
  /** The event's `triggerSource`; a console test event without one counts as a self sign-up. */
  readonly source: SignUpSource;
  /** The pool the user signs up to, for lookups in it. */
  readonly userPoolId: string | undefined;
  readonly userName: string | undefined;
  /** The `email` attribute as given. */
  readonly email: string | undefined;
  /**
   * The email's domain as the strict reader gives it (see email-address.ts). Undefined without an
   * email, and also when the email is unreadable: see hasUnreadableEmail.
   */
  readonly emailDomain: string | undefined;
  /** The email as ALLOWED_EMAILS and BLOCKED_EMAILS compare it (see emailKeyOf); undefined when unreadable. */
  readonly emailKey: string | undefined;
  readonly phone: string | undefined;
  /**
   * Whether the event's `email_verified` attribute says true (`"true"` as Cognito sends it, or
   * `true`). For a federated sign-up this is the identity provider's word, through the pool's
   * attribute mapping; it is the only proof of an email that linking and verification accept.
   */
  readonly emailVerified: boolean;
  /** The same for `phone_number_verified`. */
  readonly phoneVerified: boolean;
  /** `validationData.inviteCode`, else `clientMetadata.inviteCode`. */
  readonly inviteCode: string | undefined;
  /** `validationData.captchaToken`, else `clientMetadata.captchaToken`: the CAPTCHA widget's answer. */
  readonly captchaToken: string | undefined;
  /**
   * `validationData.emailDomainConfirmed` (else clientMetadata's) is `"true"`: the user was told
   * their domain looks like a typo and insists (EMAIL_TYPO_CHECK then admits it).
   */
  readonly emailDomainConfirmed: boolean;
  /** `callerContext.clientId`, as given (the rate limit per app client counts by it). */
  readonly clientId: string | undefined;
}

/** Whether the sign-up has an email that the strict reader refused (`a@ex%61mple.com`, `a@[1.2.3.4]`…). */
export function hasUnreadableEmail(input: SignUpInput): boolean {
  return input.email !== undefined && input.emailDomain === undefined;
}

/**
 * "The same sign-up again", as a retry is recognised by what a sign-up spends (an invitation use, a
 * CAPTCHA pass): its pool and its userName, because one function or table may serve several pools.
 * Undefined without a userName (a hand-made test event), which is then never taken for a retry.
 */
export function signUpIdentityOf(input: Pick<SignUpInput, 'userPoolId' | 'userName'>): string | undefined {
  return input.userName === undefined ? undefined : `${input.userPoolId ?? ''}/${input.userName}`;
}

/** The event fields that are safe to log (not personal data), as far as they could be read. */
interface EventLabels {
  readonly triggerSource: string | undefined;
  readonly userPoolId: string | undefined;
  /** `callerContext.clientId`: the app client, which a rules document may give settings of its own. */
  readonly clientId?: string | undefined;
}

export type EventReading = { readonly labels: EventLabels } & (
  | { readonly kind: 'sign-up'; readonly input: SignUpInput }
  /** Not a JSON object at all: nothing can be decided, and nothing can be returned safely. */
  | { readonly kind: 'not-an-object' }
  /** A getter or Proxy threw while the event was read; `error` is the thrown value's name only. */
  | { readonly kind: 'unreadable'; readonly error: string }
  /** A `triggerSource` that is not a pre sign-up one. */
  | { readonly kind: 'wrong-trigger' }
);

type Fields = Readonly<Record<string, unknown>>;

/**
 * Reads the parts of a raw event the rules use. Never throws, whatever the input: a hostile object
 * whose getters throw is reported as unreadable, with the thrown value's name and never its
 * message (which could quote the email). Each property is read exactly once.
 */
export function readSignUpEvent(event: unknown): EventReading {
  let labels: EventLabels = { triggerSource: undefined, userPoolId: undefined };
  try {
    if (!isObject(event)) return { kind: 'not-an-object', labels };
    const triggerSource: unknown = event.triggerSource;
    const userPoolId = nonEmptyString(event.userPoolId);
    const clientId = nonEmptyString(objectOrEmpty(event.callerContext).clientId);
    labels = {
      triggerSource: labelForLog(triggerSource),
      userPoolId: labelForLog(userPoolId),
      clientId: labelForLog(clientId),
    };
    const source = readSource(triggerSource);
    if (source === undefined) return { kind: 'wrong-trigger', labels };
    const request = objectOrEmpty(event.request);
    const attributes = objectOrEmpty(request.userAttributes);
    const email = nonEmptyString(attributes.email);
    const address = email === undefined ? undefined : readEmailAddress(email);
    return {
      kind: 'sign-up',
      labels,
      input: {
        source,
        userPoolId,
        userName: nonEmptyString(event.userName),
        email,
        emailDomain: address?.domain,
        emailKey: address === undefined ? undefined : emailKeyOf(address),
        phone: nonEmptyString(attributes.phone_number),
        emailVerified: saysTrue(attributes.email_verified),
        phoneVerified: saysTrue(attributes.phone_number_verified),
        inviteCode: validationValue(request, 'inviteCode'),
        captchaToken: validationValue(request, 'captchaToken'),
        emailDomainConfirmed: validationValue(request, 'emailDomainConfirmed') === 'true',
        clientId,
      },
    };
  } catch (error) {
    return { kind: 'unreadable', error: errorName(error), labels };
  }
}

/** A value the app passes in `validationData`, else in `clientMetadata` (Amplify and the SDKs use either). */
function validationValue(request: Fields, name: string): string | undefined {
  return (
    nonEmptyString(objectOrEmpty(request.validationData)[name]) ??
    nonEmptyString(objectOrEmpty(request.clientMetadata)[name])
  );
}

function readSource(triggerSource: unknown): SignUpSource | undefined {
  if (triggerSource === undefined || triggerSource === null) return 'PreSignUp_SignUp';
  return SIGN_UP_SOURCES.find((source) => source === triggerSource);
}

// Event fields are logged only as short strings: a hostile event must not be able to flood the log.
const MAX_LABEL_LENGTH = 128;

/** A loggable form of an event field that is not personal data (triggerSource, userPoolId). */
function labelForLog(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length > MAX_LABEL_LENGTH ? `${value.slice(0, MAX_LABEL_LENGTH)}…` : value;
}

/** A plain object (not null, not an array), so its properties can be read. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const EMPTY: Fields = Object.freeze({});

function objectOrEmpty(value: unknown): Fields {
  return isObject(value) ? value : EMPTY;
}

/** `"true"`, as Cognito passes the IdP's claim on, or `true`; anything else (`"false"`, `"TRUE"`, absent) is no. */
function saysTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
