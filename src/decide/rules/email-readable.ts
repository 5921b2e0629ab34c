import type { Config } from '../../config/load-config.js';
import type { SettingName } from '../../config/settings.js';
import { hasUnreadableEmail, type SignUpInput } from '../../read/sign-up-event.js';
import { isLogOnly, type RefusalRule, refuse } from './rule.js';

/** The setting under which a rule judges this sign-up's address in this configuration (see Judges), if any. */
function judgingEmailUnder(rule: RefusalRule, config: Config, input: SignUpInput): SettingName | undefined {
  const { email } = rule.judges;
  if (email === undefined || !rule.isOn(config)) return undefined;
  return email === true ? (rule.name as SettingName) : email(config, input);
}

/**
 * An email the strict reader refused (`a@ex%61mple.com`, `a@[1.2.3.4]`, `a@example.com.` + `.`…) is
 * refused with EMAIL_INVALID whenever one of `rules` would judge the address (see Judges), under
 * the setting of the first: an address nobody can read can be neither allowed nor blocked.
 * Without such a rule the sign-up goes on, and the email is never verified (see attributesToVerify).
 */
export function emailReadableRule(rules: readonly RefusalRule[]) {
  const judging = rules.filter((rule) => rule.judges.email !== undefined);
  // Under LOG_ONLY_RULES, the first rule that judges the address and is enforced; only when each
  // is log-only, the first of them (and the refusal is only logged).
  const firstJudging = (config: Config, input: SignUpInput, enforced: boolean): SettingName | undefined => {
    for (const rule of judging) {
      const setting = judgingEmailUnder(rule, config, input);
      if (setting !== undefined && !(enforced && isLogOnly(rule, config, input))) return setting;
    }
    return undefined;
  };
  return {
    name: 'UNREADABLE_EMAIL',
    settings: [...new Set(judging.flatMap((rule) => rule.settings))],
    // On while a rule that may judge an address is; whether it judges this one is the check's to say.
    isOn: (config) => judging.some((rule) => rule.isOn(config)),
    judges: {},
    facts: [],
    logOnlyIn: (config, input) => firstJudging(config, input, true) === undefined,
    check: ({ input, config }) => {
      if (!hasUnreadableEmail(input)) return undefined;
      const setting = firstJudging(config, input, true) ?? firstJudging(config, input, false);
      return setting === undefined ? undefined : refuse('EMAIL_INVALID', setting);
    },
  } as const satisfies RefusalRule;
}
