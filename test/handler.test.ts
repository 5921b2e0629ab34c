import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { handlePreSignUp } from '../src/handler.js';
import { fixedConfiguration } from '../src/look-up/configuration.js';
import { gatherFacts } from '../src/look-up/lazy/gather-facts.js';
import { createInvocationLogger } from '../src/log/invocation-log.js';
import { SignUpRefusedError } from '../src/respond/refusals.js';
import type { FactGatherer } from '../src/look-up/lazy/gather-facts.js';
import { capturedLogOfEachTest } from './helpers/capture-log.js';
import { loadEvent } from './helpers/events.js';
import { invokeSource } from './helpers/invoke-source.js';

const logLines = capturedLogOfEachTest();

const ALL_FLAGS = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true };

describe('handlePreSignUp', () => {
  it('returns the same event with all three flags set and everything else unchanged', async () => {
    const event = loadEvent('sign-up.json');
    const untouched = loadEvent('sign-up.json');
    const { result } = await invokeSource(event);
    expect(result).toBe(event);
    expect(result).toEqual({ ...untouched, response: ALL_FLAGS });
  });

  it('creates response when the event has none, or has null', async () => {
    const withoutResponse = { request: { userAttributes: { email: 'a@example.com' } } };
    expect((await invokeSource(withoutResponse)).result).toEqual({
      ...withoutResponse,
      response: { ...ALL_FLAGS, autoVerifyPhone: false },
    });
    const nullResponse = { request: { userAttributes: {} }, response: null };
    expect((await invokeSource(nullResponse)).result).toMatchObject({
      response: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it.each([
    ['an empty object', {}],
    ['a null request', { request: null, response: {} }],
    ['null userAttributes', { request: { userAttributes: null } }],
    ['an array of attributes', { request: { userAttributes: ['email'] } }],
    ['attribute values that are not strings', { request: { userAttributes: { email: 42, phone_number: { n: 1 } } } }],
    ['a numeric userName', { userName: 7, request: { userAttributes: { email: 'a@example.com' } } }],
  ])('handles %s without a TypeError, treating odd values as absent', async (_, event) => {
    const { result, error } = await invokeSource(structuredClone(event));
    expect(error).toBeUndefined();
    expect((result as { response: Record<string, boolean> }).response.autoConfirmUser).toBe(true);
  });

  it.each([[null], ['text'], [42], [['an', 'array']]])(
    'refuses an event that is not an object (%j) with EVENT_INVALID',
    async (event) => {
      const { error } = await invokeSource(event);
      expect(error).toBeInstanceOf(SignUpRefusedError);
      expect(error?.message).toBe('EVENT_INVALID: The sign-up request could not be read');
      expect(logLines()[0]).toMatchObject({ level: 'ERROR', outcome: 'refused', code: 'EVENT_INVALID' });
    },
  );

  it('refuses with CODE: text, no final period and nothing personal in it', async () => {
    const { error } = await invokeSource(loadEvent('sign-up.json'), { BLOCKED_EMAIL_DOMAINS: 'example.com' });
    expect(error?.message).toBe('EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed');
    expect(error?.message).not.toMatch(/alice|example\.com|5555/);
  });

  it('uses a DENY_MESSAGE_<CODE> override and keeps the code', async () => {
    const { error } = await invokeSource(loadEvent('sign-up-other-domain.json'), {
      ALLOWED_EMAIL_DOMAINS: 'example.com',
      DENY_MESSAGE_EMAIL_DOMAIN_NOT_ALLOWED: 'Please sign up with your work email',
    });
    expect(error?.message).toBe('EMAIL_DOMAIN_NOT_ALLOWED: Please sign up with your work email');
  });

  it('leaves response exactly as received for AdminCreateUser, and says so in the log', async () => {
    const event = { ...loadEvent('admin-create-user.json'), response: null };
    const { result } = await invokeSource(event, { EXISTING_ACCOUNT_POLICY: 'ignore' });
    expect(result).toEqual({ ...loadEvent('admin-create-user.json'), response: null });
    expect(logLines()[0]).toMatchObject({
      level: 'INFO',
      outcome: 'unchanged',
      message: expect.stringContaining('ignores'),
    });
  });

  it('returns an event from another trigger unchanged and warns', async () => {
    const { result } = await invokeSource(loadEvent('wrong-trigger-post-confirmation.json'));
    expect(result).toEqual(loadEvent('wrong-trigger-post-confirmation.json'));
    expect(logLines()[0]).toMatchObject({
      level: 'WARN',
      outcome: 'unchanged',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
    });
  });

  it('refuses every sign-up with CONFIG_INVALID on bad settings and logs every problem at ERROR', async () => {
    const { error } = await invokeSource(loadEvent('sign-up.json'), {
      AUTO_CONFIRM: 'yes',
      MIN_USERNAME_LENGTH: 'five',
    });
    expect(error?.message).toBe('CONFIG_INVALID: Sign-up is temporarily unavailable');
    expect(logLines()[0]).toMatchObject({
      level: 'ERROR',
      code: 'CONFIG_INVALID',
      configProblems: [
        { variable: 'AUTO_CONFIRM', received: '"yes"', expected: '"true" or "false"' },
        { variable: 'MIN_USERNAME_LENGTH', received: '"five"', expected: 'a whole number from 0 to 128' },
      ],
    });
  });

  it('names the request in its log line, and leaves it out when the context has no request id', async () => {
    await invokeSource(loadEvent('sign-up.json'));
    expect(logLines()[0]).toMatchObject({ requestId: 'test-request', function: 'PreSignUp' });
    const lines: string[] = [];
    await handlePreSignUp(loadEvent('sign-up.json'), undefined, {
      configuration: fixedConfiguration({ loaded: loadConfig({}), byClient: new Map(), clientWarnings: [] }),
      gather: gatherFacts,
      log: createInvocationLogger({
        functionName: undefined,
        logLevel: undefined,
        metricsNamespace: undefined,
        write: (line) => lines.push(line),
      }),
      warnOnce: () => [],
    });
    expect(JSON.parse(lines[0] ?? '')).not.toHaveProperty('requestId');
  });

  it('takes the configuration of the moment from RULES_PARAMETER, and an app client’s own', async () => {
    const lines: string[] = [];
    const strict = loadConfig({ BLOCKED_EMAIL_DOMAINS: 'example.com' });
    const dependencies = {
      configuration: () =>
        Promise.resolve({
          loaded: loadConfig({}),
          byClient: new Map([['1example23456789', strict]]),
          clientWarnings: [],
        }),
      gather: gatherFacts,
      log: createInvocationLogger({
        functionName: undefined,
        logLevel: undefined,
        metricsNamespace: undefined,
        write: (line: string) => lines.push(line),
      }),
      warnOnce: () => [],
    };
    // sign-up.json comes from the app client 1example23456789, whose settings block example.com.
    await expect(handlePreSignUp(loadEvent('sign-up.json'), undefined, dependencies)).rejects.toThrow(
      'EMAIL_DOMAIN_BLOCKED: ',
    );
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ clientId: '1example23456789', code: 'EMAIL_DOMAIN_BLOCKED' });
  });

  it('writes one log line with the domain and the deciding rule, and nothing personal', async () => {
    const event = loadEvent<{ request: Record<string, unknown> }>('sign-up.json');
    event.request.clientMetadata = { inviteCode: 'secret-metadata-value' };
    event.request.validationData = { note: 'secret-validation-value' };
    await invokeSource(event, { MIN_USERNAME_LENGTH: '3', EXISTING_ACCOUNT_POLICY: 'ignore' });
    expect(logLines()).toHaveLength(1);
    const line = logLines()[0];
    expect(line).toMatchObject({
      level: 'INFO',
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'us-east-1_EXAMPLE',
      outcome: 'confirmed',
      emailDomain: 'example.com',
      rule: 'AUTO_CONFIRM',
      flags: ALL_FLAGS,
    });
    expect(JSON.stringify(line)).not.toMatch(/alice|5555550100|secret-/i);
  });

  describe('lookups', () => {
    const failing: FactGatherer = async (names) => ({
      facts: Object.fromEntries(names.map((name) => [name, 'transient-failure'])),
      failures: names.map((lookup) => ({ lookup, error: 'LookupTimeoutError', kind: 'transient-failure' })),
      warnings: [],
    });

    it('refuses with SERVICE_UNAVAILABLE when a lookup fails', async () => {
      const { error } = await invokeSource(loadEvent('sign-up.json'), { EXISTING_ACCOUNT_POLICY: 'deny' }, failing);
      expect(error?.message).toBe('SERVICE_UNAVAILABLE: Please try again');
      expect(logLines()[0]).toMatchObject({
        level: 'WARN',
        lookupFailures: [
          { lookup: 'existingAccountForEmail', error: 'LookupTimeoutError', kind: 'transient-failure' },
          { lookup: 'existingAccountForPhone', error: 'LookupTimeoutError', kind: 'transient-failure' },
        ],
      });
    });

    it('with FAIL_OPEN, accepts but never verifies what it could not check', async () => {
      const { result } = await invokeSource(
        loadEvent('sign-up.json'),
        { EXISTING_ACCOUNT_POLICY: 'no-verify', FAIL_OPEN: 'true' },
        failing,
      );
      expect(result).toMatchObject({
        response: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
      });
      expect(logLines()[0]).toMatchObject({ level: 'WARN', outcome: 'confirmed' });
    });

    it('gives the lookups a budget inside the remaining time, capped well inside Cognito’s 5 s', async () => {
      const budgets: number[] = [];
      const recording: FactGatherer = async (names, _input, _config, budgetMs) => {
        budgets.push(budgetMs);
        return { facts: Object.fromEntries(names.map((name) => [name, false])), failures: [], warnings: [] };
      };
      await invokeSource(loadEvent('sign-up.json'), { EXISTING_ACCOUNT_POLICY: 'deny' }, recording);
      expect(budgets).toHaveLength(1);
      expect(budgets[0]).toBeLessThanOrEqual(2500);
      expect(budgets[0]).toBeGreaterThan(2000);
    });
  });

  describe('dry run', () => {
    it('refuses nobody, returns the event as received and logs what it would have done', async () => {
      const { result, error } = await invokeSource(loadEvent('sign-up.json'), {
        DRY_RUN: 'true',
        BLOCKED_EMAIL_DOMAINS: 'example.com',
      });
      expect(error).toBeUndefined();
      expect(result).toEqual(loadEvent('sign-up.json'));
      expect(logLines()[0]).toMatchObject({ dryRun: true, outcome: 'would-refuse', code: 'EMAIL_DOMAIN_BLOCKED' });
    });

    it('logs the flags it would have set', async () => {
      await invokeSource(loadEvent('sign-up.json'), { DRY_RUN: 'TRUE' });
      expect(logLines()[0]).toMatchObject({ dryRun: true, outcome: 'would-confirm', flags: ALL_FLAGS });
    });

    it('logs bad settings at ERROR but still refuses nobody', async () => {
      const { result, error } = await invokeSource(loadEvent('sign-up.json'), {
        DRY_RUN: 'true',
        AUTO_CONFIRM: 'maybe',
      });
      expect(error).toBeUndefined();
      expect(result).toEqual(loadEvent('sign-up.json'));
      expect(logLines()[0]).toMatchObject({ level: 'ERROR', dryRun: true, outcome: 'unchanged' });
    });

    it('refuses when DRY_RUN itself is not a boolean, since the intent is unknown', async () => {
      const { error } = await invokeSource(loadEvent('sign-up.json'), { DRY_RUN: 'yes please' });
      expect(error?.message).toBe('CONFIG_INVALID: Sign-up is temporarily unavailable');
    });
  });
});

describe('handlePreSignUp when something unexpected fails', () => {
  it('refuses with SERVICE_UNAVAILABLE and logs only the error’s name', async () => {
    const broken: FactGatherer = async () => {
      throw new RangeError('internal detail about alice@example.com');
    };
    const { error } = await invokeSource(loadEvent('sign-up.json'), { EXISTING_ACCOUNT_POLICY: 'deny' }, broken);
    expect(error).toBeInstanceOf(SignUpRefusedError);
    expect(error?.message).toBe('SERVICE_UNAVAILABLE: Please try again');
    expect(logLines()).toEqual([
      expect.objectContaining({ level: 'ERROR', code: 'SERVICE_UNAVAILABLE', triggerSource: 'PreSignUp_SignUp' }),
    ]);
    expect(JSON.stringify(logLines())).toContain('RangeError');
    expect(JSON.stringify(logLines())).not.toContain('alice');
  });
});

describe('handlePreSignUp on hostile event objects', () => {
  const SECRET = 'thrown message with alice@example.com';
  function throwing(): never {
    throw new Error(SECRET);
  }
  function withGetter(base: Record<string, unknown>, key: string): Record<string, unknown> {
    return Object.defineProperty(structuredClone(base), key, { get: throwing, enumerable: true });
  }
  const signUp = loadEvent('sign-up.json');
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();

  it.each([
    ['triggerSource', () => withGetter(signUp, 'triggerSource')],
    ['userPoolId', () => withGetter(signUp, 'userPoolId')],
    ['userName', () => withGetter(signUp, 'userName')],
    ['request', () => withGetter(signUp, 'request')],
    ['the email', () => ({ ...signUp, request: { userAttributes: withGetter({}, 'email') } })],
    ['validationData', () => ({ ...signUp, request: withGetter({ userAttributes: {} }, 'validationData') })],
    ['every property (a Proxy)', () => new Proxy({}, { get: throwing })],
    ['a revoked Proxy', () => revoked.proxy],
    ['a Proxy as request', () => ({ ...signUp, request: new Proxy({}, { get: throwing, ownKeys: throwing }) })],
    ['the response setter', () => Object.defineProperty(structuredClone(signUp), 'response', { set: throwing })],
    ['a frozen response', () => ({ ...structuredClone(signUp), response: Object.freeze({}) })],
  ])(
    'refuses with SERVICE_UNAVAILABLE and one ERROR line when %s throws, quoting nothing it threw',
    async (_, make) => {
      const { error } = await invokeSource(make());
      expect(error).toBeInstanceOf(SignUpRefusedError);
      expect(error?.message).toBe('SERVICE_UNAVAILABLE: Please try again');
      expect(logLines()).toHaveLength(1);
      expect(logLines()[0]).toMatchObject({ level: 'ERROR', outcome: 'refused', code: 'SERVICE_UNAVAILABLE' });
      expect(JSON.stringify(logLines())).not.toContain('alice');
    },
  );

  it('keeps what it could read before the getter threw, for the log', async () => {
    await invokeSource(withGetter(signUp, 'request'));
    expect(logLines()[0]).toMatchObject({ triggerSource: 'PreSignUp_SignUp', userPoolId: 'us-east-1_EXAMPLE' });
  });
});

describe('handlePreSignUp when a lookup fails permanently', () => {
  const denied: FactGatherer = async (names) => ({
    facts: Object.fromEntries(names.map((name) => [name, 'permanent-failure'])),
    failures: names.map((lookup) => ({
      lookup,
      error: 'AccessDeniedException',
      kind: 'permanent-failure',
      fix: "the function's role needs cognito-idp:ListUsers on the user pool",
    })),
    warnings: [],
  });

  it('refuses even with FAIL_OPEN, and logs ERROR with the lookup, the error and the fix', async () => {
    const { error } = await invokeSource(
      loadEvent('sign-up.json'),
      { EXISTING_ACCOUNT_POLICY: 'no-verify', FAIL_OPEN: 'true' },
      denied,
    );
    expect(error?.message).toBe('SERVICE_UNAVAILABLE: Please try again');
    expect(logLines()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        code: 'SERVICE_UNAVAILABLE',
        lookupFailures: expect.arrayContaining([
          {
            lookup: 'existingAccountForEmail',
            error: 'AccessDeniedException',
            kind: 'permanent-failure',
            fix: "the function's role needs cognito-idp:ListUsers on the user pool",
          },
        ]),
      }),
    ]);
  });

  it('carries a lookup’s warning (a malformed invitation row) into a WARN line', async () => {
    const malformedRow: FactGatherer = async () => ({
      facts: { invitation: 'none' },
      failures: [],
      warnings: ['An invitation row in INVITE_TABLE has a malformed "expiresAt"'],
    });
    const { error } = await invokeSource(
      loadEvent('sign-up-with-wrong-invite.json'),
      { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', EXISTING_ACCOUNT_POLICY: 'ignore' },
      malformedRow,
    );
    expect(error?.message).toMatch(/^INVITE_INVALID: /);
    expect(logLines()[0]).toMatchObject({
      level: 'WARN',
      code: 'INVITE_INVALID',
      warnings: ['An invitation row in INVITE_TABLE has a malformed "expiresAt"'],
    });
  });
});
