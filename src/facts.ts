/**
 * What the pure decision cannot know by itself and the handler looks up on its behalf
 * (AWS calls, the disposable-domain list, invitation checks). `unavailable` means the lookup
 * failed or ran out of time.
 */
export interface Facts {
  /** Whether the email's domain, or a parent of it, is a known throwaway domain. */
  readonly disposableEmail?: boolean | 'unavailable';
  /** Whether the invitation code is valid for this email now. */
  readonly inviteValid?: boolean | 'unavailable';
  /** Whether another user of the pool already holds this email. */
  readonly emailTaken?: boolean | 'unavailable';
  /** Whether another user of the pool already holds this phone number. */
  readonly phoneTaken?: boolean | 'unavailable';
}

export type FactName = keyof Facts;

export const NO_FACTS: Facts = Object.freeze({});
