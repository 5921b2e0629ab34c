import type { Config } from '../../config/load-config.js';
import type { SettingName } from '../../config/settings.js';
import { hasUnreadableEmail } from '../../read/sign-up-event.js';
import { isLogOnly, type RefusalRule, refuse } from './rule.js';

/** The setting under which a rule judges the address in this configuration (see Judges), if any. */
function judgingEmailUnder(rule: RefusalRule, config: Config): SettingName | undefined {
  const { email } = rule.judges;
  if (email === true) return rule.isOn(config) ? (rule.name as SettingName) : undefined;
  return email?.(config);
}

/**
 * An email the strict reader refused (`a@ex%61mple.com`, `a@[1.2.3.4]`, `a@example.com.` + `.`…) is
 * refused with EMAIL_INVALID whenever one of `rules` would judge the address (see Judges), under
 * the setting of the first: an address nobody can read can be neither allowed nor blocked.
 * Without such a rule the sign-up goes on, and the email is never verified (see attributesToVerify).
 */
export function emailReadableRule(rules: readonly RefusalRule[]) {
  // Under LOG_ONLY_RULES, the first rule that judges the address and is enforced; only when each
  // is log-only, the first of them (and the refusal is only logged).
  const firstJudging = (config: Config, enforced: boolean): SettingName | undefined => {
    for (const rule of rules) {
      const setting = judgingEmailUnder(rule, config);
      if (setting !== undefined && !(enforced && isLogOnly(rule, config))) return setting;
    }
    return undefined;
  };
  return {
    name: 'UNREADABLE_EMAIL',
    settings: [...new Set(rules.flatMap((rule) => (rule.judges.email === undefined ? [] : rule.settings)))],
    isOn: (config) => firstJudging(config, false) !== undefined,
    judges: {},
    facts: [],
    logOnlyIn: (config) => firstJudging(config, true) === undefined,
    check: ({ input, config }) => {
      if (!hasUnreadableEmail(input)) return undefined;
      const setting = firstJudging(config, true) ?? firstJudging(config, false);
      return setting === undefined ? undefined : refuse('EMAIL_INVALID', setting);
    },
  } as const satisfies RefusalRule;
}
