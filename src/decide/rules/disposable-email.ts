import { failsOpen, isFailure } from '../../model/facts.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `BLOCK_DISPOSABLE_EMAILS`: refuse emails whose domain, or a parent of it, is a throwaway one.
 * FAIL_OPEN skips the rule only when the list could not be loaded in time.
 */
function checkDisposableEmail({ input: { emailDomain }, config, facts }: RuleContext): RuleVerdict {
  if (!config.blockDisposableEmails || emailDomain === undefined) return undefined;
  const disposable = facts.disposableEmail;
  if (disposable === undefined) return { outcome: 'needs-facts', facts: ['disposableEmail'] };
  if (isFailure(disposable)) {
    return failsOpen(disposable, config.failOpen)
      ? undefined
      : refuse('SERVICE_UNAVAILABLE', 'BLOCK_DISPOSABLE_EMAILS');
  }
  return disposable ? refuse('DISPOSABLE_EMAIL', 'BLOCK_DISPOSABLE_EMAILS') : undefined;
}

export const disposableEmailRule = {
  name: 'BLOCK_DISPOSABLE_EMAILS',
  settings: ['BLOCK_DISPOSABLE_EMAILS', 'FAIL_OPEN'],
  isOn: (config) => config.blockDisposableEmails,
  judges: { email: true },
  facts: ['disposableEmail'],
  check: checkDisposableEmail,
} as const satisfies RefusalRule;
