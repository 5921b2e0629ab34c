import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Annotations, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations as SynthAnnotations, Match } from 'aws-cdk-lib/assertions';
import {
  CfnUserPoolClient,
  FeaturePlan,
  ProviderAttribute,
  UserPool,
  UserPoolIdentityProviderGoogle,
  type UserPoolProps,
} from 'aws-cdk-lib/aws-cognito';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PreSignUpTrigger, type PreSignUpTriggerProps } from '../../src/cdk/index.js';

// The construct's warnings about settings that cannot work with the pool it is given
// (src/cdk/pool-fit.ts, docs/cognito-sign-up-paths.md), read as `cdk synth` reports them.

// A synth takes seconds on a busy two-core machine, the first one most (it loads aws-cdk-lib's
// modules): measured 25-40 s under a full `npm test` run beside other work.
vi.setConfig({ testTimeout: 90_000 });

const cdkOutdir = mkdtempSync(path.join(tmpdir(), 'pre-signup-pool-fit-test-'));
const cdkOutdirBefore = process.env.CDK_OUTDIR;
beforeAll(() => {
  process.env.CDK_OUTDIR = cdkOutdir;
});
afterAll(() => {
  if (cdkOutdirBefore === undefined) delete process.env.CDK_OUTDIR;
  else process.env.CDK_OUTDIR = cdkOutdirBefore;
  rmSync(cdkOutdir, { recursive: true, force: true });
});

type Settings = Omit<PreSignUpTriggerProps, 'userPool'>;

/**
 * The trigger's warnings (their ids) for these settings on a pool made with `poolProps`, after
 * `thenAdd` has added clients, domains or providers: after the trigger, as apps often do.
 */
function warningsFor(
  settings: (stack: Stack) => Settings,
  poolProps: UserPoolProps,
  thenAdd: (pool: UserPool, stack: Stack) => void = () => undefined,
): { ids: string[]; messages: string[] } {
  const stack = new Stack(new App({ autoSynth: false }), 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const userPool = new UserPool(stack, 'Pool', poolProps);
  new PreSignUpTrigger(stack, 'PreSignUp', { userPool, ...settings(stack) });
  thenAdd(userPool, stack);
  const messages = SynthAnnotations.fromStack(stack)
    .findWarning('/Test/PreSignUp', Match.anyValue())
    .map((warning) =>
      typeof warning.entry.data === 'string' ? warning.entry.data : JSON.stringify(warning.entry.data),
    );
  const ids = messages.flatMap((message) => /\[ack: cognito-pre-signup-trigger:(\w+)\]/.exec(message)?.[1] ?? []);
  return { ids, messages };
}

const captcha = (stack: Stack): Settings => ({
  captcha: 'turnstile',
  captchaSecret: {
    parameter: StringParameter.fromSecureStringParameterAttributes(stack, 'CaptchaSecret', {
      parameterName: '/pre-signup/captcha-secret',
    }),
  },
  existingAccountPolicy: 'ignore',
});
const inviteByCode = (): Settings => ({
  inviteRequired: true,
  inviteTable: 'invitations',
  existingAccountPolicy: 'ignore',
});
const SELF_SIGN_UP: UserPoolProps = { selfSignUpEnabled: true };
const withManagedLogin = (pool: UserPool) => {
  pool.addDomain('Domain', { cognitoDomain: { domainPrefix: 'pre-signup-example' } });
  pool.addClient('Web');
};

describe('PreSignUpTrigger on a pool with managed login', () => {
  it('warns that CAPTCHA refuses every managed-login sign-up, naming a client added after the trigger', () => {
    const { ids, messages } = warningsFor(captcha, SELF_SIGN_UP, withManagedLogin);
    expect(ids).toEqual(['captchaWithManagedLogin']);
    expect(messages[0]).toContain('Test/Pool/Web offers managed login on Test/Pool');
    expect(messages[0]).toContain('CAPTCHA_REQUIRED');
    expect(messages[0]).toContain('waf.yaml');
  });

  it('warns that an invitation code cannot come through managed login, and not under INVITE_MATCH=email', () => {
    expect(warningsFor(inviteByCode, SELF_SIGN_UP, withManagedLogin).ids).toEqual(['inviteCodeWithManagedLogin']);
    const byEmail = () => ({ ...inviteByCode(), inviteMatch: 'email' as const });
    expect(warningsFor(byEmail, SELF_SIGN_UP, withManagedLogin).ids).toEqual([]);
  });

  it('names every client that offers managed login, and only those', () => {
    const { messages } = warningsFor(captcha, SELF_SIGN_UP, (pool, stack) => {
      withManagedLogin(pool);
      pool.addClient('Mobile', { disableOAuth: true });
      new CfnUserPoolClient(stack, 'Portal', {
        userPoolId: pool.userPoolId,
        allowedOAuthFlowsUserPoolClient: true,
        allowedOAuthFlows: ['code'],
        allowedOAuthScopes: ['openid'],
        callbackUrLs: ['https://portal.example.com/callback'],
        supportedIdentityProviders: ['COGNITO'],
      });
    });
    expect(messages[0]).toContain('Test/Pool/Web, Test/Portal offer managed login');
    expect(messages[0]).not.toContain('Mobile');
  });

  it.each([
    ['no domain', SELF_SIGN_UP, (pool: UserPool) => pool.addClient('Web')],
    [
      'no client with OAuth',
      SELF_SIGN_UP,
      (pool: UserPool) => {
        pool.addDomain('Domain', { cognitoDomain: { domainPrefix: 'pre-signup-example' } });
        pool.addClient('Web', { disableOAuth: true });
      },
    ],
    ['self sign-up off (CDK’s default)', {}, withManagedLogin],
    [
      'a client of another pool',
      SELF_SIGN_UP,
      (_: UserPool, stack: Stack) => withManagedLogin(new UserPool(stack, 'Other')),
    ],
  ])('says nothing when the pool has %s', (_, poolProps, thenAdd) => {
    expect(warningsFor(captcha, poolProps, thenAdd).ids).toEqual([]);
    expect(warningsFor(inviteByCode, poolProps, thenAdd).ids).toEqual([]);
  });

  it('can be acknowledged by its id', () => {
    const stack = new Stack(new App({ autoSynth: false }), 'Ack');
    const userPool = new UserPool(stack, 'Pool', SELF_SIGN_UP);
    const trigger = new PreSignUpTrigger(stack, 'PreSignUp', { userPool, ...captcha(stack) });
    withManagedLogin(userPool);
    Annotations.of(trigger).acknowledgeWarning('cognito-pre-signup-trigger:captchaWithManagedLogin', 'WAF in front');
    expect(SynthAnnotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('PreSignUpTrigger on a pool with external identity providers', () => {
  it('warns that federated first sign-ins carry no invitation code', () => {
    const google = (pool: UserPool, stack: Stack) =>
      new UserPoolIdentityProviderGoogle(stack, 'Google', {
        userPool: pool,
        clientId: 'google-client-id',
        clientSecretValue: SecretValue.unsafePlainText('google-client-secret'),
        attributeMapping: { email: ProviderAttribute.GOOGLE_EMAIL },
      });
    expect(warningsFor(inviteByCode, {}, google).ids).toEqual(['inviteCodeWithFederation']);
    const byEmail = () => ({ ...inviteByCode(), inviteMatch: 'code-or-email' as const });
    expect(warningsFor(byEmail, {}, google).ids).toEqual([]);
    expect(warningsFor(inviteByCode, {}).ids).toEqual([]);
  });
});

describe('PreSignUpTrigger on a pool with passwordless sign-in', () => {
  const passwordless = (
    factors: { emailOtp?: boolean; smsOtp?: boolean },
    selfSignUpEnabled = true,
  ): UserPoolProps => ({
    selfSignUpEnabled,
    featurePlan: FeaturePlan.ESSENTIALS,
    signInPolicy: { allowedFirstAuthFactors: { password: true, ...factors } },
  });
  const settings = (more: Settings) => () => ({ existingAccountPolicy: 'ignore' as const, ...more });

  it('warns that the defaults verify an email nobody proved and skip ConfirmSignUp', () => {
    const { ids, messages } = warningsFor(settings({}), passwordless({ emailOtp: true }));
    expect(ids).toEqual(['autoVerifyWithPasswordless']);
    expect(messages[0]).toContain('one-time code to their email,');
    expect(messages[0]).toContain('autoConfirm: false');
  });

  it('names the phone number for SMS codes, and both for both', () => {
    expect(warningsFor(settings({}), passwordless({ smsOtp: true })).messages[0]).toContain(
      'one-time code to their phone number,',
    );
    expect(warningsFor(settings({}), passwordless({ emailOtp: true, smsOtp: true })).messages[0]).toContain(
      'email and phone number',
    );
    // Only what is verified without a code counts.
    expect(
      warningsFor(settings({ autoVerifyPhone: false }), passwordless({ emailOtp: true, smsOtp: true })).messages[0],
    ).toContain('one-time code to their email,');
  });

  it.each([
    ['autoConfirm: false', settings({ autoConfirm: false }), passwordless({ emailOtp: true })],
    ['autoVerifyEmail: false', settings({ autoVerifyEmail: false }), passwordless({ emailOtp: true })],
    ['passwords only', settings({}), passwordless({})],
    ['no self sign-up', settings({}), passwordless({ emailOtp: true }, false)],
  ])('says nothing with %s', (_, props, poolProps) => {
    expect(warningsFor(props, poolProps).ids).toEqual([]);
  });
});
