import type { Config } from '../config/load-config.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decision } from './decision.js';
import type { Facts } from './facts.js';
import { acceptanceFor } from './rules/confirmation.js';
import { checkDisposableEmail } from './rules/disposable-email.js';
import { checkBlockedEmail, checkEmailSubaddress } from './rules/email-addresses.js';
import { checkAllowedEmailDomain, checkBlockedEmailDomain } from './rules/email-domains.js';
import { checkEmailReadable } from './rules/email-readable.js';
import { checkExistingAccount } from './rules/existing-account.js';
import { checkFederatedLink } from './rules/federated-link.js';
import { checkInvitation } from './rules/invitation.js';
import { checkPhonePrefixes } from './rules/phone-prefixes.js';
import type { RuleContext, RuleVerdict } from './rules/rule.js';
import { checkUsernameLength } from './rules/username.js';

/**
 * The refusal rules in the order they run; the first refusal wins. Cheap, local rules come first
 * so that a sign-up they refuse never costs an AWS call.
 */
const REFUSAL_RULES: readonly ((context: RuleContext) => RuleVerdict)[] = [
  checkEmailReadable,
  // Blocks before allows: a blocked address or domain is refused even when an allow list names it.
  checkBlockedEmail,
  checkBlockedEmailDomain,
  checkEmailSubaddress,
  checkAllowedEmailDomain,
  checkPhonePrefixes,
  checkDisposableEmail,
  checkUsernameLength,
  // Before the invitation and the account guard: a person who already has an account needs
  // neither an invitation nor to be told that the account exists.
  checkFederatedLink,
  checkInvitation,
  checkExistingAccount,
];

/**
 * Decides a sign-up. Pure: no environment, no I/O, never throws. When a rule needs an outside
 * fact it says so, the caller looks it up and calls again, so that lookups happen only when a
 * rule actually reaches them.
 */
export function decide(input: SignUpInput, config: Config, facts: Facts): Decision {
  const context: RuleContext = { input, config, facts };
  for (const rule of REFUSAL_RULES) {
    const verdict = rule(context);
    if (verdict !== undefined) return verdict;
  }
  if (input.source === 'PreSignUp_AdminCreateUser') return { outcome: 'unchanged', rule: 'AdminCreateUser' };
  return acceptanceFor(context);
}
