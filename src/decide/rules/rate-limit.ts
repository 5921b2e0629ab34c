import { failsOpen, isFailure } from '../../model/facts.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `RATE_LIMITS`: a sign-up is counted against each limit (per email domain, phone country, app
 * client, pool) and refused with RATE_LIMITED over one. It runs last, once every other rule has
 * passed, so that a sign-up refused for another reason spends no count. Self sign-ups and federated
 * first sign-ins are counted; an administrator's AdminCreateUser is not. A transient failure of the
 * table is skipped under FAIL_OPEN, like the other protective lookups; a permanent one refuses.
 */
function checkRateLimit({ input, config, facts }: RuleContext): RuleVerdict {
  if (config.rateLimits === undefined || input.source === 'PreSignUp_AdminCreateUser') return undefined;
  const outcome = facts.rateLimit;
  if (outcome === undefined) return { outcome: 'needs-facts', facts: ['rateLimit'] };
  if (isFailure(outcome)) {
    return failsOpen(outcome, config.failOpen) ? undefined : refuse('SERVICE_UNAVAILABLE', 'RATE_LIMITS');
  }
  return outcome.exceeded === undefined ? undefined : refuse('RATE_LIMITED', 'RATE_LIMITS');
}

export const rateLimitRule = {
  name: 'RATE_LIMITS',
  settings: ['RATE_LIMITS', 'RATE_LIMIT_TABLE', 'FAIL_OPEN'],
  isOn: (config) => config.rateLimits !== undefined,
  judges: { source: true },
  facts: ['rateLimit'],
  check: checkRateLimit,
} as const satisfies RefusalRule;
