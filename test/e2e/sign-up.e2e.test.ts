import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminGetUserCommand,
  type AttributeType,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UserLambdaValidationException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeFromEnvironment } from '../../tools/local/function-host.js';
import { type Stack, startStack } from '../../tools/local/stack.js';
import { invocationLines } from '../helpers/function-logs.js';
import { runTool } from '../helpers/run-tool.js';

const PASSWORD = 'Correct-horse-9';

let stack: Stack | undefined;
beforeAll(async () => {
  stack = await startStack(runtimeFromEnvironment());
});
afterAll(async () => {
  await stack?.stop();
});

/** The running stack; beforeAll failing fails every test, and so does this. */
function started(): Stack {
  if (stack === undefined) throw new Error('the local stack did not start');
  return stack;
}

function attributes(values: Record<string, string>): AttributeType[] {
  return Object.entries(values).map(([Name, Value]) => ({ Name, Value }));
}

async function signUp(
  clientId: string,
  username: string,
  attrs: Record<string, string>,
  clientMetadata?: Record<string, string>,
) {
  return started().cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: attributes(attrs),
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

async function userOf(userPoolId: string, username: string) {
  const user = await started().cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
  return {
    status: user.UserStatus,
    attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])) as Record<
      string,
      string | undefined
    >,
  };
}

async function expectNoUser(userPoolId: string, username: string) {
  await expect(
    started().cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })),
  ).rejects.toMatchObject({
    name: 'UserNotFoundException',
  });
}

describe('sign-up through cognito-local and the built zip', () => {
  it('confirms and verifies by default, and the user signs in at once', async () => {
    await started().useSettings({});
    const { userPoolId, clientId } = await started().newPool();
    const result = await signUp(clientId, 'alice', { email: 'alice@example.com', phone_number: '+15555550100' });
    expect(result.UserConfirmed).toBe(true);
    const user = await userOf(userPoolId, 'alice');
    expect(user.status).toBe('CONFIRMED');
    expect(user.attributes).toMatchObject({ email_verified: 'true', phone_number_verified: 'true' });
    const auth = await started().cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD },
      }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    // EXISTING_ACCOUNT_POLICY=ignore, the default, looks nothing up: the same email again is confirmed and verified.
    expect((await signUp(clientId, 'alice2', { email: 'alice@example.com' })).UserConfirmed).toBe(true);
    expect((await userOf(userPoolId, 'alice2')).attributes).toMatchObject({ email_verified: 'true' });
  });

  it('confirms only the listed domains; other users stay UNCONFIRMED', async () => {
    await started().useSettings({ AUTO_CONFIRM_EMAIL_DOMAINS: 'example.com' });
    const { userPoolId, clientId } = await started().newPool();
    expect((await signUp(clientId, 'carol', { email: 'carol@Example.com' })).UserConfirmed).toBe(true);
    expect((await signUp(clientId, 'dave', { email: 'dave@other.example' })).UserConfirmed).toBe(false);
    expect((await userOf(userPoolId, 'dave')).status).toBe('UNCONFIRMED');
    expect((await userOf(userPoolId, 'dave')).attributes.email_verified).not.toBe('true');
  });

  it.each([
    [
      'EMAIL_DOMAIN_BLOCKED',
      { BLOCKED_EMAIL_DOMAINS: 'blocked.example' },
      { email: 'erin@blocked.example' },
      'erin',
      undefined,
    ],
    [
      'EMAIL_DOMAIN_NOT_ALLOWED',
      { ALLOWED_EMAIL_DOMAINS: 'example.com' },
      { email: 'erin@other.example' },
      'erin',
      undefined,
    ],
    // A bypass attempt: read as a URL host, this domain used to be example.com.
    ['EMAIL_INVALID', { ALLOWED_EMAIL_DOMAINS: 'example.com' }, { email: 'erin@ex%61mple.com' }, 'erin', undefined],
    ['USERNAME_TOO_SHORT', { MIN_USERNAME_LENGTH: '5' }, { email: 'al@example.com' }, 'al', undefined],
    ['DISPOSABLE_EMAIL', { BLOCK_DISPOSABLE_EMAILS: 'true' }, { email: 'frank@mailinator.com' }, 'frank', undefined],
    [
      'INVITE_REQUIRED',
      { INVITE_REQUIRED: 'true', INVITE_SECRET: 's'.repeat(32) },
      { email: 'g@example.com' },
      'grace',
      undefined,
    ],
    [
      'INVITE_INVALID',
      { INVITE_REQUIRED: 'true', INVITE_SECRET: 's'.repeat(32) },
      { email: 'h@example.com' },
      'heidi',
      { inviteCode: 'abc-0123456789abcdef0123' },
    ],
    ['CONFIG_INVALID', { AUTO_CONFIRM: 'yes' }, { email: 'ivan@example.com' }, 'ivan', undefined],
    ['EMAIL_BLOCKED', { BLOCKED_EMAILS: 'judy@example.com' }, { email: 'Judy@Example.com' }, 'judy', undefined],
    ['EMAIL_SUBADDRESS', { EMAIL_SUBADDRESSES: 'block' }, { email: 'kim+shop@example.com' }, 'kim', undefined],
    [
      'PHONE_NOT_ALLOWED',
      { ALLOWED_PHONE_PREFIXES: '+44' },
      { email: 'leo@example.com', phone_number: '+15555550100' },
      'leo',
      undefined,
    ],
    [
      'PHONE_BLOCKED',
      { BLOCKED_PHONE_PREFIXES: '+1555' },
      { email: 'mia@example.com', phone_number: '+15555550100' },
      'mia',
      undefined,
    ],
    [
      'PHONE_INVALID',
      { BLOCKED_PHONE_PREFIXES: '+7' },
      { email: 'ned@example.com', phone_number: '555-0100' },
      'ned',
      undefined,
    ],
  ] as const)(
    'refuses with %s: the message reads as Cognito shows it, and no user is created',
    async (code, env, attrs, username, metadata) => {
      await started().useSettings(env);
      const { userPoolId, clientId } = await started().newPool();
      const failure = await signUp(clientId, username, attrs, metadata).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UserLambdaValidationException);
      expect((failure as Error).message).toMatch(new RegExp(`^PreSignUp failed with error ${code}: [^.]+\\.$`));
      expect((failure as Error).message).not.toContain(attrs.email);
      await expectNoUser(userPoolId, username);
    },
  );

  it('confirms 40 concurrent sign-ups', async () => {
    await started().useSettings({});
    const { userPoolId, clientId } = await started().newPool();
    const names = Array.from({ length: 40 }, (_, index) => `user${index}`);
    const results = await Promise.all(names.map((name) => signUp(clientId, name, { email: `${name}@example.com` })));
    expect(results.every((result) => result.UserConfirmed === true)).toBe(true);
    const statuses = await Promise.all(names.map(async (name) => (await userOf(userPoolId, name)).status));
    expect(new Set(statuses)).toEqual(new Set(['CONFIRMED']));
  });

  it('dry run: refuses nobody, changes nothing, and logs what it would have done', async () => {
    await started().useSettings({ DRY_RUN: 'true', BLOCKED_EMAIL_DOMAINS: 'blocked.example' });
    const { userPoolId, clientId } = await started().newPool();
    // The event is returned as received, so Cognito's own flow applies: the user stays unconfirmed.
    expect((await signUp(clientId, 'erin', { email: 'erin@blocked.example' })).UserConfirmed).toBe(false);
    expect((await userOf(userPoolId, 'erin')).status).toBe('UNCONFIRMED');
    const lines = invocationLines(started().current()?.logs ?? []);
    expect(lines).toContainEqual(
      expect.objectContaining({ dryRun: true, outcome: 'would-refuse', code: 'EMAIL_DOMAIN_BLOCKED' }),
    );
  });

  it('applies a rules document (RULES_FILE), with settings of its own for one of two app clients', async () => {
    const { userPoolId, clientId: publicClient } = await started().newPool();
    const created = await started().cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'admin-portal' }),
    );
    const adminClient = created.UserPoolClient?.ClientId ?? '';
    const dir = mkdtempSync(path.join(tmpdir(), 'rules-'));
    try {
      const rulesFile = path.join(dir, 'rules.json');
      writeFileSync(
        rulesFile,
        JSON.stringify({
          BLOCKED_EMAILS: ['spam@example.com'],
          clients: { [adminClient]: { ALLOWED_EMAIL_DOMAINS: ['corp.example'] } },
        }),
      );
      await started().useSettings({ RULES_FILE: rulesFile });
      const refusal = async (client: string, username: string, email: string) =>
        ((await signUp(client, username, { email }).catch((error: unknown) => error)) as Error).message;

      expect((await signUp(publicClient, 'bob', { email: 'bob@other.example' })).UserConfirmed).toBe(true);
      expect(await refusal(publicClient, 'spam', 'spam@example.com')).toMatch(
        /^PreSignUp failed with error EMAIL_BLOCKED: /,
      );
      expect(await refusal(adminClient, 'bob2', 'bob2@other.example')).toMatch(
        /^PreSignUp failed with error EMAIL_DOMAIN_NOT_ALLOWED: /,
      );
      expect((await signUp(adminClient, 'alice', { email: 'alice@corp.example' })).UserConfirmed).toBe(true);
      // The top-level rules hold for the overridden client too.
      expect(await refusal(adminClient, 'spam2', 'spam@example.com')).toMatch(
        /^PreSignUp failed with error EMAIL_BLOCKED: /,
      );
      const lines = invocationLines(started().current()?.logs ?? []);
      expect(lines.map((line) => line.clientId)).toEqual([
        publicClient,
        publicClient,
        adminClient,
        adminClient,
        adminClient,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a DENY_MESSAGE_<CODE> override after the unchanged code', async () => {
    await started().useSettings({
      ALLOWED_EMAIL_DOMAINS: 'example.com',
      DENY_MESSAGE_EMAIL_DOMAIN_NOT_ALLOWED: 'Please sign up with your work email',
    });
    const { clientId } = await started().newPool();
    await expect(signUp(clientId, 'zoe', { email: 'zoe@gmail.example' })).rejects.toThrow(
      'PreSignUp failed with error EMAIL_DOMAIN_NOT_ALLOWED: Please sign up with your work email.',
    );
  });
});

describe('npm run sign-up against cognito-local', () => {
  it('signs a user up, with a client secret, and prints UserConfirmed and UserSub', async () => {
    await started().useSettings({});
    const { userPoolId, clientId } = await started().newPool();
    const { status, stdout } = await runTool('sign-up', [
      '--endpoint-url',
      started().cognitoEndpoint,
      '--client-id',
      clientId,
      '--client-secret',
      'a-client-secret',
      '--username',
      'uma',
      '--password',
      PASSWORD,
      '--attribute',
      'email=uma@example.com',
      '--client-metadata',
      'source=cli',
    ]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ UserConfirmed: true, UserSub: expect.any(String) });
    expect((await userOf(userPoolId, 'uma')).status).toBe('CONFIRMED');
  });

  it('prints a refusal as one line with its code and exits non-zero', async () => {
    await started().useSettings({ MIN_USERNAME_LENGTH: '5' });
    const { clientId } = await started().newPool();
    const { status, stdout, stderr } = await runTool('sign-up', [
      '--endpoint-url',
      started().cognitoEndpoint,
      '--client-id',
      clientId,
      '--username',
      'vi',
      '--password',
      PASSWORD,
    ]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').pop()).toBe(
      'sign-up: UserLambdaValidationException: PreSignUp failed with error USERNAME_TOO_SHORT: The username is too short.',
    );
  });
});
