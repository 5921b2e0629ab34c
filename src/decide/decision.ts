import type { SettingName } from '../config/settings.js';
import type { RefusalCode } from '../model/refusal-codes.js';
import type { FactName } from '../model/facts.js';

/** The three flags Cognito reads from `response`. */
export interface ResponseFlags {
  readonly autoConfirmUser: boolean;
  readonly autoVerifyEmail: boolean;
  readonly autoVerifyPhone: boolean;
}

/**
 * What decided: a setting, `AdminCreateUser` (Cognito ignores the flags for it), or `lookups` (they
 * needed more rounds than there are rules, which would be a bug).
 */
export type DecidingRule = SettingName | 'AdminCreateUser' | 'lookups';

/** One vocabulary from rule to log: a rule's verdict is a Decision, and the log's outcome derives from it. */
export type Decision =
  | ({
      readonly outcome: 'refused';
      readonly code: RefusalCode;
      readonly rule: DecidingRule;
      /** EMAIL_DOMAIN_TYPO: the domain the user probably meant, for the text's `{suggestion}`. */
      readonly suggestion?: string;
    } & WouldRefuse)
  /** Passed every rule; the flags go into `response`. */
  | ({ readonly outcome: 'accepted'; readonly flags: ResponseFlags; readonly rule: DecidingRule } & WouldRefuse)
  /** Passed every rule, but the source is AdminCreateUser: Cognito ignores the flags, so none are set. */
  | ({ readonly outcome: 'unchanged'; readonly rule: 'AdminCreateUser' } & WouldRefuse)
  /** A rule cannot answer until these facts are looked up; decide again with them. */
  | { readonly outcome: 'needs-facts'; readonly facts: readonly FactName[] };

/** A decision with every fact it needed. */
export type FinalDecision = Exclude<Decision, { readonly outcome: 'needs-facts' }>;

/** The refusals of log-only rules (LOG_ONLY_RULES) on the way to a decision, in the rules' order; absent when none. */
interface WouldRefuse {
  readonly wouldRefuse?: readonly RefusalCode[];
}
