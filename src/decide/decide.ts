import type { Config } from '../config/load-config.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decision } from './decision.js';
import { type FactName, type Facts, READ_ONLY_FACTS } from '../model/facts.js';
import { checkCaptcha } from './rules/captcha.js';
import { acceptanceFor } from './rules/confirmation.js';
import { checkDisposableEmail } from './rules/disposable-email.js';
import { checkBlockedEmail, checkEmailSubaddress } from './rules/email-addresses.js';
import { checkAllowedEmailDomain, checkBlockedEmailDomain } from './rules/email-domains.js';
import { checkEmailReadable } from './rules/email-readable.js';
import { checkExistingAccount } from './rules/existing-account.js';
import { checkFederatedLink } from './rules/federated-link.js';
import { checkInvitation } from './rules/invitation.js';
import { checkPhonePrefixes } from './rules/phone-prefixes.js';
import { checkRateLimit } from './rules/rate-limit.js';
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
  // A bot's sign-up spends nothing after this: no invitation use, no count.
  checkCaptcha,
  // Before the invitation and the account guard: a person who already has an account needs
  // neither an invitation nor to be told that the account exists.
  checkFederatedLink,
  checkInvitation,
  checkExistingAccount,
  // Last: only a sign-up every other rule admits is counted.
  checkRateLimit,
];

/**
 * Whether a pending fact may be looked up while later rules' read-only facts are looked up beside
 * it: a read-only one, or a CAPTCHA check (its token is single-use anyway, and the widget makes a
 * new one for the next try). An invitation use is never spent on a sign-up a later rule refuses.
 */
function mayRunBeside(name: FactName): boolean {
  return READ_ONLY_FACTS.has(name) || name === 'captcha';
}

/**
 * Decides a sign-up. Pure: no environment, no I/O, never throws. When a rule needs an outside
 * fact it says so, the caller looks it up and calls again, so that lookups happen only when a
 * rule actually reaches them. The first refusal wins, in the order of REFUSAL_RULES.
 *
 * While a rule waits for a fact, the rules after it still run, so that facts are looked up in
 * parallel; but only facts that change nothing (READ_ONLY_FACTS) are asked for beside another's,
 * and only beside one whose spending cannot be wasted (see mayRunBeside): an invitation use, a
 * count or a link is spent only once every rule before it has passed, and no later rule's lookup
 * runs beside it. A later rule's refusal waits for the earlier rule's answer.
 */
export function decide(input: SignUpInput, config: Config, facts: Facts): Decision {
  const context: RuleContext = { input, config, facts };
  let pending: FactName[] | undefined;
  for (const rule of REFUSAL_RULES) {
    const verdict = rule(context);
    if (verdict === undefined) continue;
    if (verdict.outcome === 'refused') {
      if (pending === undefined) return verdict;
      break;
    }
    if (pending === undefined) pending = [...verdict.facts];
    else if (pending.every(mayRunBeside) && verdict.facts.every((name) => READ_ONLY_FACTS.has(name))) {
      pending.push(...verdict.facts);
    } else break;
  }
  if (pending !== undefined) return { outcome: 'needs-facts', facts: pending };
  if (input.source === 'PreSignUp_AdminCreateUser') return { outcome: 'unchanged', rule: 'AdminCreateUser' };
  return acceptanceFor(context);
}
