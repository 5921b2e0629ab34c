import type { Config } from '../config/load-config.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decision } from './decision.js';
import { decideBy } from './decide-by.js';
import type { Facts } from '../model/facts.js';
import { checkCaptcha } from './rules/captcha.js';
import { checkDisposableEmail } from './rules/disposable-email.js';
import { checkBlockedEmail, checkEmailSubaddress } from './rules/email-addresses.js';
import { checkAllowedEmailDomain, checkBlockedEmailDomain } from './rules/email-domains.js';
import { checkEmailReadable } from './rules/email-readable.js';
import { checkExistingAccount } from './rules/existing-account.js';
import { checkFederatedLink } from './rules/federated-link.js';
import { checkInvitation, checkInvitationUse } from './rules/invitation.js';
import { checkPhonePrefixes } from './rules/phone-prefixes.js';
import { checkRateLimit } from './rules/rate-limit.js';
import type { RefusalRule } from './rules/rule.js';
import { checkUsernameLength } from './rules/username.js';

/**
 * The refusal rules in the order they run; the first refusal wins. Cheap, local rules come first
 * so that a sign-up they refuse never costs an AWS call. They are a file of their own in the zip
 * (lazy/refusal-rules.mjs), loaded only by a configuration that turns one on (needsRefusalRules).
 */
export const REFUSAL_RULES: readonly RefusalRule[] = [
  checkEmailReadable,
  // Blocks before allows: a blocked address or domain is refused even when an allow list names it.
  checkBlockedEmail,
  checkBlockedEmailDomain,
  checkEmailSubaddress,
  checkAllowedEmailDomain,
  checkPhonePrefixes,
  checkDisposableEmail,
  checkUsernameLength,
  // A bot's sign-up spends nothing after this: no invitation use, no count.
  checkCaptcha,
  // Before the invitation and the account guard: a person who already has an account needs
  // neither an invitation nor to be told that the account exists.
  checkFederatedLink,
  checkInvitation,
  checkExistingAccount,
  // Only a sign-up every other rule admits is counted,
  checkRateLimit,
  // and spends an invitation's use.
  checkInvitationUse,
];

/**
 * Decides a sign-up with every refusal rule (see decideBy). The handler runs only the rules its
 * configuration needs (refusalRulesFor), which decides the same: a property test shows it.
 */
export function decide(input: SignUpInput, config: Config, facts: Facts): Decision {
  return decideBy(REFUSAL_RULES, input, config, facts);
}
