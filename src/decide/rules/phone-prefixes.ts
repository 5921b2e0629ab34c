import type { KeySet } from '../../config/key-set.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

// Cognito stores phone_number in E.164: `+`, then 1-15 digits, the first not 0.
const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * `BLOCKED_PHONE_PREFIXES` and `ALLOWED_PHONE_PREFIXES`: E.164 prefixes a phone number must not, or
 * must, start with. A sign-up without a phone number is not judged (make the attribute required in
 * the pool to require one); a number that is not E.164 is refused with PHONE_INVALID while either
 * list is set. Matching looks up each of the number's own prefixes in a set: at most 15 lookups,
 * whatever the lists' length.
 */
function checkPhonePrefixes({ input: { phone }, config }: RuleContext): RuleVerdict {
  const { allowedPhonePrefixes: allowed, blockedPhonePrefixes: blocked } = config;
  if (phone === undefined || (allowed === undefined && blocked === undefined)) return undefined;
  const rule = blocked === undefined ? 'ALLOWED_PHONE_PREFIXES' : 'BLOCKED_PHONE_PREFIXES';
  if (!E164.test(phone)) return refuse('PHONE_INVALID', rule);
  const startsWithOneOf = (prefixes: KeySet) => {
    for (let end = 2; end <= phone.length; end++) if (prefixes.has(phone.slice(0, end))) return true;
    return false;
  };
  if (blocked !== undefined && startsWithOneOf(blocked)) return refuse('PHONE_BLOCKED', 'BLOCKED_PHONE_PREFIXES');
  if (allowed !== undefined && !startsWithOneOf(allowed)) return refuse('PHONE_NOT_ALLOWED', 'ALLOWED_PHONE_PREFIXES');
  return undefined;
}

export const phonePrefixesRule = {
  name: 'ALLOWED_PHONE_PREFIXES',
  settings: ['ALLOWED_PHONE_PREFIXES', 'BLOCKED_PHONE_PREFIXES'],
  isOn: (config) => config.allowedPhonePrefixes !== undefined || config.blockedPhonePrefixes !== undefined,
  judges: { phone: true },
  facts: [],
  check: checkPhonePrefixes,
} as const satisfies RefusalRule;
