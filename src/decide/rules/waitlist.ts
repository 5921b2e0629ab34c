import { isFailure } from '../../model/facts.js';
import { goesToWaitlist, INVITATION_SETTINGS } from './invitation.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `WAITLIST_TABLE`: a sign-up that came with no invitation (the one INVITE_REQUIRED would refuse) is
 * recorded on the waitlist, one row per address as the block lists compare it, and refused with
 * WAITLISTED. It runs right after the invitation rule, in its place: every rule before it has passed
 * (CAPTCHA, the blocks), so a sign-up refused for another reason records nothing, and an uninvited
 * sign-up is never told whether an account exists (the guard comes after). The answer is WAITLISTED
 * whether the address was on the list or not, and for a retry. A write that failed is refused with
 * SERVICE_UNAVAILABLE, never admitted (whatever FAIL_OPEN says: the invitation requirement holds),
 * so that the person tries again rather than believe they are on a list they are not on.
 * Self sign-ups and federated first sign-ins are judged; AdminCreateUser is itself an invitation.
 */
function checkWaitlist(context: RuleContext): RuleVerdict {
  if (!goesToWaitlist(context)) return undefined;
  const recorded = context.facts.waitlist;
  if (recorded === undefined) return { outcome: 'needs-facts', facts: ['waitlist'] };
  return refuse(isFailure(recorded) ? 'SERVICE_UNAVAILABLE' : 'WAITLISTED', 'WAITLIST_TABLE');
}

export const waitlistRule = {
  name: 'WAITLIST_TABLE',
  settings: ['WAITLIST_TABLE', 'WAITLIST_DAYS', ...INVITATION_SETTINGS],
  isOn: (config) => config.waitlist !== undefined && config.invite !== undefined,
  // The row is keyed by the address: an unreadable one cannot be recorded, or invited later.
  judges: { email: true, source: true, inviteCode: true },
  facts: ['waitlist'],
  check: checkWaitlist,
} as const satisfies RefusalRule;
