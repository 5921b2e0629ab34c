import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { configOf, issuesOf } from '../helpers/fixtures.js';

describe('CAPTCHA settings', () => {
  it('reads a provider with its secret and checks', () => {
    expect(
      configOf({
        CAPTCHA: 'reCAPTCHA',
        CAPTCHA_SECRET_PARAMETER: '/app/captcha-secret',
        CAPTCHA_MIN_SCORE: '0.5',
        CAPTCHA_HOSTNAMES: 'Example.com, www.example.com',
        CAPTCHA_ACTION: 'signup',
        CAPTCHA_VERIFY_URL: 'http://127.0.0.1:8080/verify',
      }).captcha,
    ).toEqual({
      provider: 'recaptcha',
      secret: { kind: 'parameter', name: '/app/captcha-secret' },
      minScore: 0.5,
      hostnames: ['example.com', 'www.example.com'],
      action: 'signup',
      verifyUrl: 'http://127.0.0.1:8080/verify',
    });
    expect(configOf({}).captcha).toBeUndefined();
  });

  it('needs exactly one secret, and never echoes it', () => {
    expect(issuesOf({ CAPTCHA: 'turnstile' })).toMatchObject([{ variable: 'CAPTCHA', kind: 'combination' }]);
    const both = issuesOf({ CAPTCHA: 'turnstile', CAPTCHA_SECRET: 'TopSecret-123', CAPTCHA_SECRET_PARAMETER: '/p' });
    expect(both).toMatchObject([{ variable: 'CAPTCHA', received: expect.stringContaining('both') }]);
    expect(JSON.stringify(both)).not.toContain('TopSecret');
  });

  it.each([
    ['an unknown provider', { CAPTCHA: 'friendlycaptcha', CAPTCHA_SECRET: 's' }, 'CAPTCHA'],
    ['a score above 1', { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's', CAPTCHA_MIN_SCORE: '1.5' }, 'CAPTCHA_MIN_SCORE'],
    [
      'a score that is no number',
      { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's', CAPTCHA_MIN_SCORE: 'high' },
      'CAPTCHA_MIN_SCORE',
    ],
    [
      'an action with hCaptcha',
      { CAPTCHA: 'hcaptcha', CAPTCHA_SECRET: 's', CAPTCHA_ACTION: 'signup' },
      'CAPTCHA_ACTION',
    ],
    [
      'an http URL off loopback',
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's', CAPTCHA_VERIFY_URL: 'http://example.com/v' },
      'CAPTCHA_VERIFY_URL',
    ],
    [
      'a bad parameter name',
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET_PARAMETER: 'not a name' },
      'CAPTCHA_SECRET_PARAMETER',
    ],
  ])('refuses %s', (_, env, variable) => {
    expect(issuesOf(env).map((issue) => issue.variable)).toContain(variable);
  });

  it('does not echo a verification URL holding a password', () => {
    const issues = issuesOf({
      CAPTCHA: 'turnstile',
      CAPTCHA_SECRET: 's',
      CAPTCHA_VERIFY_URL: 'http://user:pw@example.com/',
    });
    expect(JSON.stringify(issues)).not.toContain('pw@');
  });

  it('warns of settings without effect', () => {
    expect(loadConfig({ CAPTCHA_SECRET: 's', EXISTING_ACCOUNT_POLICY: 'ignore' }).warnings).toEqual([
      'CAPTCHA_SECRET has no effect while CAPTCHA is not set',
    ]);
    expect(
      loadConfig({
        CAPTCHA: 'turnstile',
        CAPTCHA_SECRET: 's',
        CAPTCHA_MIN_SCORE: '0.5',
        EXISTING_ACCOUNT_POLICY: 'ignore',
      }).warnings,
    ).toEqual(['CAPTCHA_MIN_SCORE has no effect with CAPTCHA=turnstile, whose answer has no score']);
  });
});

describe('RATE_LIMITS settings', () => {
  it('reads the limits and the table', () => {
    expect(
      configOf({ RATE_LIMITS: 'email-domain:20/h, pool:2000/d', RATE_LIMIT_TABLE: 'counts' }).rateLimits,
    ).toMatchObject({
      table: 'counts',
      limits: [
        { scope: 'email-domain', limit: 20 },
        { scope: 'pool', limit: 2000 },
      ],
    });
  });

  it('names each bad entry, and needs a table', () => {
    expect(issuesOf({ RATE_LIMITS: 'email-domain:20/h, ip:5/h', RATE_LIMIT_TABLE: 'counts' })).toMatchObject([
      { variable: 'RATE_LIMITS', received: 'the entry "ip:5/h"', kind: 'entry' },
    ]);
    expect(issuesOf({ RATE_LIMITS: 'pool:10/d' })).toMatchObject([{ variable: 'RATE_LIMITS', kind: 'combination' }]);
    expect(issuesOf({ RATE_LIMITS: 'pool:10/d', RATE_LIMIT_TABLE: 'no spaces' })).toMatchObject([
      { variable: 'RATE_LIMIT_TABLE' },
    ]);
    expect(loadConfig({ RATE_LIMIT_TABLE: 'counts', EXISTING_ACCOUNT_POLICY: 'ignore' }).warnings).toEqual([
      'RATE_LIMIT_TABLE has no effect while RATE_LIMITS is not set',
    ]);
  });
});

describe('INVITE_MATCH', () => {
  it('defaults to code, and takes email or code-or-email with INVITE_TABLE', () => {
    expect(configOf({}).inviteMatch).toBe('code');
    expect(configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_MATCH: 'email' }).inviteMatch).toBe(
      'email',
    );
  });

  it('refuses a match by email where no table can hold one', () => {
    expect(
      issuesOf({ INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40), INVITE_MATCH: 'code-or-email' }),
    ).toMatchObject([{ variable: 'INVITE_MATCH', kind: 'combination' }]);
    expect(issuesOf({ INVITE_MATCH: 'sometimes' })).toMatchObject([{ variable: 'INVITE_MATCH' }]);
  });
});

describe('RULES_PARAMETER', () => {
  it('is one rules document with RULES_FILE, and an SSM name or ARN', () => {
    expect(issuesOf({ RULES_PARAMETER: '/app/rules', RULES_FILE: 'rules.json' })).toMatchObject([
      { variable: 'RULES_PARAMETER', kind: 'combination' },
    ]);
    expect(issuesOf({ RULES_PARAMETER: 'not a name!' })).toMatchObject([{ variable: 'RULES_PARAMETER' }]);
    expect(configOf({ RULES_PARAMETER: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/rules' }).rulesParameter).toBe(
      'arn:aws:ssm:eu-west-1:123456789012:parameter/app/rules',
    );
  });
});
