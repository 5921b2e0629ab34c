import { describe, expect, it } from 'vitest';
import { editDistance, findLikelyMisspellings } from '../../src/config/misspellings.js';

describe('findLikelyMisspellings', () => {
  it('flags names within two edits of a variable, in any letter case', () => {
    expect(findLikelyMisspellings(['AUTO_CONFIM', 'allowed_email_domains', 'BLOCKED_EMAIL_DOMAIN'])).toEqual([
      { variable: 'AUTO_CONFIM', didYouMean: 'AUTO_CONFIRM' },
      { variable: 'allowed_email_domains', didYouMean: 'ALLOWED_EMAIL_DOMAINS' },
      { variable: 'BLOCKED_EMAIL_DOMAIN', didYouMean: 'BLOCKED_EMAIL_DOMAINS' },
    ]);
  });

  it('leaves our own names and the Lambda runtime variables alone', () => {
    const runtime = [
      'AWS_REGION',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_EXECUTION_ENV',
      'LAMBDA_TASK_ROOT',
      'TZ',
      'PATH',
      'NODE_OPTIONS',
    ];
    expect(findLikelyMisspellings([...runtime, 'AUTO_CONFIRM', 'DRY_RUN', 'DENY_MESSAGE_X'])).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions, capped past the limit', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abc', 'abc', 2)).toBe(0);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
