import { describe, expect, it } from 'vitest';
import { isDisposableDomain } from '../../src/look-up/lazy/disposable-domains.js';
import { escapeFilterValue } from '../../src/look-up/lazy/existing-account-lookup.js';
import { gatherFacts, prewarm } from '../../src/look-up/lazy/gather-facts.js';
import { failureKindOf } from '../../src/look-up/lazy/lookup-failure.js';
import { FACT_NAMES } from '../../src/model/facts.js';
import { fixFor, LOOKUPS } from '../../src/look-up/lazy/lookups.js';
import { createInvitationCode, verifyInvitationCode } from '../../src/look-up/lazy/invitation-signature.js';
import { configOf, readInput } from '../helpers/fixtures.js';

describe('escapeFilterValue', () => {
  it('escapes double quotes and backslashes for a ListUsers filter', () => {
    expect(escapeFilterValue('o"ne\\il@example.com')).toBe('o\\"ne\\\\il@example.com');
  });
});

describe('isDisposableDomain', () => {
  it('matches a listed domain and its subdomains, not look-alikes', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('eu.mailinator.com')).toBe(true);
    expect(isDisposableDomain('xmailinator.com')).toBe(false);
    expect(isDisposableDomain('mailinator.com.example')).toBe(false);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(isDisposableDomain('example.com')).toBe(false);
  });
});

describe('invitation codes', () => {
  const secret = 'a-secret-of-at-least-thirty-two-chars';
  const now = 1_800_000_000;

  it('are short, and made of letters, digits and -', () => {
    const code = createInvitationCode(secret, 'kim@example.com', now + 3600);
    expect(code).toMatch(/^[a-z0-9]+-[0-9a-f]{20}$/);
    expect(code.length).toBeLessThanOrEqual(32);
  });

  it('survive being typed in upper case or with spaces around them', () => {
    const code = createInvitationCode(secret, 'kim@example.com', now + 3600);
    expect(verifyInvitationCode(secret, 'KIM@example.com', ` ${code.toUpperCase()} `, now)).toBe(true);
  });

  it('fail when the expiry is beyond what a number can hold exactly', () => {
    expect(verifyInvitationCode(secret, 'kim@example.com', `zzzzzzzzzzz-${'0'.repeat(20)}`, now)).toBe(false);
  });

  it('fold only A-Z in the email, so a Kelvin sign does not pass for k', () => {
    const code = createInvitationCode(secret, 'kim@example.com', now + 3600);
    expect(verifyInvitationCode(secret, 'KIM@EXAMPLE.COM', code, now)).toBe(true);
    expect(verifyInvitationCode(secret, '\u212Aim@example.com', code, now)).toBe(false);
  });

  it('fail when tampered with, expired or for another email', () => {
    const code = createInvitationCode(secret, 'kim@example.com', now + 3600);
    const [expiry] = code.split('-');
    const laterExpiry = `${(now + 999_999).toString(36)}-${code.slice((expiry ?? '').length + 1)}`;
    expect(verifyInvitationCode(secret, 'kim@example.com', laterExpiry, now)).toBe(false);
    expect(verifyInvitationCode(secret, 'kim@example.com', code, now + 3600)).toBe(false);
    expect(verifyInvitationCode(secret, 'lee@example.com', code, now)).toBe(false);
    expect(verifyInvitationCode(secret, 'kim@example.com', 'garbage', now)).toBe(false);
  });
});

describe('gatherFacts', () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

  it('reports a lookup that cannot run as a permanent failure, with its fix and only the error’s name', async () => {
    const input = readInput({ request: { userAttributes: { email: 'a@example.com' } } });
    const gathered = await gatherFacts(
      ['existingAccountForEmail'],
      input,
      configOf({ EXISTING_ACCOUNT_POLICY: 'deny' }),
      1000,
    );
    expect(gathered).toEqual({
      facts: { existingAccountForEmail: 'permanent-failure' },
      failures: [
        {
          lookup: 'existingAccountForEmail',
          error: 'NoUserPoolIdError',
          kind: 'permanent-failure',
          fix: 'the event has no userPoolId: a test event needs one for EXISTING_ACCOUNT_POLICY',
        },
      ],
      warnings: [],
    });
  });

  it('leaves no timer behind once the lookups are over', async () => {
    const input = readInput({ request: { userAttributes: { email: 'a@mailinator.com' } } });
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true' });
    await gatherFacts(['disposableEmail'], input, config, 2500);
    const before = timers();
    for (let i = 0; i < 50; i++) {
      expect((await gatherFacts(['disposableEmail'], input, config, 2500)).facts).toEqual({ disposableEmail: true });
    }
    expect(timers()).toBe(before);
  });
});

describe('LOOKUPS', () => {
  it('has one descriptor for every fact, and FACT_NAMES (which bounds the rounds) names them all', () => {
    expect(Object.keys(LOOKUPS).sort()).toEqual([...FACT_NAMES].sort());
  });
});

describe('the lookups asked about a sign-up their setting does not apply to', () => {
  it('answer without asking anyone', async () => {
    const input = readInput({ request: { userAttributes: { email: 'kim@example.com' } } });
    const none = configOf({});
    expect((await gatherFacts(['captcha', 'rateLimit', 'invitation'], input, none, 1000)).facts).toEqual({
      captcha: { passed: false, reason: 'refused' },
      rateLimit: { exceeded: undefined },
      invitation: 'none',
    });
    // Signed codes need a code; without one nothing is asked.
    const signed = configOf({ INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40) });
    expect((await gatherFacts(['invitation'], input, signed, 1000)).facts).toEqual({ invitation: 'none' });
    const noEmail = readInput({ request: { userAttributes: {} } });
    expect((await gatherFacts(['invitation'], noEmail, signed, 1000)).facts).toEqual({ invitation: 'none' });
  });
});

describe('prewarm', () => {
  it('loads every lookup asked for, offline and without rejecting', async () => {
    const config = configOf({ INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: '/app/invite-secret' });
    await expect(
      prewarm(['disposableEmail', 'invitation', 'existingAccountForEmail', 'federatedLink'], config),
    ).resolves.toBeUndefined();
    await expect(prewarm([], config)).resolves.toBeUndefined();
    const captcha = configOf({ CAPTCHA: 'turnstile', CAPTCHA_SECRET_PARAMETER: '/app/captcha' });
    await expect(prewarm(['captcha'], captcha)).resolves.toBeUndefined();
    await expect(
      prewarm(['captcha', 'rateLimit'], configOf({ CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' })),
    ).resolves.toBeUndefined();
    const signed = configOf({ INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40) });
    await expect(prewarm(['invitation'], signed)).resolves.toBeUndefined();
    await expect(prewarm(['invitation'], configOf({}))).resolves.toBeUndefined();
    const table = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' });
    await expect(prewarm(['invitation'], table)).resolves.toBeUndefined();
  });
});

describe('failureKindOf', () => {
  function awsError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
    return Object.assign(new Error('message that may quote a@example.com'), {
      name,
      $metadata: { httpStatusCode: status },
      ...extra,
    });
  }

  it.each([
    ['a time-out of ours', Object.assign(new Error(), { name: 'LookupTimeoutError' })],
    ['an aborted request', Object.assign(new Error(), { name: 'AbortError' })],
    ['a refused connection', Object.assign(new Error(), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error(), { code: 'ECONNRESET' })],
    ['throttling', awsError('ThrottlingException', 400)],
    ['throttling the SDK marks retryable', awsError('SlowDown', 400, { $retryable: { throttling: true } })],
    ['a 429', awsError('TooManyRequestsException', 429)],
    ['a 500', awsError('InternalErrorException', 500)],
    ['a 503 with an unknown name', awsError('Whatever', 503)],
  ])('calls %s transient', (_, error) => {
    expect(failureKindOf(error)).toBe('transient-failure');
  });

  it.each([
    ['access denied', awsError('AccessDeniedException', 400)],
    ['a missing table', awsError('ResourceNotFoundException', 400)],
    ['a validation error', awsError('ValidationException', 400)],
    ['bad credentials', awsError('UnrecognizedClientException', 400)],
    ['a bad signature', awsError('InvalidSignatureException', 403)],
    ['no credentials at all', Object.assign(new Error(), { name: 'CredentialsProviderError' })],
    ['any other 4xx', awsError('SomethingNew', 404)],
    ['an unrecognised error', new TypeError('x')],
    ['a thrown string', 'oops'],
  ])('calls %s permanent', (_, error) => {
    expect(failureKindOf(error)).toBe('permanent-failure');
  });
});

describe('fixFor', () => {
  const TABLE = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' });
  const PARAMETER = configOf({ INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: '/app/invite-secret' });
  const NONE = configOf({});

  it.each([
    ['existingAccountForEmail', 'ResourceNotFoundException', "the event's user pool was not found"],
    ['invitation', 'ValidationException', 'must have the string partition key "email"'],
    ['disposableEmail', 'ModuleLoadError', 'deploy dist/pre-signup.zip exactly as built'],
    ['existingAccountForEmail', 'SomethingNew', 'retrying will not help'],
  ] as const)('tells how to end %s failing with %s', (lookup, error, fix) => {
    expect(fixFor(lookup, error, TABLE)).toContain(fix);
  });

  it('names the permission each lookup needs, and the table or pool that is missing', () => {
    expect(fixFor('existingAccountForEmail', 'AccessDeniedException', NONE)).toBe(
      "the function's role needs cognito-idp:ListUsers on the user pool",
    );
    expect(fixFor('invitation', 'AccessDeniedException', TABLE)).toBe(
      "the function's role needs dynamodb:GetItem and dynamodb:UpdateItem on the table named by INVITE_TABLE",
    );
    expect(fixFor('invitation', 'AccessDeniedException', PARAMETER)).toBe(
      "the function's role needs ssm:GetParameter on the parameter named by INVITE_SECRET_PARAMETER, and kms:Decrypt on its key",
    );
    expect(fixFor('invitation', 'ParameterNotFound', PARAMETER)).toContain('does not exist');
    expect(fixFor('invitation', 'InviteSecretParameterError', PARAMETER)).toContain('at least 32 characters');
    expect(fixFor('invitation', 'KMSAccessDeniedException', PARAMETER)).toContain('kms:Decrypt');
    expect(fixFor('federatedLink', 'AccessDeniedException', NONE)).toBe(
      "the function's role needs cognito-idp:ListUsers and cognito-idp:AdminLinkProviderForUser on the user pool",
    );
    expect(fixFor('federatedLink', 'InvalidParameterException', NONE)).toContain('already be linked');
    expect(fixFor('federatedLink', 'SomethingNew', NONE)).toContain('retrying will not help');
    expect(fixFor('invitation', 'ResourceNotFoundException', TABLE)).toContain('INVITE_TABLE does not exist');
    const CAPTCHA = configOf({ CAPTCHA: 'turnstile', CAPTCHA_SECRET_PARAMETER: '/app/captcha' });
    expect(fixFor('captcha', 'AccessDeniedException', CAPTCHA)).toContain('CAPTCHA_SECRET_PARAMETER');
    expect(fixFor('captcha', 'CaptchaVerifyUrlError', CAPTCHA)).toContain('CAPTCHA_VERIFY_URL');
    expect(LOOKUPS.captcha.permissions(CAPTCHA)).toEqual(['ssm:GetParameter', 'kms:Decrypt']);
    expect(LOOKUPS.captcha.permissions(NONE)).toEqual([]);
    const LIMITS = configOf({ RATE_LIMITS: 'pool:1/h', RATE_LIMIT_TABLE: 'counts' });
    expect(fixFor('rateLimit', 'ValidationException', LIMITS)).toContain('"pk"');
    expect(fixFor('disposableEmail', 'AccessDeniedException', NONE)).toContain('retrying will not help');
    expect(fixFor('invitation', 'AccessDeniedException', NONE)).toContain('retrying will not help');
    expect(fixFor('existingAccountForPhone', 'UnrecognizedClientException', NONE)).toContain(
      "refused the function's credentials",
    );
  });
});
