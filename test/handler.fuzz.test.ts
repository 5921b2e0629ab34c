import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { SignUpRefusedError } from '../src/respond/refusals.js';
import { capturedLogOfEachTest } from './helpers/capture-log.js';
import { invokeSource } from './helpers/invoke-source.js';

// Odd values where the handler expects strings and objects, and plausible ones, mixed.
const anyJson = fc.jsonValue({ maxDepth: 3 });
const maybeString = fc.oneof(
  fc.string(),
  fc.emailAddress(),
  fc.constantFrom('a@example.com', 'a@x.example.com', 'a@example.org', 'a@ex%61mple.com', 'a@blocked.example.com'),
  anyJson,
);
const eventLike = fc.record(
  {
    triggerSource: fc.oneof(
      fc.constantFrom('PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'),
      anyJson,
    ),
    userName: maybeString,
    userPoolId: maybeString,
    request: fc.oneof(
      anyJson,
      fc.record(
        {
          userAttributes: fc.oneof(
            anyJson,
            fc.record({ email: maybeString, phone_number: maybeString }, { requiredKeys: [] }),
          ),
          validationData: fc.oneof(anyJson, fc.record({ inviteCode: maybeString })),
          clientMetadata: fc.oneof(anyJson, fc.record({ inviteCode: maybeString })),
        },
        { requiredKeys: [] },
      ),
    ),
    response: anyJson,
  },
  { requiredKeys: [] },
);

// Valid settings, so that the cases reach the rules (checked below: `*.com` once made every case
// a CONFIG_INVALID refusal without anyone noticing).
const SETTINGS = {
  ALLOWED_EMAIL_DOMAINS: '*.example.com, example.org, example.com',
  BLOCKED_EMAIL_DOMAINS: 'blocked.example.com',
  MIN_USERNAME_LENGTH: '2',
  AUTO_CONFIRM_EMAIL_DOMAINS: 'example.org',
};

// The handler's lines go to the captured log, emptied before each test.
capturedLogOfEachTest();

async function assertHandled(event: unknown): Promise<void> {
  const { result, error } = await invokeSource(event, SETTINGS);
  if (error !== undefined) {
    expect(error).toBeInstanceOf(SignUpRefusedError);
    expect(error.message).toMatch(/^[A-Z_]+: [^\n]*[^.]$/);
    return;
  }
  expect(result).toBe(event);
  const response = (result as { response: unknown }).response;
  if (typeof response === 'object' && response !== null && 'autoConfirmUser' in response) {
    const { autoConfirmUser, autoVerifyEmail, autoVerifyPhone } = response as Record<string, unknown>;
    expect([typeof autoConfirmUser, typeof autoVerifyEmail, typeof autoVerifyPhone]).toEqual([
      'boolean',
      'boolean',
      'boolean',
    ]);
  }
}

describe('handlePreSignUp on arbitrary input', () => {
  it('runs with settings that are valid', () => {
    expect(loadConfig(SETTINGS).issues).toEqual([]);
  });

  it('never throws anything but a refusal on any JSON value', async () => {
    await fc.assert(fc.asyncProperty(anyJson, assertHandled), { numRuns: 300 });
  });

  it('returns the event or refuses with CODE: text on any event-shaped object', async () => {
    await fc.assert(fc.asyncProperty(eventLike, assertHandled), { numRuns: 500 });
  });
});
