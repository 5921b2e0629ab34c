import type { Config } from '../../config/load-config.js';
import type { SettingName } from '../../config/settings.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import type { RefusalCode } from '../../model/refusal-codes.js';
import type { Decision } from '../decision.js';
import type { Facts } from '../../model/facts.js';

/** Everything a rule may look at. Rules are pure: no environment, no I/O, no throwing. */
export interface RuleContext {
  readonly input: SignUpInput;
  readonly config: Config;
  readonly facts: Facts;
}

/**
 * A rule's answer, in the decision's own words: undefined to let the sign-up through, a refusal
 * naming the setting that decided, or the facts it needs looked up before it can answer.
 */
export type RuleVerdict = Extract<Decision, { readonly outcome: 'refused' | 'needs-facts' }> | undefined;

/** One refusal rule: it lets a sign-up through, refuses it, or asks for facts. */
export type RefusalRule = (context: RuleContext) => RuleVerdict;

export function refuse(code: RefusalCode, rule: SettingName): RuleVerdict {
  return { outcome: 'refused', code, rule };
}
