import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_LOADED_CONFIG } from '../../src/config/default-config.js';
import { decide, REFUSAL_RULES } from '../../src/decide/decide.js';
import { decideBy } from '../../src/decide/decide-by.js';
import { needsRefusalRules } from '../../src/decide/refusal-rules-needed.js';
import type { Facts } from '../../src/model/facts.js';
import { type SettingName, SETTINGS } from '../../src/config/settings.js';
import { readInput } from '../helpers/fixtures.js';
import { SAMPLES } from '../helpers/setting-samples.js';

// Each setting unset (most often), its sample (with what the sample needs), or another value, valid
// or not: configurations of every kind the rules can meet, including ones with no rule turned on.
// Every setting takes part: SAMPLES has one for each (the type says so).
const MORE_VALUES: Partial<Record<SettingName, readonly string[]>> = {
  AUTO_CONFIRM_EMAIL_DOMAINS: ['*.example.org'],
  ALLOWED_EMAIL_DOMAINS: ['*.example.org,example.net'],
  BLOCKED_EMAIL_DOMAINS: ['example.com', 'blocked.example'],
  BLOCKED_EMAILS: ['k.i.m@gmail.com'],
  EMAIL_SUBADDRESSES: ['allow'],
  ALLOWED_PHONE_PREFIXES: ['+44'],
  BLOCKED_PHONE_PREFIXES: ['+1'],
  MIN_USERNAME_LENGTH: ['0', '9'],
  EXISTING_ACCOUNT_POLICY: ['ignore', 'no-verify'],
  LINK_FEDERATED_USERS: ['Google,Facebook'],
  INVITE_REQUIRED: ['false'],
  INVITE_MATCH: ['code', 'code-or-email'],
  BLOCK_DISPOSABLE_EMAILS: ['false'],
  CAPTCHA: ['recaptcha'],
  RATE_LIMITS: ['email-domain:5/m,client:100/d'],
  FAIL_OPEN: ['false'],
  DRY_RUN: ['false'],
};
const environment = fc
  .record(
    Object.fromEntries(
      SETTINGS.map((name) => [
        name,
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          fc.constantFrom(SAMPLES[name].value, ...(MORE_VALUES[name] ?? [])),
        ),
      ]),
    ),
  )
  .map((drawn) => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(drawn)) if (value !== undefined) env[name] = value;
    // What a drawn sample needs to take effect, where nothing else was drawn for it.
    for (const name of SETTINGS) {
      if (drawn[name] !== SAMPLES[name].value) continue;
      for (const [other, value] of Object.entries(SAMPLES[name].with ?? {})) env[other] ??= value;
    }
    return env;
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
    invitation: fc.oneof(
      fc.record({ proven: fc.constantFrom('code' as const, 'address' as const), spendsUse: fc.boolean() }),
      fc.constantFrom('none' as const, 'used' as const),
      failure,
    ),
    invitationUse: fc.oneof(fc.constantFrom('spent' as const, 'used' as const, 'none' as const), failure),
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

const SIGN_UP_GRID = ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'].flatMap(
  (triggerSource) =>
    ['kim', 'k', 'Google_1234567890', 'Facebook_1'].flatMap((userName) =>
      [undefined, 'kim@example.com', 'kim+tag@example.com', 'kim@mailinator.com', 'kim@ex%61mple.com'].flatMap(
        (email) =>
          [undefined, '+15555550100', '+79000000000'].flatMap((phone) =>
            [{}, { inviteCode: 'code-1', captchaToken: 'token' }].map((validationData) => ({
              triggerSource,
              userName,
              userPoolId: 'us-east-1_EXAMPLE',
              callerContext: { clientId: 'client-1' },
              request: {
                userAttributes: { email, phone_number: phone, email_verified: 'true' },
                validationData,
              },
            })),
          ),
      ),
    ),
);

const FACT_SETS: readonly Facts[] = [
  {},
  {
    disposableEmail: true,
    invitation: 'none',
    invitationUse: 'used',
    captcha: { passed: false, reason: 'refused' },
    rateLimit: { exceeded: 'pool:10/d' },
    existingAccountForEmail: true,
    existingAccountForPhone: true,
    federatedLink: 'several-matches',
  },
  {
    disposableEmail: 'permanent-failure',
    invitation: 'transient-failure',
    invitationUse: 'permanent-failure',
    captcha: 'permanent-failure',
    rateLimit: 'transient-failure',
    existingAccountForEmail: 'permanent-failure',
    existingAccountForPhone: 'transient-failure',
    federatedLink: 'permanent-failure',
  },
];

describe('needsRefusalRules', () => {
  it('is false with no settings: a function without any loads no rules', () => {
    expect(needsRefusalRules(DEFAULT_LOADED_CONFIG.config)).toBe(false);
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
        const { config } = loadConfig(env);
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

  // Random configurations rarely set one setting alone, and a rule may act only on sign-ups of one
  // kind: so each setting's sample alone, against every sign-up of a grid and a few sets of facts.
  it.each(SETTINGS)('is true whenever a rule can act with %s set alone', (name) => {
    const { config } = loadConfig({ ...SAMPLES[name].with, [name]: SAMPLES[name].value });
    if (needsRefusalRules(config)) return;
    for (const event of SIGN_UP_GRID) {
      for (const known of FACT_SETS) {
        const context = { input: readInput(event), config, facts: known };
        for (const rule of REFUSAL_RULES) expect(rule(context), JSON.stringify(event)).toBeUndefined();
      }
    }
  });
});
