import { domainListMatches } from '../../config/domain-list.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** `BLOCKED_EMAIL_DOMAINS`: refuse emails in a blocked domain. Runs before the allow list. */
function checkBlockedEmailDomain({ input: { emailDomain }, config }: RuleContext): RuleVerdict {
  const blocked = config.blockedEmailDomains;
  if (blocked === undefined || emailDomain === undefined) return undefined;
  return domainListMatches(blocked, emailDomain) ? refuse('EMAIL_DOMAIN_BLOCKED', 'BLOCKED_EMAIL_DOMAINS') : undefined;
}

/**
 * `ALLOWED_EMAIL_DOMAINS` and `ALLOWED_EMAILS`: with either set, refuse emails that are in neither
 * (and sign-ups without a usable email). A listed address passes whatever its domain.
 */
function checkAllowedEmailDomain({ input: { emailDomain, emailKey }, config }: RuleContext): RuleVerdict {
  const { allowedEmailDomains: domains, allowedEmails: addresses } = config;
  if (domains === undefined && addresses === undefined) return undefined;
  if (emailKey !== undefined && addresses?.has(emailKey) === true) return undefined;
  if (emailDomain !== undefined && domains !== undefined && domainListMatches(domains, emailDomain)) return undefined;
  return refuse('EMAIL_DOMAIN_NOT_ALLOWED', domains === undefined ? 'ALLOWED_EMAILS' : 'ALLOWED_EMAIL_DOMAINS');
}

export const blockedEmailDomainRule = {
  name: 'BLOCKED_EMAIL_DOMAINS',
  settings: ['BLOCKED_EMAIL_DOMAINS'],
  isOn: (config) => config.blockedEmailDomains !== undefined,
  judges: { email: true },
  facts: [],
  check: checkBlockedEmailDomain,
} as const satisfies RefusalRule;

export const allowedEmailDomainRule = {
  name: 'ALLOWED_EMAIL_DOMAINS',
  settings: ['ALLOWED_EMAIL_DOMAINS', 'ALLOWED_EMAILS'],
  isOn: (config) => config.allowedEmailDomains !== undefined || config.allowedEmails !== undefined,
  // An address on either list passes, so the refusal names the domains while they are set.
  judges: {
    email: (config) =>
      config.allowedEmailDomains !== undefined
        ? 'ALLOWED_EMAIL_DOMAINS'
        : config.allowedEmails !== undefined
          ? 'ALLOWED_EMAILS'
          : undefined,
  },
  facts: [],
  check: checkAllowedEmailDomain,
} as const satisfies RefusalRule;
