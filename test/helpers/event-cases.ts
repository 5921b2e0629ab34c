import { expect } from 'vitest';
import { loadEvent } from './events.js';

/**
 * What each file in events/ does under which settings. The same table drives the unit run
 * (sources) and the zip run (the built bundle in a folder of its own); the README lists the
 * same settings for trying each file in the Lambda console.
 */
type ExpectedOutcome =
  | { readonly flags: { autoConfirmUser: boolean; autoVerifyEmail: boolean; autoVerifyPhone: boolean } }
  | { readonly refused: string }
  | { readonly unchanged: true };

interface EventCase {
  readonly file: string;
  readonly env: Readonly<Record<string, string>>;
  readonly expected: ExpectedOutcome;
}

const ALL = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true };
const NONE = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
const INVITES = { INVITE_REQUIRED: 'true', INVITE_SECRET: 'test-secret-of-at-least-32-characters!!' };

export const EVENT_CASES: readonly EventCase[] = [
  { file: 'sign-up.json', env: {}, expected: { flags: ALL } },
  { file: 'sign-up-without-email.json', env: {}, expected: { flags: { ...ALL, autoVerifyEmail: false } } },
  { file: 'console-minimal-email.json', env: {}, expected: { flags: { ...ALL, autoVerifyPhone: false } } },
  { file: 'console-minimal-phone.json', env: {}, expected: { flags: { ...ALL, autoVerifyEmail: false } } },
  {
    file: 'external-provider.json',
    env: { MIN_USERNAME_LENGTH: '50' },
    expected: { flags: { ...ALL, autoVerifyPhone: false } },
  },
  { file: 'admin-create-user.json', env: {}, expected: { unchanged: true } },
  { file: 'wrong-trigger-post-confirmation.json', env: {}, expected: { unchanged: true } },
  {
    file: 'sign-up-company-domain.json',
    env: { AUTO_CONFIRM_EMAIL_DOMAINS: '*.example.com' },
    expected: { flags: { ...ALL, autoVerifyPhone: false } },
  },
  {
    file: 'sign-up-other-domain.json',
    env: { AUTO_CONFIRM_EMAIL_DOMAINS: '*.example.com' },
    expected: { flags: NONE },
  },
  {
    file: 'sign-up-blocked-domain.json',
    env: { BLOCKED_EMAIL_DOMAINS: 'blocked.example' },
    expected: { refused: 'EMAIL_DOMAIN_BLOCKED' },
  },
  {
    file: 'sign-up-other-domain.json',
    env: { ALLOWED_EMAIL_DOMAINS: 'example.com' },
    expected: { refused: 'EMAIL_DOMAIN_NOT_ALLOWED' },
  },
  {
    file: 'sign-up-without-email.json',
    env: { ALLOWED_EMAIL_DOMAINS: 'example.com' },
    expected: { refused: 'EMAIL_DOMAIN_NOT_ALLOWED' },
  },
  {
    file: 'sign-up-short-username.json',
    env: { MIN_USERNAME_LENGTH: '3' },
    expected: { refused: 'USERNAME_TOO_SHORT' },
  },
  {
    file: 'sign-up-disposable-email.json',
    env: { BLOCK_DISPOSABLE_EMAILS: 'true' },
    expected: { refused: 'DISPOSABLE_EMAIL' },
  },
  {
    file: 'sign-up-email-typo.json',
    env: { EMAIL_TYPO_CHECK: 'true' },
    expected: { refused: 'EMAIL_DOMAIN_TYPO' },
  },
  // A passwordless SignUp's event is a password sign-up's (docs/cognito-sign-up-paths.md): the
  // defaults confirm and verify both addresses unproven; AUTO_CONFIRM=false leaves the proof to the code.
  { file: 'sign-up-passwordless.json', env: {}, expected: { flags: ALL } },
  { file: 'sign-up-passwordless.json', env: { AUTO_CONFIRM: 'false' }, expected: { flags: NONE } },
  // What an inbound federation function left is all the event holds: its email_verified is trusted.
  {
    file: 'external-provider-after-inbound-federation.json',
    env: {},
    expected: { flags: { ...ALL, autoVerifyPhone: false } },
  },
  { file: 'external-provider-after-inbound-federation.json', env: INVITES, expected: { refused: 'INVITE_REQUIRED' } },
  { file: 'sign-up-without-invite.json', env: INVITES, expected: { refused: 'INVITE_REQUIRED' } },
  { file: 'sign-up-with-wrong-invite.json', env: INVITES, expected: { refused: 'INVITE_INVALID' } },
  { file: 'sign-up.json', env: { AUTO_CONFIRM: 'yes' }, expected: { refused: 'CONFIG_INVALID' } },
  { file: 'not-an-object.json', env: {}, expected: { refused: 'EVENT_INVALID' } },
];

/** The table's rows as `it.each` arguments: file, settings (for the test's name), the case. */
export const EVENT_CASE_ROWS = EVENT_CASES.map(
  (eventCase) => [eventCase.file, JSON.stringify(eventCase.env), eventCase] as const,
);

/** Checks what an invocation of an events/ file returned, or the message it was refused with. */
export function expectOutcome(
  { file, expected }: EventCase,
  outcome: { result?: unknown; errorMessage?: string | undefined },
): void {
  if ('refused' in expected) {
    expect(outcome.errorMessage).toMatch(new RegExp(`^${expected.refused}: `));
  } else if ('unchanged' in expected) {
    expect(outcome.result).toEqual(loadEvent(file));
  } else {
    expect(outcome.errorMessage).toBeUndefined();
    expect((outcome.result as { response: unknown }).response).toEqual(expected.flags);
  }
}
