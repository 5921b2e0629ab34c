import { describe, expect, it } from 'vitest';
import { REFUSAL_TEXTS } from '../../src/model/refusal-codes.js';
import { loadConfig } from '../../src/config/load-config.js';
import { LIST_SETTINGS } from '../../src/config/settings.js';
import { configOf, issuesOf } from '../helpers/fixtures.js';
import { sampleOf } from '../helpers/setting-samples.js';

describe('loadConfig', () => {
  it('reproduces the AWS sample by default: confirm everyone, verify email and phone', () => {
    const config = configOf({});
    expect(config).toMatchObject({
      autoConfirm: true,
      autoVerifyEmail: true,
      autoVerifyPhone: true,
      autoConfirmEmailDomains: undefined,
      allowedEmailDomains: undefined,
      blockedEmailDomains: undefined,
      minUsernameLength: 0,
      existingAccountPolicy: 'ignore',
      invite: undefined,
      blockDisposableEmails: false,
      failOpen: false,
      dryRun: false,
      texts: REFUSAL_TEXTS,
    });
  });

  it('reads booleans trimmed and in any letter case, and blank as unset', () => {
    expect(configOf({ AUTO_CONFIRM: ' FALSE ', AUTO_VERIFY_EMAIL: 'False', AUTO_VERIFY_PHONE: '  ' })).toMatchObject({
      autoConfirm: false,
      autoVerifyEmail: false,
      autoVerifyPhone: true,
    });
  });

  it('reports every invalid variable at once', () => {
    const issues = issuesOf({
      AUTO_CONFIRM: '1',
      AUTO_VERIFY_EMAIL: 'yes',
      MIN_USERNAME_LENGTH: '-3',
      ALLOWED_EMAIL_DOMAINS: 'example.com, @bad.example',
      EXISTING_ACCOUNT_POLICY: 'maybe',
    });
    expect(issues.map((issue) => issue.variable)).toEqual([
      'AUTO_CONFIRM',
      'AUTO_VERIFY_EMAIL',
      'ALLOWED_EMAIL_DOMAINS',
      'MIN_USERNAME_LENGTH',
      'EXISTING_ACCOUNT_POLICY',
    ]);
    expect(issues[0]).toMatchObject({ variable: 'AUTO_CONFIRM', received: '"1"', expected: '"true" or "false"' });
    expect(issues[2]?.received).toBe('the entry "@bad.example"');
  });

  it.each(['1.5', '1e3', '129', 'NaN', '0x10', ' 12 a'])('refuses MIN_USERNAME_LENGTH=%s', (value) => {
    expect(issuesOf({ MIN_USERNAME_LENGTH: value })[0]?.variable).toBe('MIN_USERNAME_LENGTH');
  });

  it('never echoes INVITE_SECRET in an error', () => {
    const issues = issuesOf({ INVITE_REQUIRED: 'true', INVITE_SECRET: 'short-secret' });
    expect(JSON.stringify(issues)).not.toContain('short-secret');
    expect(issues[0]).toMatchObject({ variable: 'INVITE_SECRET', expected: 'at least 32 characters' });
  });

  it('requires one source of invitations when INVITE_REQUIRED is true', () => {
    expect(issuesOf({ INVITE_REQUIRED: 'true' })[0]?.variable).toBe('INVITE_REQUIRED');
    const both = { INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(32), INVITE_TABLE: 'invites' };
    expect(issuesOf(both)[0]?.variable).toBe('INVITE_TABLE');
    expect(configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' }).invite).toEqual({
      kind: 'table',
      table: 'invites',
    });
  });

  it('reads INVITE_SECRET_PARAMETER as a third source, never together with another', () => {
    for (const parameter of ['/app/invite-secret', 'invite', 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/x']) {
      expect(configOf({ INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: parameter }).invite).toEqual({
        kind: 'secret-parameter',
        parameter,
      });
    }
    const withSecret = issuesOf({
      INVITE_REQUIRED: 'true',
      INVITE_SECRET: 'a-secret-that-must-never-be-logged-0123',
      INVITE_SECRET_PARAMETER: '/app/invite-secret',
    });
    expect(withSecret).toMatchObject([
      {
        variable: 'INVITE_SECRET_PARAMETER',
        expected: 'unset when INVITE_SECRET is set: use one source of invitations',
      },
    ]);
    const twoOthers = issuesOf({ INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: '/a', INVITE_TABLE: 'invites' });
    expect(twoOthers.map((issue) => issue.variable)).toEqual(['INVITE_TABLE']);
    expect(issuesOf({ INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: 'has space' })[0]).toMatchObject({
      variable: 'INVITE_SECRET_PARAMETER',
      expected: 'an SSM parameter name (/path/name) or ARN',
    });
    expect(loadConfig({ INVITE_SECRET_PARAMETER: '/a' }).warnings).toContain(
      'INVITE_SECRET_PARAMETER has no effect while INVITE_REQUIRED is not true',
    );
  });

  it('reads LINK_FEDERATED_USERS as provider names, and names a bad entry', () => {
    expect(
      configOf({ LINK_FEDERATED_USERS: ' Google , SignInWithApple,MyCorpOIDC ', AUTO_VERIFY_EMAIL: 'false' })
        .linkFederatedUsers,
    ).toEqual(['Google', 'SignInWithApple', 'MyCorpOIDC']);
    expect(configOf({}).linkFederatedUsers).toBeUndefined();
    for (const [value, received] of [
      ['Google,My_Provider', 'the entry "My_Provider"'],
      ['Google,cognito', 'the entry "cognito"'],
      [' , ', '","'],
    ]) {
      expect(issuesOf({ LINK_FEDERATED_USERS: value ?? '' })).toMatchObject([
        { variable: 'LINK_FEDERATED_USERS', received, expected: expect.stringContaining('identity provider names') },
      ]);
    }
  });

  it('reads SIGN_IN_ALIASES as the pool names its alias attributes, and refuses any other name', () => {
    expect(loadConfig({}).config.signInAliases).toEqual({ email: false, phone: false });
    expect(loadConfig({ SIGN_IN_ALIASES: 'email' }).config.signInAliases).toEqual({ email: true, phone: false });
    expect(loadConfig({ SIGN_IN_ALIASES: ' phone_number , preferred_username ' }).config.signInAliases).toEqual({
      email: false,
      phone: true,
    });
    expect(issuesOf({ SIGN_IN_ALIASES: 'email,phone' })).toMatchObject([
      { variable: 'SIGN_IN_ALIASES', received: 'the entry "phone"', kind: 'entry' },
    ]);
  });

  // A rules document gives lists as arrays (and the build sorts exactly these settings' arrays).
  // Each list's sample has two entries or more (test/helpers/setting-samples.ts).
  it('reads every list setting the same from an array as from comma-separated text', () => {
    for (const key of LIST_SETTINGS) {
      const { value, with: base = {} } = sampleOf(key);
      const [first = '', second = ''] = value.split(',');
      expect([first, second], key).not.toContain('');
      const fromText = loadConfig({ ...base, [key]: `${first}, ${second}` });
      const fromArray = loadConfig({ ...base, [key]: [first, ` ${second}`] });
      expect(fromArray.issues, key).toEqual([]);
      expect(fromArray.config, key).toEqual(fromText.config);
      expect(fromArray.config, key).not.toEqual(loadConfig(base).config);
    }
  });

  it('reads address and phone lists with the strict reader, naming each bad entry', () => {
    const config = configOf({
      ALLOWED_EMAILS: 'Kim@Bücher.Example, lee@example.com,',
      BLOCKED_PHONE_PREFIXES: '+1, +4930',
      EMAIL_SUBADDRESSES: 'Block',
    });
    expect(config.allowedEmails).toEqual(new Set(['kim@xn--bcher-kva.example', 'lee@example.com']));
    expect(config.blockedPhonePrefixes).toEqual(new Set(['+1', '+4930']));
    expect(config.emailSubaddresses).toBe('block');
    expect(
      issuesOf({
        BLOCKED_EMAILS: 'kim@example.com, not-an-address, a@ex%61mple.com',
        ALLOWED_PHONE_PREFIXES: '1, +0, +44',
        EMAIL_SUBADDRESSES: 'strip',
      }),
    ).toMatchObject([
      {
        variable: 'BLOCKED_EMAILS',
        received: 'the entry "not-an-address"',
        expected: 'email addresses like "kim@example.com"',
      },
      {
        variable: 'BLOCKED_EMAILS',
        received: 'the entry "a@ex%61mple.com"',
        expected: 'email addresses like "kim@example.com"',
      },
      { variable: 'EMAIL_SUBADDRESSES', received: '"strip"', expected: 'one of "allow", "block"' },
      {
        variable: 'ALLOWED_PHONE_PREFIXES',
        received: 'the entry "1"',
        expected: 'E.164 prefixes like "+1" or "+4930"',
      },
      {
        variable: 'ALLOWED_PHONE_PREFIXES',
        received: 'the entry "+0"',
        expected: 'E.164 prefixes like "+1" or "+4930"',
      },
    ]);
    expect(issuesOf({ ALLOWED_EMAILS: ' , ' })).toMatchObject([
      { variable: 'ALLOWED_EMAILS', received: '","', expected: 'email addresses like "kim@example.com"' },
    ]);
  });

  // Attacker's review (#29): a secret pasted into a _PARAMETER setting was quoted in the ERROR line.
  it.each([
    [
      { INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: 'sk_live_pasted secret 0123456789' },
      'INVITE_SECRET_PARAMETER',
    ],
    [
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET_PARAMETER: 'sk_live_pasted secret 0123456789' },
      'CAPTCHA_SECRET_PARAMETER',
    ],
    [
      {
        INVITE_REQUIRED: 'true',
        INVITE_SECRET: 'x'.repeat(40),
        INVITE_SECRET_PARAMETER: 'sk_live_pasted secret 0123456789',
      },
      'INVITE_SECRET_PARAMETER',
    ],
  ])('never quotes a secret’s setting, only says what is wrong with it: %j', (env, variable) => {
    const issues = issuesOf(env);
    expect(JSON.stringify(issues)).not.toContain('sk_live');
    expect(issues).toContainEqual(
      expect.objectContaining({
        variable,
        received: 'a value of 32 characters, not shown (white space, no leading "/" or "arn:")',
      }),
    );
  });

  it('describes a well-formed parameter name of a secret by its length alone', () => {
    const issues = issuesOf({
      INVITE_REQUIRED: 'true',
      INVITE_SECRET: 'x'.repeat(40),
      INVITE_SECRET_PARAMETER: '/a/b',
    });
    expect(issues).toContainEqual(
      expect.objectContaining({ variable: 'INVITE_SECRET_PARAMETER', received: 'a value of 4 characters, not shown' }),
    );
  });

  it('never echoes INVITE_SECRET when it clashes with another source', () => {
    const secret = 'a-secret-that-must-never-be-logged-0123';
    const issues = issuesOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_SECRET: secret });
    expect(JSON.stringify(issues)).not.toContain(secret);
  });

  it('applies DENY_MESSAGE_<CODE> overrides and rejects unknown codes, empty texts and final periods', () => {
    const config = configOf({ DENY_MESSAGE_EMAIL_DOMAIN_NOT_ALLOWED: ' Please sign up with your work email ' });
    expect(config.texts.EMAIL_DOMAIN_NOT_ALLOWED).toBe('Please sign up with your work email');
    const issues = issuesOf({
      DENY_MESSAGE_NO_SUCH_CODE: 'Hello',
      DENY_MESSAGE_CONFIG_INVALID: '',
      DENY_MESSAGE_ACCOUNT_EXISTS: 'Already registered.',
    });
    expect(issues.map((issue) => issue.variable).sort()).toEqual([
      'DENY_MESSAGE_ACCOUNT_EXISTS',
      'DENY_MESSAGE_CONFIG_INVALID',
      'DENY_MESSAGE_NO_SUCH_CODE',
    ]);
  });

  it('keeps valid overrides usable for the CONFIG_INVALID refusal itself', () => {
    const loaded = loadConfig({ AUTO_CONFIRM: 'nope', DENY_MESSAGE_CONFIG_INVALID: 'Sign-up is paused' });
    expect(loaded.issues).toHaveLength(1);
    expect(loaded.config.texts.CONFIG_INVALID).toBe('Sign-up is paused');
  });

  it('reports DRY_RUN as on only when its own value is valid', () => {
    const bad = loadConfig({ DRY_RUN: 'true', AUTO_CONFIRM: 'nope' });
    expect(bad.issues).toHaveLength(1);
    expect(bad.config.dryRun).toBe(true);
    const badDryRun = loadConfig({ DRY_RUN: 'sure' });
    expect(badDryRun.issues).toHaveLength(1);
    expect(badDryRun.config.dryRun).toBe(false);
  });

  it('warns about likely misspellings and settings without effect', () => {
    const loaded = loadConfig({
      AUTO_CONFIM: 'false',
      AUTO_CONFIRM: 'false',
      AUTO_VERIFY_EMAIL: 'true',
      INVITE_SECRET: 'x'.repeat(40),
    });
    expect(loaded.warnings).toEqual([
      'AUTO_CONFIM is set but not read: did you mean AUTO_CONFIRM?',
      'AUTO_VERIFY_EMAIL has no effect while AUTO_CONFIRM is false',
      'INVITE_SECRET has no effect while INVITE_REQUIRED is not true',
    ]);
  });

  it.each(['Tab\there', 'Bell\u0007', 'Next\u0085line', 'Line\u2028separator', 'Para\u2029graph', 'Two\nlines'])(
    'rejects a DENY_MESSAGE text with a control character or line break (%j)',
    (text) => {
      expect(issuesOf({ DENY_MESSAGE_EMAIL_INVALID: text })).toMatchObject([
        {
          variable: 'DENY_MESSAGE_EMAIL_INVALID',
          received: JSON.stringify(text),
          expected: 'one line of at most 200 characters, without tabs, control or invisible format characters',
        },
      ]);
    },
  );

  it('reports a domain list with no entry, and names the variable and each bad entry', () => {
    expect(
      issuesOf({ ALLOWED_EMAIL_DOMAINS: ' , , ', BLOCKED_EMAIL_DOMAINS: 'ex%61mple.com, ok.example' }),
    ).toMatchObject([
      {
        variable: 'ALLOWED_EMAIL_DOMAINS',
        received: '", ,"',
        expected: 'at least one domain name, such as "example.com"',
      },
      {
        variable: 'BLOCKED_EMAIL_DOMAINS',
        received: 'the entry "ex%61mple.com"',
        expected: 'domain names like "example.com" or "*.example.com"',
      },
    ]);
  });

  it('does not say INVITE_SECRET has no effect when INVITE_REQUIRED itself is invalid', () => {
    const loaded = loadConfig({
      INVITE_REQUIRED: 'yes',
      INVITE_SECRET: 'x'.repeat(40),
      EXISTING_ACCOUNT_POLICY: 'ignore',
    });
    expect(loaded.issues.map((issue) => issue.variable)).toEqual(['INVITE_REQUIRED']);
    expect(loaded.warnings).toEqual([]);
  });

  it('cuts a long value at 80 characters in the problem it reports', () => {
    const [issue] = issuesOf({ EXISTING_ACCOUNT_POLICY: 'x'.repeat(200) });
    expect(issue?.received).toBe(`${JSON.stringify(`${'x'.repeat(80)}…`)} (200 characters)`);
  });

  it('reports an INVITE_TABLE that is not a DynamoDB table name', () => {
    expect(issuesOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'my table' })).toMatchObject([
      {
        variable: 'INVITE_TABLE',
        received: '"my table"',
        expected: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
      },
    ]);
  });

  it.each(['AWS/Cognito', 'Sign-ups!', 'x'.repeat(256)])(
    'reports METRICS_NAMESPACE=%s, keeping the default for the metrics',
    (value) => {
      const loaded = loadConfig({ METRICS_NAMESPACE: value });
      expect(loaded.issues.map((issue) => issue.variable)).toEqual(['METRICS_NAMESPACE']);
      expect(loaded.config.metricsNamespace).toBe('CognitoPreSignUp');
    },
  );

  it('has no metrics namespace with METRICS=false, and the one given otherwise', () => {
    expect(configOf({ METRICS: 'false', METRICS_NAMESPACE: 'MyApp/SignUps' }).metricsNamespace).toBeUndefined();
    expect(configOf({ METRICS_NAMESPACE: 'MyApp/SignUps' }).metricsNamespace).toBe('MyApp/SignUps');
  });

  it('writes no metrics with METRICS=false even when METRICS_NAMESPACE is wrong, and reports it', () => {
    const loaded = loadConfig({ METRICS: 'false', METRICS_NAMESPACE: 'AWS/Lambda' });
    expect(loaded.issues.map((issue) => issue.variable)).toEqual(['METRICS_NAMESPACE']);
    expect(loaded.config.metricsNamespace).toBeUndefined();
  });

  it('warns that INVITE_TABLE has no effect without INVITE_REQUIRED', () => {
    expect(loadConfig({ INVITE_TABLE: 'invites', EXISTING_ACCOUNT_POLICY: 'ignore' }).warnings).toEqual([
      'INVITE_TABLE has no effect while INVITE_REQUIRED is not true',
    ]);
  });
});
