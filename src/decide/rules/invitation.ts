import { isFailure } from '../../model/facts.js';
import type { Config } from '../../config/load-config.js';
import { type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** What a typed invitation code may contain: safe to paste, survives email and chat. */
const INVITATION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * `INVITE_REQUIRED`: refuse sign-ups that no invitation admits. Under `INVITE_MATCH=code` (the
 * default) that is a code valid for the sign-up's email; under `email`, an INVITE_TABLE row for the
 * email itself, with no code, so that managed-login and federated sign-ups (which cannot carry a
 * code) can be invited; under `code-or-email`, either. An invitation whose uses are spent by other
 * users refuses with INVITE_USED. An administrator creating a user (AdminCreateUser) is itself the
 * invitation: not checked.
 */
/** Whether an INVITE_TABLE row for the email admits a sign-up without a code (INVITE_MATCH). */
export function admitsByEmail(config: Config): boolean {
  return config.invite?.kind === 'table' && config.inviteMatch !== 'code';
}

/**
 * Whether a sign-up got past INVITE_REQUIRED only by its email's row: then nothing has proven that
 * the person typing the address owns it, and a self sign-up is neither confirmed nor verified here
 * (the user confirms by the code Cognito sends to that address, as without this function).
 */
export function admittedOnlyByEmail({ input, config }: Pick<RuleContext, 'input' | 'config'>): boolean {
  return (
    admitsByEmail(config) &&
    input.source === 'PreSignUp_SignUp' &&
    (input.inviteCode === undefined || input.inviteCode.trim() === '')
  );
}

export function checkInvitation({ input, config, facts }: RuleContext): RuleVerdict {
  if (config.invite === undefined || input.source === 'PreSignUp_AdminCreateUser') return undefined;
  const code = input.inviteCode?.trim();
  const hasCode = code !== undefined && code !== '';
  const byEmail = admitsByEmail(config);
  if (!hasCode && !byEmail) return refuse('INVITE_REQUIRED', 'INVITE_REQUIRED');
  if (hasCode && !INVITATION_CODE_PATTERN.test(code)) return refuse('INVITE_INVALID', 'INVITE_REQUIRED');
  if (input.email === undefined) return refuse(hasCode ? 'INVITE_INVALID' : 'INVITE_REQUIRED', 'INVITE_REQUIRED');
  // A federated email is the invitee's only on the IdP's word (see attributesToVerify), or on what an
  // inbound federation function left of it. Refused before the lookup: a row with maxUses must not
  // spend a use on a sign-up it cannot admit.
  if (!hasCode && input.source === 'PreSignUp_ExternalProvider' && !input.emailVerified) {
    return refuse('INVITE_REQUIRED', 'INVITE_MATCH');
  }
  const valid = facts.invitationValid;
  if (valid === undefined) return { outcome: 'needs-facts', facts: ['invitationValid'] };
  // Never failed open, whatever FAIL_OPEN says: an invitation that could not be checked is not one.
  if (isFailure(valid)) return refuse('SERVICE_UNAVAILABLE', 'INVITE_REQUIRED');
  if (valid === 'used') return refuse('INVITE_USED', 'INVITE_REQUIRED');
  if (valid) return undefined;
  return refuse(hasCode ? 'INVITE_INVALID' : 'INVITE_REQUIRED', 'INVITE_REQUIRED');
}
