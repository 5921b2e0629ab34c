import { emailDomainOf } from './domains.js';

/** The trigger sources this function handles; any other means it is attached to the wrong trigger. */
export const SIGN_UP_SOURCES = ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'] as const;
export type SignUpSource = (typeof SIGN_UP_SOURCES)[number];

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
  readonly email: string | undefined;
  /** The email's normalized domain; undefined without an email or when its domain is not a host name. */
  readonly emailDomain: string | undefined;
  readonly phone: string | undefined;
  /** `validationData.inviteCode`, else `clientMetadata.inviteCode`. */
  readonly inviteCode: string | undefined;
}

export type EventReading =
  | { readonly kind: 'sign-up'; readonly input: SignUpInput }
  /** Not a JSON object at all: nothing can be decided, and nothing can be returned safely. */
  | { readonly kind: 'not-an-object' }
  /** A `triggerSource` that is not a pre sign-up one. */
  | { readonly kind: 'wrong-trigger'; readonly triggerSource: string };

type Fields = Readonly<Record<string, unknown>>;

/** Reads the parts of a raw event the rules use, never throwing on any shape of input. */
export function readSignUpEvent(event: unknown): EventReading {
  if (!isObject(event)) return { kind: 'not-an-object' };
  const source = readSource(event.triggerSource);
  if (source === undefined)
    return {
      kind: 'wrong-trigger',
      // Only a string is shown as it is: String() of an object can itself throw.
      triggerSource: typeof event.triggerSource === 'string' ? event.triggerSource : `(${typeof event.triggerSource})`,
    };
  const request = objectOrEmpty(event.request);
  const attributes = objectOrEmpty(request.userAttributes);
  const email = nonEmptyString(attributes.email);
  return {
    kind: 'sign-up',
    input: {
      source,
      userPoolId: nonEmptyString(event.userPoolId),
      userName: nonEmptyString(event.userName),
      email,
      emailDomain: email === undefined ? undefined : emailDomainOf(email),
      phone: nonEmptyString(attributes.phone_number),
      inviteCode:
        nonEmptyString(objectOrEmpty(request.validationData).inviteCode) ??
        nonEmptyString(objectOrEmpty(request.clientMetadata).inviteCode),
    },
  };
}

function readSource(triggerSource: unknown): SignUpSource | undefined {
  if (triggerSource === undefined || triggerSource === null) return 'PreSignUp_SignUp';
  return SIGN_UP_SOURCES.find((source) => source === triggerSource);
}

/** A plain object (not null, not an array), so its properties can be read. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const EMPTY: Fields = Object.freeze({});

function objectOrEmpty(value: unknown): Fields {
  return isObject(value) ? value : EMPTY;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
