import type { FactName, LookupFailureKind } from './facts.js';

/** A lookup that failed: which fact, the error's name (never its message, which may quote the email), and its kind. */
export interface LookupFailure {
  readonly lookup: FactName;
  readonly error: string;
  readonly kind: LookupFailureKind;
  /** For a permanent failure: what to change so that it stops. */
  readonly fix?: string | undefined;
}
