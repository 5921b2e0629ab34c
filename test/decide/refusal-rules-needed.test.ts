import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_CONFIGURATION } from '../../src/config/default-configuration.js';
import { decide, REFUSAL_RULES } from '../../src/decide/decide.js';
import { decideBy } from '../../src/decide/decide-by.js';
import { needsRefusalRules } from '../../src/decide/refusal-rules-needed.js';
import type { Facts } from '../../src/model/facts.js';
import { readInput } from '../helpers/fixtures.js';

// Each setting unset (most often) or set to one of a few values, valid or not: a configuration of
// every kind the rules can meet, including the ones with no rule turned on.
const unsetOr = (...values: string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom(...values));
const environment = fc.record({
  AUTO_CONFIRM: unsetOr('true', 'false'),
  AUTO_CONFIRM_EMAIL_DOMAINS: unsetOr('example.com', '*.example.org'),
  AUTO_VERIFY_EMAIL: unsetOr('true', 'false'),
  AUTO_VERIFY_PHONE: unsetOr('true', 'false'),
  ALLOWED_EMAIL_DOMAINS: unsetOr('example.com', '*.example.org,example.net'),
  BLOCKED_EMAIL_DOMAINS: unsetOr('example.com', 'blocked.example'),
  ALLOWED_EMAILS: unsetOr('kim@example.com'),
  BLOCKED_EMAILS: unsetOr('kim@example.com', 'k.i.m@gmail.com'),
  EMAIL_SUBADDRESSES: unsetOr('allow', 'block'),
  ALLOWED_PHONE_PREFIXES: unsetOr('+1', '+44'),
  BLOCKED_PHONE_PREFIXES: unsetOr('+1', '+7'),
  MIN_USERNAME_LENGTH: unsetOr('0', '3', '9'),
  EXISTING_ACCOUNT_POLICY: unsetOr('ignore', 'no-verify', 'deny'),
  LINK_FEDERATED_USERS: unsetOr('Google', 'Google,Facebook'),
  INVITE_REQUIRED: unsetOr('true', 'false'),
  INVITE_SECRET: unsetOr('an-invitation-secret-of-32-characters-or-more'),
  INVITE_TABLE: unsetOr('invitations'),
  INVITE_MATCH: unsetOr('code', 'email', 'code-or-email'),
  BLOCK_DISPOSABLE_EMAILS: unsetOr('true', 'false'),
  CAPTCHA: unsetOr('turnstile', 'recaptcha'),
  CAPTCHA_SECRET: unsetOr('captcha-secret'),
  RATE_LIMIT_TABLE: unsetOr('sign-up-counts'),
  RATE_LIMITS: unsetOr('pool:10/h', 'email-domain:5/m,client:100/d'),
  FAIL_OPEN: unsetOr('true', 'false'),
  DRY_RUN: unsetOr('true', 'false'),
  METRICS: unsetOr('true', 'false'),
});

const signUp = fc.record({
  triggerSource: fc.constantFrom('PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'),
  userName: fc.constantFrom('kim', 'k', 'Google_1234567890', 'Facebook_1', 'a-rather-long-user-name'),
  userPoolId: fc.constant('us-east-1_EXAMPLE'),
  callerContext: fc.constant({ clientId: 'client-1' }),
  request: fc.record({
    userAttributes: fc.record(
      {
        email: fc.constantFrom(
          'kim@example.com',
          'kim+tag@example.com',
          'k.i.m@gmail.com',
          'kim@mailinator.com',
          'kim@ex%61mple.com',
          'kim@blocked.example',
          'kim@sub.example.org',
        ),
        email_verified: fc.constantFrom('true', 'false'),
        phone_number: fc.constantFrom('+15555550100', '+447700900000', '+79000000000'),
      },
      { requiredKeys: [] },
    ),
    validationData: fc.record(
      { inviteCode: fc.constantFrom('code-1', ''), captchaToken: fc.constantFrom('token', '') },
      { requiredKeys: [] },
    ),
  }),
});

const failure = fc.constantFrom('transient-failure' as const, 'permanent-failure' as const);
const facts: fc.Arbitrary<Facts> = fc.record(
  {
    disposableEmail: fc.oneof(fc.boolean(), failure),
    invitationValid: fc.oneof(fc.boolean(), fc.constant('used' as const), failure),
    captcha: fc.oneof(
      fc.constant({ passed: true }),
      fc.constant({ passed: false, reason: 'refused' as const }),
      failure,
    ),
    rateLimit: fc.oneof(fc.constant({ exceeded: undefined }), fc.constant({ exceeded: 'pool:10/h' }), failure),
    existingAccountForEmail: fc.oneof(fc.boolean(), failure),
    existingAccountForPhone: fc.oneof(fc.boolean(), failure),
    federatedLink: fc.oneof(
      fc.constantFrom('linked' as const, 'no-match' as const, 'several-matches' as const),
      failure,
    ),
  },
  { requiredKeys: [] },
);

describe('needsRefusalRules', () => {
  it('is false with no settings: a function without any loads no rules', () => {
    expect(needsRefusalRules(DEFAULT_CONFIGURATION.config)).toBe(false);
  });

  it('is false for settings that only shape the response or the log', () => {
    const env = {
      AUTO_CONFIRM: 'false',
      AUTO_VERIFY_EMAIL: 'false',
      FAIL_OPEN: 'true',
      DRY_RUN: 'true',
      METRICS: 'false',
    };
    expect(needsRefusalRules(loadConfig(env).config)).toBe(false);
  });

  it('is false only where no rule can refuse a sign-up or ask for a fact, whatever the sign-up and the facts', () => {
    let withoutRules = 0;
    fc.assert(
      fc.property(environment, signUp, facts, (env, event, known) => {
        const { config } = loadConfig(
          Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
        );
        if (needsRefusalRules(config)) return;
        withoutRules++;
        const context = { input: readInput(event), config, facts: known };
        for (const rule of REFUSAL_RULES) expect(rule(context)).toBeUndefined();
        expect(decideBy([], context.input, config, known)).toEqual(decide(context.input, config, known));
      }),
      { numRuns: 3000 },
    );
    // The property was tested, not skipped: enough configurations had no rule turned on.
    expect(withoutRules).toBeGreaterThan(20);
  });
});
