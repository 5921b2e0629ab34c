import { type FactName, failsOpen, isFailure } from '../../model/facts.js';
import { attributesToVerify, confirmationFor } from './confirmation.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `EXISTING_ACCOUNT_POLICY`: guards against alias takeover. When a sign-up auto-verifies an email
 * or phone that another user holds as an alias, Cognito moves the alias to the new user.
 * `deny` refuses any sign-up whose email (or to-be-verified phone) another user holds;
 * `no-verify` lets it through but leaves that attribute unverified (see responseFlagsFor).
 */
function checkExistingAccount(context: RuleContext): RuleVerdict {
  const { config, facts } = context;
  const policy = config.existingAccountPolicy;
  if (policy === 'ignore') return undefined;
  const lookups = accountLookupsFor(context);
  const needs: FactName[] = [];
  if (lookups.email && facts.existingAccountForEmail === undefined) needs.push('existingAccountForEmail');
  if (lookups.phone && facts.existingAccountForPhone === undefined) needs.push('existingAccountForPhone');
  if (needs.length > 0) return { outcome: 'needs-facts', facts: needs };

  // FAIL_OPEN skips only a transient failure; access denied or a missing pool always refuses.
  for (const [looked, value] of [
    [lookups.email, facts.existingAccountForEmail],
    [lookups.phone, facts.existingAccountForPhone],
  ] as const) {
    if (looked && isFailure(value) && !failsOpen(value, config.failOpen)) {
      return refuse('SERVICE_UNAVAILABLE', 'EXISTING_ACCOUNT_POLICY');
    }
  }
  if (policy === 'deny' && (facts.existingAccountForEmail === true || facts.existingAccountForPhone === true)) {
    return refuse('ACCOUNT_EXISTS', 'EXISTING_ACCOUNT_POLICY');
  }
  return undefined;
}

/**
 * Which values must be looked up. With `deny` the email is looked up whenever there is one (the
 * point is one account per email); otherwise only what would be verified is at risk.
 */
function accountLookupsFor(context: RuleContext): { email: boolean; phone: boolean } {
  const verify = attributesToVerify(context, confirmationFor(context).confirm);
  const denying = context.config.existingAccountPolicy === 'deny';
  return {
    email: context.input.email !== undefined && (denying || verify.email),
    phone: verify.phone,
  };
}

export const existingAccountRule = {
  name: 'EXISTING_ACCOUNT_POLICY',
  // What would be confirmed and verified decides what is looked up (see accountLookupsFor).
  settings: [
    'EXISTING_ACCOUNT_POLICY',
    'AUTO_CONFIRM',
    'AUTO_CONFIRM_EMAIL_DOMAINS',
    'AUTO_VERIFY_EMAIL',
    'AUTO_VERIFY_PHONE',
    'INVITE_REQUIRED',
    'FAIL_OPEN',
  ],
  isOn: (config) => config.existingAccountPolicy !== 'ignore',
  // It looks the address up to find another holder; it does not judge the address itself.
  judges: { phone: true, source: true },
  facts: ['existingAccountForEmail', 'existingAccountForPhone'],
  check: checkExistingAccount,
} as const satisfies RefusalRule;
