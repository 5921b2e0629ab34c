import { isFailure } from '../../model/facts.js';
import type { Config } from '../../config/load-config.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** What a typed invitation code may contain: safe to paste, survives email and chat. */
const INVITATION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Whether an INVITE_TABLE row for the email admits a sign-up without a code (INVITE_MATCH). */
function admitsByEmail(config: Config): boolean {
  return config.invite?.kind === 'table' && config.inviteMatch !== 'code';
}

/**
 * Whether an invitation admitted a self sign-up without proving who typed the address: only a
 * matched code proves that. Then the sign-up is neither confirmed nor verified here (the user
 * confirms by the code Cognito sends to the address, as without this function). Decided by the
 * looked-up proof, never by what the event carries: a made-up code next to an invited address
 * proves nothing.
 */
export function invitationProvesNoOwner({ input, config, facts }: RuleContext): boolean {
  if (config.invite === undefined || input.source !== 'PreSignUp_SignUp') return false;
  const proof = facts.invitation;
  return !(typeof proof === 'object' && proof.proven === 'code');
}

/**
 * `INVITE_REQUIRED`: refuse sign-ups that no invitation admits. Under `INVITE_MATCH=code` (the
 * default) that is a code valid for the sign-up's email; under `email`, an INVITE_TABLE row for the
 * email itself, with no code, so that managed-login and federated sign-ups (which cannot carry a
 * code) can be invited; under `code-or-email`, either. An invitation whose uses are spent by other
 * users refuses with INVITE_USED. An administrator creating a user (AdminCreateUser) is itself the
 * invitation: not checked. Looking the invitation up spends nothing (see checkInvitationUse).
 */
function checkInvitation({ input, config, facts }: RuleContext): RuleVerdict {
  if (config.invite === undefined || input.source === 'PreSignUp_AdminCreateUser') return undefined;
  const code = input.inviteCode?.trim();
  const hasCode = code !== undefined && code !== '';
  const byEmail = admitsByEmail(config);
  if (!hasCode && !byEmail) return refuse('INVITE_REQUIRED', 'INVITE_REQUIRED');
  if (hasCode && !INVITATION_CODE_PATTERN.test(code)) return refuse('INVITE_INVALID', 'INVITE_REQUIRED');
  if (input.email === undefined) return refuse(hasCode ? 'INVITE_INVALID' : 'INVITE_REQUIRED', 'INVITE_REQUIRED');
  // A federated email is the invitee's only on the IdP's word (see attributesToVerify): without it
  // an email row cannot admit the sign-in, so nothing is looked up for it.
  const unprovenFederated = input.source === 'PreSignUp_ExternalProvider' && !input.emailVerified;
  if (unprovenFederated && !hasCode) return refuse('INVITE_REQUIRED', 'INVITE_MATCH');
  const proof = facts.invitation;
  if (proof === undefined) return { outcome: 'needs-facts', facts: ['invitation'] };
  // Never failed open, whatever FAIL_OPEN says: an invitation that could not be checked is not one.
  if (isFailure(proof)) return refuse('SERVICE_UNAVAILABLE', 'INVITE_REQUIRED');
  if (proof === 'used') return refuse(usedAnswer(input, config, hasCode), 'INVITE_REQUIRED');
  if (proof === 'none') return refuse(hasCode ? 'INVITE_INVALID' : 'INVITE_REQUIRED', 'INVITE_REQUIRED');
  if (proof.proven === 'address') {
    // Only a table under INVITE_MATCH email or code-or-email answers `address`: under `code` the
    // sign-up has a code (it was refused above without one), and that code proved nothing.
    if (!byEmail) return refuse('INVITE_INVALID', 'INVITE_REQUIRED');
    if (unprovenFederated) return refuse('INVITE_REQUIRED', 'INVITE_MATCH');
  }
  return undefined;
}

/**
 * What a spent invitation answers. With the waitlist on, a self sign-up without a code that names a
 * spent invitation's address is told WAITLISTED, as every address never invited is: INVITE_USED
 * would tell anyone who types an address that it was invited and used. Nothing is recorded (its
 * owner has been admitted; inviting the address again would only give it another use), and the log's
 * rule (INVITE_REQUIRED, not WAITLIST_TABLE) tells the operator so. A code's holder, and a federated
 * sign-in the IdP vouched for, are the invited person: they are told the truth.
 */
function usedAnswer(input: RuleContext['input'], config: Config, hasCode: boolean): 'INVITE_USED' | 'WAITLISTED' {
  return config.waitlist !== undefined && !hasCode && input.source === 'PreSignUp_SignUp'
    ? 'WAITLISTED'
    : 'INVITE_USED';
}

/**
 * Whether the waitlist takes this sign-up instead of the invitation rule refusing it: WAITLIST_TABLE
 * is set, and the sign-up came with no invitation at all (INVITE_REQUIRED, under INVITE_REQUIRED),
 * with a readable address to record. A wrong or used code keeps its own answer, and so does a
 * federated email the IdP did not vouch for (an invitation by email could never admit it).
 */
export function goesToWaitlist(context: RuleContext): boolean {
  if (context.config.waitlist === undefined || context.input.emailKey === undefined) return false;
  // A log-only invitation requirement admits the people it would refuse: recording them would list
  // people who already have an account. Its refusal is logged (wouldRefuse) and nothing is recorded.
  if (context.config.logOnlyRules?.has('INVITE_REQUIRED') === true) return false;
  const verdict = checkInvitation(context);
  return verdict?.outcome === 'refused' && verdict.code === 'INVITE_REQUIRED' && verdict.rule === 'INVITE_REQUIRED';
}

/**
 * Spends the invitation's use (a row with `maxUses`) once every rule before it has passed: a
 * sign-up they refuse spends none, nor does one INVITE_REQUIRED does not admit (log-only, it is
 * admitted all the same), nor one whose address nobody proved. Another
 * sign-up may have taken the last use since the invitation was read: then this one is refused
 * with INVITE_USED, before the velocity limits count it. A sign-up the limits then refuse gives
 * its use back (see the rateLimit lookup).
 */
function checkInvitationUse(context: RuleContext): RuleVerdict {
  const { input, config, facts } = context;
  const proof = facts.invitation;
  if (config.invite === undefined || typeof proof !== 'object' || !proof.spendsUse) return undefined;
  // A sign-up no invitation admits spends no use, whether INVITE_REQUIRED refuses it or only logs
  // that it would (log-only): a proof that did not admit it (an unproven federated address beside a
  // made-up code) must not use up the invitation of the address's owner.
  if (checkInvitation(context) !== undefined) return undefined;
  // A self sign-up admitted by its address alone proved nothing and is left unconfirmed: it spends
  // no use, so that typing someone's invited address cannot use up their invitation.
  if (proof.proven === 'address' && input.source === 'PreSignUp_SignUp') return undefined;
  const use = facts.invitationUse;
  if (use === undefined) return { outcome: 'needs-facts', facts: ['invitationUse'] };
  if (isFailure(use)) return refuse('SERVICE_UNAVAILABLE', 'INVITE_REQUIRED');
  if (use === 'used') return refuse('INVITE_USED', 'INVITE_REQUIRED');
  if (use === 'none') return refuse(proof.proven === 'code' ? 'INVITE_INVALID' : 'INVITE_REQUIRED', 'INVITE_REQUIRED');
  return undefined;
}

export const INVITATION_SETTINGS = [
  'INVITE_REQUIRED',
  'INVITE_SECRET',
  'INVITE_SECRET_PARAMETER',
  'INVITE_TABLE',
  'INVITE_MATCH',
] as const;

export const invitationRule = {
  name: 'INVITE_REQUIRED',
  settings: INVITATION_SETTINGS,
  isOn: (config) => config.invite !== undefined,
  // A code is checked against the address (an unreadable one matches no code); only a row for the
  // address itself judges the address.
  judges: { email: (config) => (admitsByEmail(config) ? 'INVITE_MATCH' : undefined), source: true, inviteCode: true },
  facts: ['invitation'],
  // A sign-up the waitlist takes is refused by it, after it is recorded (see waitlistRule).
  check: (context) => (goesToWaitlist(context) ? undefined : checkInvitation(context)),
} as const satisfies RefusalRule;

export const invitationUseRule = {
  name: 'INVITATION_USE',
  settings: INVITATION_SETTINGS,
  isOn: (config) => config.invite !== undefined,
  // Part of INVITE_REQUIRED: a use lost to another sign-up is only logged while the invitation is.
  logOnlyIn: (config) => config.logOnlyRules?.has('INVITE_REQUIRED') === true,
  judges: { source: true },
  facts: ['invitationUse'],
  check: checkInvitationUse,
} as const satisfies RefusalRule;
