import { domainListMatches } from '../../config/domain-list.js';
import { type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** `BLOCKED_EMAIL_DOMAINS`: refuse emails in a blocked domain. Runs before the allow list. */
export function checkBlockedEmailDomain({ input: { emailDomain }, config }: RuleContext): RuleVerdict {
  const blocked = config.blockedEmailDomains;
  if (blocked === undefined || emailDomain === undefined) return undefined;
  return domainListMatches(blocked, emailDomain) ? refuse('EMAIL_DOMAIN_BLOCKED', 'BLOCKED_EMAIL_DOMAINS') : undefined;
}

/** `ALLOWED_EMAIL_DOMAINS`: refuse emails outside the list, and sign-ups without a usable email. */
export function checkAllowedEmailDomain({ input: { emailDomain }, config }: RuleContext): RuleVerdict {
  const allowed = config.allowedEmailDomains;
  if (allowed === undefined) return undefined;
  if (emailDomain !== undefined && domainListMatches(allowed, emailDomain)) return undefined;
  return refuse('EMAIL_DOMAIN_NOT_ALLOWED', 'ALLOWED_EMAIL_DOMAINS');
}
