import { hasUnreadableEmail } from '../../read/sign-up-event.js';
import { admitsByEmail } from './invitation.js';
import { type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * An email the strict reader refused (`a@ex%61mple.com`, `a@[1.2.3.4]`, `a@example.com.` + `.`…) is
 * refused with EMAIL_INVALID whenever a rule would judge it: an address nobody can read can be
 * neither allowed nor blocked. Without such a rule the sign-up goes on, and the email is never
 * verified (see attributesToVerify).
 */
export function checkEmailReadable({ input, config }: RuleContext): RuleVerdict {
  if (!hasUnreadableEmail(input)) return undefined;
  if (config.allowedEmailDomains !== undefined) return refuse('EMAIL_INVALID', 'ALLOWED_EMAIL_DOMAINS');
  if (config.allowedEmails !== undefined) return refuse('EMAIL_INVALID', 'ALLOWED_EMAILS');
  if (config.blockedEmailDomains !== undefined) return refuse('EMAIL_INVALID', 'BLOCKED_EMAIL_DOMAINS');
  if (config.blockedEmails !== undefined) return refuse('EMAIL_INVALID', 'BLOCKED_EMAILS');
  if (config.emailSubaddresses === 'block') return refuse('EMAIL_INVALID', 'EMAIL_SUBADDRESSES');
  if (config.blockDisposableEmails) return refuse('EMAIL_INVALID', 'BLOCK_DISPOSABLE_EMAILS');
  if (admitsByEmail(config)) return refuse('EMAIL_INVALID', 'INVITE_MATCH');
  return undefined;
}
