/**
 * What the pure decision cannot know by itself and the handler looks up on its behalf
 * (AWS calls, the disposable-domain list, invitation checks).
 */
export interface Facts {
  /** Whether the email's domain, or a parent of it, is a known throwaway domain. */
  readonly disposableEmail?: FactValue;
  /** Whether the invitation code is valid for this email now. */
  readonly invitationValid?: FactValue;
  /** Whether another user of the pool already holds this email. */
  readonly existingAccountForEmail?: FactValue;
  /** Whether another user of the pool already holds this phone number. */
  readonly existingAccountForPhone?: FactValue;
  /**
   * For a federated sign-in under LINK_FEDERATED_USERS: what looking up the native user with this
   * email found, and whether the identity was linked to it (the one lookup with a side effect).
   */
  readonly federatedLink?: LinkOutcome | LookupFailureKind;
}

/**
 * - `linked`: exactly one native user held the email, verified and confirmed, and the identity was linked to it;
 * - `would-link`: the same under DRY_RUN, which calls nothing;
 * - otherwise why nothing was linked.
 */
export type LinkOutcome = 'linked' | 'would-link' | 'no-match' | 'several-matches' | 'unverified' | 'unconfirmed';

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
