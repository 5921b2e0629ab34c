import type { Config } from '../../config/load-config.js';
import type { RuleSettingName, SettingName } from '../../config/settings.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import type { RefusalCode } from '../../model/refusal-codes.js';
import type { Decision } from '../decision.js';
import type { FactName, Facts } from '../../model/facts.js';

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

/**
 * What of a sign-up a rule judges. `email` is the address itself: a rule that judges a sign-up's
 * address has an unreadable one refused first, with EMAIL_INVALID under the setting it names
 * (`true`: the rule's name, for every sign-up while the rule is on; a function: the setting, or
 * undefined when this configuration, or this sign-up, has the rule not judge the address, such as
 * a federated email its IdP verified).
 */
interface Judges {
  readonly email?: true | ((config: Config, input: SignUpInput) => SettingName | undefined);
  readonly phone?: true;
  readonly username?: true;
  readonly source?: true;
  readonly inviteCode?: true;
  readonly captchaToken?: true;
  readonly emailDomainConfirmed?: true;
}

/**
 * One refusal rule, as a unit: everything the rest of the code needs to know of it is declared
 * here, and what loads, what an unreadable email is refused under and the order in the docs are
 * derived from these declarations (see REFUSAL_RULES).
 */
export interface RefusalRule {
  /**
   * The setting its refusals name in the log's `rule` field (the first, where it has several),
   * marked as a rule's name in SETTING_REGISTRY (`refusalRule`); or one of the two parts that
   * refuse on behalf of other rules.
   */
  readonly name: RuleSettingName | 'UNREADABLE_EMAIL' | 'INVITATION_USE';
  /** Every setting its check or isOn reads; each refusal names one of them. */
  readonly settings: readonly SettingName[];
  /**
   * Whether it can act at all under a configuration: when false, its check lets every sign-up
   * through without asking for a fact, and a configuration with none on never loads the rules.
   */
  readonly isOn: (config: Config) => boolean;
  readonly judges: Judges;
  /** The facts its check may ask for. */
  readonly facts: readonly FactName[];
  /**
   * Whether its refusals of this sign-up are only logged under this configuration (`wouldRefuse`).
   * Without it, when LOG_ONLY_RULES names the rule; a part that refuses on behalf of other rules
   * says when (for the unreadable email: when every rule that judges this sign-up's address is).
   */
  readonly logOnlyIn?: (config: Config, input: SignUpInput) => boolean;
  /** It lets a sign-up through, refuses it, or asks for facts. */
  readonly check: (context: RuleContext) => RuleVerdict;
}

export function refuse(code: RefusalCode, rule: SettingName): RuleVerdict {
  return { outcome: 'refused', code, rule };
}

/** Whether a rule's refusals of this sign-up are only logged under this configuration (see RefusalRule's logOnlyIn). */
export function isLogOnly(rule: RefusalRule, config: Config, input: SignUpInput): boolean {
  return (
    rule.logOnlyIn?.(config, input) ?? (config.logOnlyRules as ReadonlySet<string> | undefined)?.has(rule.name) === true
  );
}
