import { domainListMatches } from '../../config/domain-list.js';
import type { Config } from '../../config/load-config.js';
import { isFailure } from '../../model/facts.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';
import { WELL_KNOWN_MAILBOX_DOMAINS } from './well-known-mailbox-domains.js';

/**
 * The two email-domain quality checks: a likely typo (EMAIL_TYPO_CHECK) and a domain that cannot
 * receive mail (EMAIL_DELIVERABILITY). Both catch an address that would only make Cognito send a
 * code into the void; neither is a security check, so neither refuses when its answer is missing:
 * a lookup that failed, or DNS that did not answer, admits the sign-up whatever FAIL_OPEN says.
 */

/**
 * A domain the operator or everybody vouches for, which neither check judges: a well-known mailbox
 * domain, one EMAIL_TYPO_DOMAINS adds, one ALLOWED_EMAIL_DOMAINS names, or an address ALLOWED_EMAILS
 * names. (With an allow list on, the allow-list rule before these has refused any other domain.)
 */
function isVouchedForDomain(input: SignUpInput, domain: string, config: Config): boolean {
  return (
    WELL_KNOWN_MAILBOX_DOMAINS.has(domain) ||
    config.emailTypoDomains?.includes(domain) === true ||
    (config.allowedEmailDomains !== undefined && domainListMatches(config.allowedEmailDomains, domain)) ||
    (input.emailKey !== undefined && config.allowedEmails?.has(input.emailKey) === true)
  );
}

/**
 * Whose address the typo check judges: every sign-up's but a federated email its IdP verified (a
 * verified address is real, whatever it looks like). A user who insists (emailDomainConfirmed)
 * vouches for the domain, not for an address nobody can read.
 */
function typoCheckJudges(input: SignUpInput): boolean {
  return !(input.source === 'PreSignUp_ExternalProvider' && input.emailVerified);
}

/** Whose address the DNS check reads: a native sign-up's, whose codes and invitations Cognito mails. */
function deliverabilityJudges(input: SignUpInput): boolean {
  return input.source !== 'PreSignUp_ExternalProvider';
}

/**
 * `EMAIL_TYPO_CHECK`: refuse an email whose domain is one slip from a well-known mailbox domain
 * (`gmial.com`), naming the suggestion, unless the user insists (`emailDomainConfirmed`). Judges
 * self sign-ups and AdminCreateUser (an administrator can insist too); a federated sign-up only
 * when its IdP did not verify the email, since a verified address is real whatever it looks like.
 */
function checkEmailDomainTypo({ input, config, facts }: RuleContext): RuleVerdict {
  const { emailDomain } = input;
  if (!config.emailTypoCheck || emailDomain === undefined || !typoCheckJudges(input)) return undefined;
  if (input.emailDomainConfirmed) return undefined;
  if (isVouchedForDomain(input, emailDomain, config)) return undefined;
  const typo = facts.emailDomainTypo;
  if (typo === undefined) return { outcome: 'needs-facts', facts: ['emailDomainTypo'] };
  if (isFailure(typo) || typo.suggestion === undefined) return undefined;
  return { outcome: 'refused', code: 'EMAIL_DOMAIN_TYPO', rule: 'EMAIL_TYPO_CHECK', suggestion: typo.suggestion };
}

/**
 * `EMAIL_DELIVERABILITY`: refuse a native sign-up (self sign-up or AdminCreateUser, whose codes and
 * invitations Cognito mails) whose domain does not exist, publishes a null MX, or has no mail
 * server. A federated sign-up is not judged: Cognito sends it no code.
 */
function checkEmailDeliverability({ input, config, facts }: RuleContext): RuleVerdict {
  const { emailDomain } = input;
  if (!config.emailDeliverability || emailDomain === undefined) return undefined;
  if (!deliverabilityJudges(input) || isVouchedForDomain(input, emailDomain, config)) return undefined;
  const mail = facts.emailDomainMail;
  if (mail === undefined) return { outcome: 'needs-facts', facts: ['emailDomainMail'] };
  if (isFailure(mail) || mail === 'has-mail-server' || mail === 'unknown') return undefined;
  return refuse('EMAIL_UNDELIVERABLE', 'EMAIL_DELIVERABILITY');
}

export const emailDomainTypoRule = {
  name: 'EMAIL_TYPO_CHECK',
  settings: ['EMAIL_TYPO_CHECK', 'EMAIL_TYPO_DOMAINS', 'ALLOWED_EMAIL_DOMAINS', 'ALLOWED_EMAILS'],
  isOn: (config) => config.emailTypoCheck,
  judges: {
    email: (_config, input) => (typoCheckJudges(input) ? 'EMAIL_TYPO_CHECK' : undefined),
    source: true,
    emailDomainConfirmed: true,
  },
  facts: ['emailDomainTypo'],
  check: checkEmailDomainTypo,
} as const satisfies RefusalRule;

export const emailDeliverabilityRule = {
  name: 'EMAIL_DELIVERABILITY',
  settings: ['EMAIL_DELIVERABILITY', 'DNS_SERVERS', 'EMAIL_TYPO_DOMAINS', 'ALLOWED_EMAIL_DOMAINS', 'ALLOWED_EMAILS'],
  isOn: (config) => config.emailDeliverability,
  judges: {
    email: (_config, input) => (deliverabilityJudges(input) ? 'EMAIL_DELIVERABILITY' : undefined),
    source: true,
  },
  facts: ['emailDomainMail'],
  check: checkEmailDeliverability,
} as const satisfies RefusalRule;
