import { isFailure } from '../facts.js';
import { type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** What a typed invitation code may contain: safe to paste, survives email and chat. */
const INVITATION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * `INVITE_REQUIRED`: refuse sign-ups without an invitation code, or with one that is not valid
 * for their email. Codes are bound to an email, so a sign-up without one cannot be invited.
 * An administrator creating a user (AdminCreateUser) is itself the invitation: not checked.
 */
export function checkInvitation({ input, config, facts }: RuleContext): RuleVerdict {
  if (config.invite === undefined || input.source === 'PreSignUp_AdminCreateUser') return undefined;
  const code = input.inviteCode?.trim();
  if (code === undefined || code === '') return refuse('INVITE_REQUIRED', 'INVITE_REQUIRED');
  if (!INVITATION_CODE_PATTERN.test(code) || input.email === undefined)
    return refuse('INVITE_INVALID', 'INVITE_REQUIRED');
  const valid = facts.invitationValid;
  if (valid === undefined) return { outcome: 'needs-facts', facts: ['invitationValid'] };
  // Never failed open, whatever FAIL_OPEN says: an invitation that could not be checked is not one.
  if (isFailure(valid)) return refuse('SERVICE_UNAVAILABLE', 'INVITE_REQUIRED');
  return valid ? undefined : refuse('INVITE_INVALID', 'INVITE_REQUIRED');
}
