import { domainListMatches } from '../../config/domain-list.js';
import type { SettingName } from '../../config/settings.js';
import type { Decision } from '../decision.js';
import { invitationProvesNoOwner } from './invitation.js';
import type { RuleContext } from './rule.js';

/** Whether a sign-up no rule refused is confirmed, and which setting decided it. */
export function confirmationFor(context: RuleContext): { confirm: boolean; rule: SettingName } {
  const { input, config } = context;
  if (!config.autoConfirm) return { confirm: false, rule: 'AUTO_CONFIRM' };
  // Admitted by an invitation row for the typed address alone: the address must be proven by code.
  if (invitationProvesNoOwner(context)) return { confirm: false, rule: 'INVITE_MATCH' };
  const { emailDomain } = input;
  const domains = config.autoConfirmEmailDomains;
  if (domains === undefined) return { confirm: true, rule: 'AUTO_CONFIRM' };
  // Outside the listed domains the user is created unconfirmed and verifies by code as usual.
  return {
    confirm: emailDomain !== undefined && domainListMatches(domains, emailDomain),
    rule: 'AUTO_CONFIRM_EMAIL_DOMAINS',
  };
}

/**
 * Which attributes would be marked verified, before the existing-account guard has its say.
 * Cognito errors when asked to verify an attribute the user does not have, hence the presence
 * checks; and it ignores every flag for AdminCreateUser, so nothing is verified there. An email the
 * strict reader refused is never verified: nobody can say which mailbox it is.
 *
 * A federated sign-up's email or phone is verified only on the identity provider's word (its
 * `email_verified` / `phone_number_verified`, mapped in the pool): an IdP that lets users type any
 * address (Facebook sends no claim, Entra's email is editable) must not produce a verified one.
 */
export function attributesToVerify(context: RuleContext, confirm: boolean): { email: boolean; phone: boolean } {
  const { input, config } = context;
  const verifying = confirm && input.source !== 'PreSignUp_AdminCreateUser';
  const federated = input.source === 'PreSignUp_ExternalProvider';
  return {
    email:
      verifying && config.autoVerifyEmail && input.emailDomain !== undefined && (!federated || input.emailVerified),
    phone: verifying && config.autoVerifyPhone && input.phone !== undefined && (!federated || input.phoneVerified),
  };
}

/**
 * The decision for a sign-up that no rule refused. Under an existing-account policy an attribute is
 * verified only when a lookup showed that nobody else holds it: a failed lookup (with FAIL_OPEN)
 * must never verify what it could not check.
 */
export function acceptanceFor(context: RuleContext): Extract<Decision, { outcome: 'accepted' }> {
  const { confirm, rule } = confirmationFor(context);
  const verify = attributesToVerify(context, confirm);
  const guarded = context.config.existingAccountPolicy !== 'ignore';
  return {
    outcome: 'accepted',
    flags: {
      autoConfirmUser: confirm,
      autoVerifyEmail: verify.email && (!guarded || context.facts.existingAccountForEmail === false),
      autoVerifyPhone: verify.phone && (!guarded || context.facts.existingAccountForPhone === false),
    },
    rule,
  };
}
