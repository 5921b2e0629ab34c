import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../tools/local/stack.js';
import { invocationLines } from '../helpers/function-logs.js';
import { type LinkProxy, startLinkProxy } from '../helpers/link-proxy.js';

// LINK_FEDERATED_USERS end to end, against the zip under the runtime client on Node 22. The native
// users are real: made through SignUp on cognito-local, with the function itself deciding whether
// each is confirmed and verified. Neither cognito-local nor moto implements AdminLinkProviderForUser
// or sends PreSignUp_ExternalProvider events, so the proxy answers the link (and records it) and
// the function is invoked with external-provider events shaped like Cognito's.

let stack: Stack;
let proxy: LinkProxy;
let userPoolId: string;
let clientId: string;
const teardown: (() => Promise<void>)[] = [];
const PROVIDERS = 'Google,SignInWithApple,MyCorpOIDC';
// Linking is valid only while self sign-ups prove their email by code.
// (and, acknowledged here, no alias guard: the pool's users sign in with a user name).
const LINKING = { LINK_FEDERATED_USERS: PROVIDERS, AUTO_VERIFY_EMAIL: 'false', EXISTING_ACCOUNT_POLICY: 'ignore' };

beforeAll(async () => {
  stack = await startStack();
  teardown.push(() => stack.stop());
  proxy = await startLinkProxy(stack.cognitoEndpoint);
  teardown.push(() => proxy.stop());
  ({ userPoolId, clientId } = await stack.newPool());
  const signUp = async (env: Record<string, string>, username: string, email: string) => {
    await stack.useSettings(env);
    await stack.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: 'Correct-horse-9',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
  };
  await signUp({}, 'alice', 'alice@example.com'); // confirmed, email verified: the link target
  await signUp({}, 'bob1', 'bob@example.com'); // two native users with one email
  await signUp({}, 'bob2', 'bob@example.com');
  await signUp({ AUTO_VERIFY_EMAIL: 'false' }, 'cara', 'cara@example.com'); // confirmed, email not verified
  await signUp({ AUTO_CONFIRM: 'false' }, 'dan', 'dan@example.com'); // a squatter: unconfirmed, email unverified
  // The owner, and a squatter who registered the owner's address first and never confirmed it.
  await signUp({ AUTO_CONFIRM: 'false' }, 'erin-squatter', 'erin@example.com');
  await signUp({}, 'erin', 'erin@example.com');
  // An attacker's sign-up under the linking settings themselves: confirmed, email not verified.
  await signUp(LINKING, 'mallory', 'victim@example.com');
}, 60_000);

afterAll(async () => {
  for (const stop of teardown.reverse()) await stop();
});

beforeEach(() => {
  proxy.linkRequests.length = 0;
  proxy.answerLinkWith('ok');
});

/**
 * A first federated sign-in, as Cognito sends it to the trigger. `emailVerified` is the IdP's claim
 * as the pool's attribute mapping passes it on (`undefined`: not mapped, or not sent).
 */
function externalProviderEvent(userName: string, email: string, emailVerified: string | undefined) {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId,
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    triggerSource: 'PreSignUp_ExternalProvider',
    request: {
      userAttributes: {
        email,
        ...(emailVerified === undefined ? {} : { email_verified: emailVerified }),
        'cognito:email_alias': '',
        'cognito:phone_number_alias': '',
      },
      validationData: {},
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

async function signInWith(
  userName: string,
  email: string,
  env: Record<string, string> = {},
  emailVerified: string | null = 'true',
) {
  await stack.useSettings({ ...LINKING, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.endpoint, ...env });
  const running = stack.current();
  if (running === undefined) throw new Error('no function running');
  const { result, error } = await running.invoke(externalProviderEvent(userName, email, emailVerified ?? undefined));
  const [line] = invocationLines(running.logs);
  return { result, error: error?.errorMessage, line, logs: running.logs.join('\n') };
}

const linkOf = (provider: string, subject: string, destination: string) => ({
  UserPoolId: userPoolId,
  DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destination },
  SourceUser: { ProviderName: provider, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
});

describe('LINK_FEDERATED_USERS against cognito-local, with AdminLinkProviderForUser answered by a proxy', () => {
  it.each([
    ['Google_111122223333', 'Google', '111122223333'],
    ['google_111122223333', 'Google', '111122223333'], // the lower-case prefix Cognito sometimes sends
    ['SignInWithApple_001234.abcdef', 'SignInWithApple', '001234.abcdef'],
    ['MyCorpOIDC_a1b2_c3', 'MyCorpOIDC', 'a1b2_c3'],
  ])('links %s to the existing account and refuses with ACCOUNT_LINKED', async (userName, provider, subject) => {
    const { error, line, logs } = await signInWith(userName, 'alice@example.com');
    expect(error).toBe('ACCOUNT_LINKED: Your accounts are now linked. Please sign in again');
    expect(proxy.linkRequests).toEqual([linkOf(provider, subject, 'alice')]);
    expect(line).toMatchObject({ code: 'ACCOUNT_LINKED', federatedLink: { provider, outcome: 'linked' } });
    expect(logs).not.toContain('alice');
    expect(logs).not.toContain(subject);
  });

  it.each([
    ['no native user holds the email', 'Google_1', 'zoe@example.com', 'no-match'],
    ['only a squatter holds it (unconfirmed, email unverified)', 'Google_11', 'dan@example.com', 'no-match'],
    ['two native users hold it', 'Google_2', 'bob@example.com', 'several-matches'],
    // A user whose email is not verified holds nothing, confirmed or not.
    ['only a confirmed user with the email unverified holds it', 'Google_3', 'cara@example.com', 'no-match'],
    ['an attacker signed up first with it under these very settings', 'Google_12', 'victim@example.com', 'no-match'],
  ])('links nothing when %s, and lets the sign-up go on', async (_, userName, email, outcome) => {
    const { result, error, line } = await signInWith(userName, email);
    expect(error).toBeUndefined();
    expect((result as { response: unknown }).response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(proxy.linkRequests).toEqual([]);
    expect(line).toMatchObject({ level: 'INFO', federatedLink: { provider: 'Google', outcome } });
  });

  it('links the owner when a squatter registered the same email first', async () => {
    const { error, line } = await signInWith('Google_13', 'erin@example.com');
    expect(error).toBe('ACCOUNT_LINKED: Your accounts are now linked. Please sign in again');
    expect(proxy.linkRequests).toEqual([linkOf('Google', '13', 'erin')]);
    expect(line).toMatchObject({ federatedLink: { outcome: 'linked' } });
  });

  it.each([
    ['"false"', 'false'],
    ['missing', null],
  ])('links nothing, and verifies nothing, when the IdP’s email_verified is %s', async (_, claim) => {
    const { result, error, line } = await signInWith('Google_14', 'alice@example.com', {}, claim);
    expect(error).toBeUndefined();
    expect((result as { response: unknown }).response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(proxy.linkRequests).toEqual([]);
    expect(line).toMatchObject({ federatedLink: { provider: 'Google', outcome: 'provider-email-unverified' } });
  });

  it('refuses every sign-up with CONFIG_INVALID when linking meets emails verified without a code', async () => {
    const { error, line } = await signInWith('Google_15', 'alice@example.com', { AUTO_VERIFY_EMAIL: 'true' });
    expect(error).toBe('CONFIG_INVALID: Sign-up is temporarily unavailable');
    expect(proxy.linkRequests).toEqual([]);
    expect(line).toMatchObject({
      level: 'ERROR',
      configProblems: [
        { variable: 'LINK_FEDERATED_USERS', expected: expect.stringContaining('AUTO_VERIFY_EMAIL=false') },
      ],
    });
  });

  it('links nothing for a provider that is not listed', async () => {
    const { error, line } = await signInWith('Facebook_5', 'alice@example.com');
    expect(error).toBeUndefined();
    expect(proxy.linkRequests).toEqual([]);
    expect(line).toMatchObject({ federatedLink: { provider: 'Facebook', outcome: 'provider-not-listed' } });
  });

  it.each([
    ['a 5xx', 'server-error', 'InternalErrorException', 'transient-failure', 2],
    ['LimitExceededException', 'limit-exceeded', 'LimitExceededException', 'permanent-failure', 1],
  ] as const)(
    'refuses with SERVICE_UNAVAILABLE when the link fails with %s, even with FAIL_OPEN',
    async (_, answer, errorName, kind, attempts) => {
      proxy.answerLinkWith(answer);
      const { error, line } = await signInWith('Google_6', 'alice@example.com', { FAIL_OPEN: 'true' });
      expect(error).toBe('SERVICE_UNAVAILABLE: Please try again');
      // A 5xx is tried once more within the budget, as every lookup is.
      expect(proxy.linkRequests).toHaveLength(attempts);
      expect(line).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        rule: 'LINK_FEDERATED_USERS',
        federatedLink: { provider: 'Google', outcome: kind },
        lookupFailures: [{ lookup: 'federatedLink', error: errorName, kind }],
      });
      if (kind === 'permanent-failure') {
        expect(line).toMatchObject({ level: 'ERROR', lookupFailures: [{ fix: expect.stringContaining('(5)') }] });
      }
    },
  );

  it('refuses with SERVICE_UNAVAILABLE within the time budget when the link never answers', async () => {
    proxy.answerLinkWith('silent');
    const startedAt = Date.now();
    const { error, line } = await signInWith('Google_7', 'alice@example.com');
    expect(Date.now() - startedAt).toBeLessThan(4_500);
    expect(error).toBe('SERVICE_UNAVAILABLE: Please try again');
    expect(line).toMatchObject({ lookupFailures: [{ lookup: 'federatedLink', error: 'LookupTimeoutError' }] });
  });

  it('with DRY_RUN logs would-link and calls nothing but ListUsers', async () => {
    const { result, error, line } = await signInWith('Google_8', 'alice@example.com', { DRY_RUN: 'true' });
    expect(error).toBeUndefined();
    expect((result as { response: unknown }).response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(proxy.linkRequests).toEqual([]);
    expect(line).toMatchObject({
      outcome: 'would-refuse',
      code: 'ACCOUNT_LINKED',
      federatedLink: { outcome: 'would-link' },
    });
  });

  it('with EXISTING_ACCOUNT_POLICY=deny links what it can, and the guard refuses the rest', async () => {
    const deny = { EXISTING_ACCOUNT_POLICY: 'deny' };
    expect((await signInWith('Google_9', 'alice@example.com', deny)).error).toMatch(/^ACCOUNT_LINKED: /);
    expect(proxy.linkRequests).toHaveLength(1);
    // A confirmed user whose email is not verified (as AUTO_VERIFY_EMAIL=false makes every self
    // sign-up) holds nothing either: the owner is neither linked to it nor refused for it.
    const unverified = await signInWith('Google_10', 'cara@example.com', deny);
    expect(unverified.error).toBeUndefined();
    expect(unverified.line).toMatchObject({ outcome: 'confirmed', federatedLink: { outcome: 'no-match' } });
    expect(proxy.linkRequests).toHaveLength(1);
    // A squatter holds nothing: the owner's sign-in is neither linked to it nor refused for it.
    const squatted = await signInWith('Google_16', 'dan@example.com', deny);
    expect(squatted.error).toBeUndefined();
    expect(squatted.line).toMatchObject({ outcome: 'confirmed', federatedLink: { outcome: 'no-match' } });
  });

  it('lets the owner sign up natively under EXISTING_ACCOUNT_POLICY=deny when only squatters hold the email', async () => {
    await stack.useSettings({ EXISTING_ACCOUNT_POLICY: 'deny' });
    const signUp = (username: string, email: string) =>
      stack.cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: username,
          Password: 'Correct-horse-9',
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
    await expect(signUp('dan-owner', 'dan@example.com')).resolves.toMatchObject({ UserConfirmed: true });
    // Nor does a confirmed user whose email is unverified; a verified one does.
    await expect(signUp('cara-again', 'cara@example.com')).resolves.toMatchObject({ UserConfirmed: true });
    await expect(signUp('alice-again', 'alice@example.com')).rejects.toThrow(
      'PreSignUp failed with error ACCOUNT_EXISTS: An account already exists for these details.',
    );
  });
});
