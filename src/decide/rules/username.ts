import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `MIN_USERNAME_LENGTH`: refuse shorter user names, counted in Unicode code points so that
 * "José" is 4 long however it is encoded. Federated names (`Google_1234…`) are not the user's
 * choice, so external-provider sign-ups skip this rule. A missing name counts as empty.
 */
function checkUsernameLength({ input, config }: RuleContext): RuleVerdict {
  const minimum = config.minUsernameLength;
  if (minimum === 0 || input.source === 'PreSignUp_ExternalProvider') return undefined;
  return codePointCount(input.userName ?? '') < minimum
    ? refuse('USERNAME_TOO_SHORT', 'MIN_USERNAME_LENGTH')
    : undefined;
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export const usernameLengthRule = {
  name: 'MIN_USERNAME_LENGTH',
  settings: ['MIN_USERNAME_LENGTH'],
  isOn: (config) => config.minUsernameLength > 0,
  judges: { username: true, source: true },
  facts: [],
  check: checkUsernameLength,
} as const satisfies RefusalRule;
