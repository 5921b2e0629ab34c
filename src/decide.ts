import type { RefusalCode } from './codes.js';
import type { Config } from './config/config.js';
import type { FactName, Facts } from './facts.js';
import { type ResponseFlags, responseFlagsFor } from './rules/confirmation.js';
import { checkDisposableEmail } from './rules/disposable-email.js';
import { checkAllowedEmailDomain, checkBlockedEmailDomain } from './rules/email-domains.js';
import { checkEmailReadable } from './rules/email-readable.js';
import { checkExistingAccount } from './rules/existing-account.js';
import { checkInvitation } from './rules/invite.js';
import type { RuleContext, RuleVerdict } from './rules/rule.js';
import { checkUsernameLength } from './rules/username.js';
import type { SignUpInput } from './sign-up-input.js';

/**
 * The refusal rules in the order they run; the first refusal wins. Cheap, local rules come first
 * so that a sign-up they refuse never costs an AWS call.
 */
export const REFUSAL_RULES: readonly ((context: RuleContext) => RuleVerdict)[] = [
  checkEmailReadable,
  checkBlockedEmailDomain,
  checkAllowedEmailDomain,
  checkDisposableEmail,
  checkUsernameLength,
  checkInvitation,
  checkExistingAccount,
];

export type Decision =
  | { readonly outcome: 'refused'; readonly code: RefusalCode; readonly rule: string }
  /** Passed every rule; the flags go into `response`. */
  | ({ readonly outcome: 'accepted' } & ResponseFlags & { readonly rule: string })
  /** Passed every rule, but the source is AdminCreateUser: Cognito ignores the flags, so none are set. */
  | { readonly outcome: 'unchanged'; readonly rule: 'AdminCreateUser' }
  /** A rule cannot answer until these facts are looked up; call decide again with them. */
  | { readonly outcome: 'needs-facts'; readonly facts: readonly FactName[] };

/** A decision with every fact it needed. */
export type FinalDecision = Exclude<Decision, { readonly outcome: 'needs-facts' }>;

/**
 * Decides a sign-up. Pure: no environment, no I/O, never throws. When a rule needs an outside
 * fact it says so, the caller looks it up and calls again, so that lookups happen only when a
 * rule actually reaches them.
 */
export function decide(input: SignUpInput, config: Config, facts: Facts): Decision {
  const context: RuleContext = { input, config, facts };
  for (const rule of REFUSAL_RULES) {
    const verdict = rule(context);
    if (verdict === undefined) continue;
    if (verdict.kind === 'needs') return { outcome: 'needs-facts', facts: verdict.facts };
    return { outcome: 'refused', code: verdict.code, rule: verdict.rule };
  }
  if (input.source === 'PreSignUp_AdminCreateUser') return { outcome: 'unchanged', rule: 'AdminCreateUser' };
  return { outcome: 'accepted', ...responseFlagsFor(context) };
}
