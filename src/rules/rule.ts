import type { RefusalCode } from '../codes.js';
import type { Config } from '../config/config.js';
import type { FactName, Facts } from '../facts.js';
import type { SignUpInput } from '../sign-up-input.js';

/** Everything a rule may look at. Rules are pure: no environment, no I/O, no throwing. */
export interface RuleContext {
  readonly input: SignUpInput;
  readonly config: Config;
  readonly facts: Facts;
}

/**
 * A rule's answer: undefined to let the sign-up through, a refusal, or the facts it needs
 * looked up before it can answer. `rule` names the setting that decided, for the log.
 */
export type RuleVerdict =
  | undefined
  | { readonly kind: 'refuse'; readonly code: RefusalCode; readonly rule: string }
  | { readonly kind: 'needs'; readonly facts: readonly FactName[] };

export function refuse(code: RefusalCode, rule: string): RuleVerdict {
  return { kind: 'refuse', code, rule };
}
