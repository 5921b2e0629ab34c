import { blockKeyOf } from '../../read/email-address.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `BLOCKED_EMAILS`: refuse these addresses and their variants: A-Z in the local part in any case,
 * the domain as read, any `+tag`, and for Gmail any dots and googlemail.com (see blockKeyOf).
 */
function checkBlockedEmail({ input: { emailKey }, config }: RuleContext): RuleVerdict {
  const blocked = config.blockedEmails;
  if (blocked === undefined || emailKey === undefined) return undefined;
  return blocked.has(blockKeyOf(emailKey)) ? refuse('EMAIL_BLOCKED', 'BLOCKED_EMAILS') : undefined;
}

/**
 * `EMAIL_SUBADDRESSES=block`: refuse `local+tag@domain`, the sub-address that lets one mailbox sign
 * up again and again. Only `+` counts: it is the separator the large providers share.
 */
function checkEmailSubaddress({ input: { emailKey }, config }: RuleContext): RuleVerdict {
  if (config.emailSubaddresses !== 'block' || emailKey === undefined) return undefined;
  return emailKey.slice(0, emailKey.lastIndexOf('@')).includes('+')
    ? refuse('EMAIL_SUBADDRESS', 'EMAIL_SUBADDRESSES')
    : undefined;
}

export const blockedEmailRule = {
  name: 'BLOCKED_EMAILS',
  settings: ['BLOCKED_EMAILS'],
  isOn: (config) => config.blockedEmails !== undefined,
  judges: { email: true },
  facts: [],
  check: checkBlockedEmail,
} as const satisfies RefusalRule;

export const emailSubaddressRule = {
  name: 'EMAIL_SUBADDRESSES',
  settings: ['EMAIL_SUBADDRESSES'],
  isOn: (config) => config.emailSubaddresses === 'block',
  judges: { email: true },
  facts: [],
  check: checkEmailSubaddress,
} as const satisfies RefusalRule;
