import type { Config } from '../config/load-config.js';

/**
 * Whether any refusal rule can act on a sign-up under this configuration. With none of the settings
 * below, every rule lets every sign-up through without asking for a fact, so the handler decides
 * with no rules and the rules' file is never loaded. A property test checks each rule against this
 * over generated configurations, sign-ups and facts: a setting a rule reads must be listed here.
 */
export function needsRefusalRules(config: Config): boolean {
  return (
    config.allowedEmailDomains !== undefined ||
    config.blockedEmailDomains !== undefined ||
    config.allowedEmails !== undefined ||
    config.blockedEmails !== undefined ||
    config.emailSubaddresses !== 'allow' ||
    config.allowedPhonePrefixes !== undefined ||
    config.blockedPhonePrefixes !== undefined ||
    config.blockDisposableEmails ||
    config.minUsernameLength > 0 ||
    config.captcha !== undefined ||
    config.linkFederatedUsers !== undefined ||
    config.invite !== undefined ||
    config.existingAccountPolicy !== 'ignore' ||
    config.rateLimits !== undefined
  );
}
