import { type RuleContext, type RuleVerdict, refuse } from './rule.js';

/** `BLOCK_DISPOSABLE_EMAILS`: refuse emails whose domain, or a parent of it, is a throwaway one. */
export function checkDisposableEmail({ input: { emailDomain }, config, facts }: RuleContext): RuleVerdict {
  if (!config.blockDisposableEmails || emailDomain === undefined) return undefined;
  const disposable = facts.disposableEmail;
  if (disposable === undefined) return { kind: 'needs', facts: ['disposableEmail'] };
  if (disposable === 'unavailable') {
    return config.failOpen ? undefined : refuse('SERVICE_UNAVAILABLE', 'BLOCK_DISPOSABLE_EMAILS');
  }
  return disposable ? refuse('DISPOSABLE_EMAIL', 'BLOCK_DISPOSABLE_EMAILS') : undefined;
}
