import {
  AdminGetUserCommand,
  SignUpCommand,
  type SignUpCommandOutput,
  UserLambdaValidationException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitationCode } from '../../src/look-up/lazy/invitation-signature.js';
import { hasMotoServer, type LocalServer, startDynalite, startMotoServer } from '../../tools/local/servers.js';
import { startDenyingServer, startSilentServer } from '../helpers/aws-stand-ins.js';
import { createInvitationTable, invitationRows } from '../helpers/invitation-table.js';
import { runtimeFromEnvironment } from '../../tools/local/function-host.js';
import { LOCAL_CREDENTIALS, type Stack, startStack } from '../../tools/local/stack.js';
import { invocationLines } from '../helpers/function-logs.js';

const PASSWORD = 'Correct-horse-9';
const INVITE_SECRET = 'e2e-invite-secret-0123456789abcdef';

let stack: Stack;
let dynalite: LocalServer;
let silent: LocalServer;
let denying: LocalServer;
let dynamo: DynamoDBClient;
// moto_server, for SSM Parameter Store; on this project's machines, not from npm.
let moto: LocalServer | undefined;
// Each server's stop, registered as soon as it is up, so teardown stops it even if another failed.
const teardown: (() => Promise<void>)[] = [];
function kept<T extends { stop(): Promise<void> }>(server: T): T {
  teardown.push(() => server.stop());
  return server;
}

beforeAll(async () => {
  const started = await Promise.allSettled([
    startStack(runtimeFromEnvironment()).then((value) => (stack = kept(value))),
    startDynalite().then((value) => (dynalite = kept(value))),
    startSilentServer().then((value) => (silent = kept(value))),
    startDenyingServer().then((value) => (denying = kept(value))),
    hasMotoServer() ? startMotoServer().then((value) => (moto = kept(value))) : undefined,
  ]);
  const failure = started.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  await createInvitationTable(dynalite.endpoint, invitationRows(Math.floor(Date.now() / 1000)));
  dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  teardown.push(async () => {
    dynamo.destroy();
  });
});

afterAll(async () => {
  await Promise.all(teardown.map((stop) => stop()));
});

async function signUp(clientId: string, username: string, email: string, clientMetadata?: Record<string, string>) {
  return stack.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

async function refusalOf(attempt: Promise<SignUpCommandOutput>): Promise<string> {
  const failure = await attempt.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(UserLambdaValidationException);
  return (failure as Error).message;
}

/** The function's own log lines so far. */
function logLinesOf(current: Stack): Record<string, unknown>[] {
  return invocationLines(current.current()?.logs ?? []);
}

async function emailVerified(userPoolId: string, username: string): Promise<string | undefined> {
  const user = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
  return user.UserAttributes?.find((attribute) => attribute.Name === 'email_verified')?.Value;
}

describe('existing-account guard against cognito-local (ListUsers)', () => {
  async function poolWithAlice(env: Record<string, string>) {
    await stack.useSettings({});
    const pool = await stack.newPool();
    await signUp(pool.clientId, 'alice', 'alice@example.com');
    await stack.useSettings(env);
    return pool;
  }

  // The default (ignore), which looks nothing up, is in sign-up.e2e.test.ts's first test.
  it('no-verify: the second user is confirmed but the email stays unverified, in any letter case', async () => {
    const { userPoolId, clientId } = await poolWithAlice({ EXISTING_ACCOUNT_POLICY: 'no-verify' });
    expect((await signUp(clientId, 'alice2', 'alice@example.com')).UserConfirmed).toBe(true);
    expect(await emailVerified(userPoolId, 'alice2')).not.toBe('true');
    expect((await signUp(clientId, 'alice3', 'ALICE@Example.COM')).UserConfirmed).toBe(true);
    expect(await emailVerified(userPoolId, 'alice3')).not.toBe('true');
    expect((await signUp(clientId, 'bob', 'bob@example.com')).UserConfirmed).toBe(true);
    expect(await emailVerified(userPoolId, 'bob')).toBe('true');
  });

  it('deny: refuses the same email in any letter case, with nothing personal in the message', async () => {
    const { clientId } = await poolWithAlice({ EXISTING_ACCOUNT_POLICY: 'deny' });
    const message = 'PreSignUp failed with error ACCOUNT_EXISTS: An account already exists for these details.';
    expect(await refusalOf(signUp(clientId, 'alice2', 'alice@example.com'))).toBe(message);
    expect(await refusalOf(signUp(clientId, 'alice3', 'Alice@EXAMPLE.com'))).toBe(message);
    expect((await signUp(clientId, 'bob', 'bob@example.com')).UserConfirmed).toBe(true);
  });
  // A quote or backslash in the address is in lazy-lookups.e2e.test.ts: the filter is built in-process.
});

describe('invitation codes', () => {
  const tableSettings = () => ({
    INVITE_REQUIRED: 'true',
    INVITE_TABLE: 'invites',
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    // The alias warning (#25) is acknowledged: these tests read the invitation's own warning.
    EXISTING_ACCOUNT_POLICY: 'ignore',
  });

  // What each row proves (a wrong, expired or malformed one…) is in lazy-lookups.e2e.test.ts, in-process;
  // a missing code (INVITE_REQUIRED) in sign-up.e2e.test.ts. Here: a row's answer and warning through the zip.
  it('accepts a code from the DynamoDB table in any letter case, refuses a wrong one, and warns of a malformed row without the email', async () => {
    await stack.useSettings(tableSettings());
    const { clientId } = await stack.newPool();
    expect((await signUp(clientId, 'kim', 'Kim@Example.com', { inviteCode: 'WELCOME-2026' })).UserConfirmed).toBe(true);
    expect(await refusalOf(signUp(clientId, 'kim2', 'kim@example.com', { inviteCode: 'WELCOME-2027' }))).toBe(
      'PreSignUp failed with error INVITE_INVALID: The invitation code is not valid.',
    );
    expect(await refusalOf(signUp(clientId, 'ned', 'ned@example.com', { inviteCode: 'STRING-EXPIRY' }))).toBe(
      'PreSignUp failed with error INVITE_INVALID: The invitation code is not valid.',
    );
    const lines = logLinesOf(stack);
    expect(lines.at(-1)).toMatchObject({
      level: 'WARN',
      code: 'INVITE_INVALID',
      warnings: [expect.stringContaining('malformed "expiresAt"')],
    });
    expect(JSON.stringify(lines)).not.toContain('ned');
  });

  // Attacker's review (#29): a made-up code next to an address invited by email got a confirmed
  // account with that address verified, and spent the owner's use of a maxUses row.
  it.each(['email', 'code-or-email'])(
    'neither confirms, verifies nor spends anything for a made-up code next to an address invited by email (INVITE_MATCH=%s)',
    async (match) => {
      await stack.useSettings({ ...tableSettings(), INVITE_MATCH: match, AUTO_VERIFY_EMAIL: 'true' });
      const { clientId, userPoolId } = await stack.newPool();
      for (const [username, email] of [
        ['ivy-x', 'ivy@example.com'],
        ['uma-x', 'uma@example.com'],
      ] as const) {
        expect((await signUp(clientId, username, email, { inviteCode: 'x' })).UserConfirmed).toBe(false);
        expect(await emailVerified(userPoolId, username)).not.toBe('true');
        expect(logLinesOf(stack).at(-1)).toMatchObject({ outcome: 'unconfirmed', rule: 'INVITE_MATCH' });
      }
      // The maxUses row's one use is still there for whoever proves the address (a federated sign-in).
      const row = await dynamo.send(
        new GetItemCommand({ TableName: 'invites', Key: { email: { S: 'uma@example.com' } } }),
      );
      expect(row.Item?.usedBy).toBeUndefined();
    },
  );

  it('accepts a signed code passed through ClientMetadata, and only for its email', async () => {
    await stack.useSettings({ INVITE_REQUIRED: 'true', INVITE_SECRET });
    const { clientId } = await stack.newPool();
    const code = createInvitationCode(INVITE_SECRET, 'pat@example.com', Math.floor(Date.now() / 1000) + 3600);
    expect((await signUp(clientId, 'pat', 'PAT@example.com', { inviteCode: code })).UserConfirmed).toBe(true);
    expect(await refusalOf(signUp(clientId, 'quinn', 'quinn@example.com', { inviteCode: code }))).toContain(
      'INVITE_INVALID',
    );
  });
});

// moto_server is a real SSM emulator: it stores SecureString values and decrypts them on
// WithDecryption, answers ParameterNotFound, and checks the request's JSON protocol.
describe.skipIf(!hasMotoServer())('invitation secret from SSM (INVITE_SECRET_PARAMETER, on moto_server)', () => {
  const OTHER_SECRET = 'rotated-invite-secret-0123456789abcdef';
  const expiry = () => Math.floor(Date.now() / 1000) + 3600;
  async function putParameter(name: string, value: string) {
    const ssm = new SSMClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: moto?.endpoint ?? '' });
    await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }));
    ssm.destroy();
  }
  const settings = (parameter: string) => ({
    INVITE_REQUIRED: 'true',
    INVITE_SECRET_PARAMETER: parameter,
    AWS_ENDPOINT_URL_SSM: moto?.endpoint ?? '',
  });

  it('checks codes with the decrypted secret, read once per cold start', async () => {
    const parameter = `/e2e/${String(Date.now())}/invite-secret`;
    await putParameter(parameter, INVITE_SECRET);
    await stack.useSettings(settings(parameter));
    const { clientId } = await stack.newPool();
    const code = createInvitationCode(INVITE_SECRET, 'ria@example.com', expiry());
    expect((await signUp(clientId, 'ria', 'ria@example.com', { inviteCode: code })).UserConfirmed).toBe(true);
    expect(await refusalOf(signUp(clientId, 'sam', 'sam@example.com', { inviteCode: code }))).toContain(
      'INVITE_INVALID',
    );

    // Rotated: this container keeps the secret it read; the next cold start reads the new one.
    await putParameter(parameter, OTHER_SECRET);
    const oldCode = createInvitationCode(INVITE_SECRET, 'tao@example.com', expiry());
    expect((await signUp(clientId, 'tao', 'tao@example.com', { inviteCode: oldCode })).UserConfirmed).toBe(true);
    await stack.useSettings(settings(parameter));
    const { clientId: afterRestart } = await stack.newPool();
    expect(await refusalOf(signUp(afterRestart, 'tao', 'tao@example.com', { inviteCode: oldCode }))).toContain(
      'INVITE_INVALID',
    );
    const newCode = createInvitationCode(OTHER_SECRET, 'tao@example.com', expiry());
    expect((await signUp(afterRestart, 'tao', 'tao@example.com', { inviteCode: newCode })).UserConfirmed).toBe(true);
    expect(JSON.stringify(logLinesOf(stack))).not.toContain(OTHER_SECRET);
  });

  // A missing parameter (ParameterNotFound) and its fix are in lazy-lookups.e2e.test.ts.
  it('refuses with SERVICE_UNAVAILABLE on a secret under 32 characters, and logs ERROR naming the setting, not the value', async () => {
    const [value, error, fix] = ['too-short', 'InviteSecretParameterError', 'at least 32 characters'];
    const parameter = `/e2e/${String(Date.now())}/${error}`;
    await putParameter(parameter, value);
    await stack.useSettings(settings(parameter));
    const { clientId } = await stack.newPool();
    const code = createInvitationCode(INVITE_SECRET, 'uli@example.com', expiry());
    expect(await refusalOf(signUp(clientId, 'uli', 'uli@example.com', { inviteCode: code }))).toBe(
      'PreSignUp failed with error SERVICE_UNAVAILABLE: Please try again.',
    );
    const line = logLinesOf(stack).at(-1);
    expect(line).toMatchObject({
      level: 'ERROR',
      code: 'SERVICE_UNAVAILABLE',
      lookupFailures: [{ lookup: 'invitation', error, kind: 'permanent-failure', fix: expect.stringContaining(fix) }],
    });
    expect(JSON.stringify(line)).toContain('INVITE_SECRET_PARAMETER');
    expect(JSON.stringify(line)).not.toContain('too-short');
  });
});

// The rules document in SSM, on moto_server.
describe.skipIf(!hasMotoServer())('a rules document in SSM (RULES_PARAMETER, on moto_server)', () => {
  async function putRules(name: string, value: string) {
    const ssm = new SSMClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: moto?.endpoint ?? '' });
    await ssm.send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true, Tier: 'Advanced' }),
    );
    ssm.destroy();
  }
  const settings = (name: string, extra: Record<string, string> = {}) => ({
    RULES_PARAMETER: name,
    AWS_ENDPOINT_URL_SSM: moto?.endpoint ?? '',
    ...extra,
  });

  it('applies the document, and a changed one after RULES_REFRESH_SECONDS', async () => {
    const name = `/e2e/${String(Date.now())}/rules`;
    await putRules(name, JSON.stringify({ BLOCKED_EMAILS: ['vic@example.com'] }));
    await stack.useSettings(settings(name, { RULES_REFRESH_SECONDS: '1' }));
    const { clientId } = await stack.newPool();
    expect(await refusalOf(signUp(clientId, 'vic', 'vic@example.com'))).toContain('EMAIL_BLOCKED');
    expect((await signUp(clientId, 'wes', 'wes@example.com')).UserConfirmed).toBe(true);

    await putRules(name, JSON.stringify({ BLOCKED_EMAILS: ['xia@example.com'] }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signUp(clientId, 'vic', 'vic@example.com')).UserConfirmed).toBe(true);
    expect(await refusalOf(signUp(clientId, 'xia', 'xia@example.com'))).toContain('EMAIL_BLOCKED');
  });

  // A document that is not JSON, or over 8 KB, is in test/look-up/rules-from-parameter.test.ts.
  it('refuses with CONFIG_INVALID on a missing parameter, and the ERROR line names the parameter', async () => {
    const expected = 'a parameter the function can read (ParameterNotFound)';
    const name = `/e2e/${String(Date.now())}/bad-rules`;
    await stack.useSettings(settings(name));
    const { clientId } = await stack.newPool();
    expect(await refusalOf(signUp(clientId, 'yan', 'yan@example.com'))).toBe(
      'PreSignUp failed with error CONFIG_INVALID: Sign-up is temporarily unavailable.',
    );
    expect(logLinesOf(stack).at(-1)).toMatchObject({
      level: 'ERROR',
      code: 'CONFIG_INVALID',
      configProblems: [{ variable: 'RULES_PARAMETER', expected }],
    });
  });

  it('gives up within the time budget when SSM does not answer', async () => {
    await stack.useSettings({ ...settings('/e2e/silent'), AWS_ENDPOINT_URL_SSM: silent.endpoint });
    const { clientId } = await stack.newPool();
    const startedAt = Date.now();
    expect(await refusalOf(signUp(clientId, 'zed', 'zed@example.com'))).toContain('CONFIG_INVALID');
    expect(Date.now() - startedAt).toBeLessThan(4_500);
    expect(logLinesOf(stack).at(-1)).toMatchObject({
      configProblems: [
        { variable: 'RULES_PARAMETER', expected: 'a parameter the function can read (LookupTimeoutError)' },
      ],
    });
  });
});

describe('when AWS refuses the function (a permanent failure)', () => {
  it('refuses with SERVICE_UNAVAILABLE even with FAIL_OPEN=true, and logs ERROR with the fix', async () => {
    await stack.useSettings({
      EXISTING_ACCOUNT_POLICY: 'no-verify',
      FAIL_OPEN: 'true',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: denying.endpoint,
    });
    const { clientId } = await stack.newPool();
    expect(await refusalOf(signUp(clientId, 'uma', 'uma@example.com'))).toBe(
      'PreSignUp failed with error SERVICE_UNAVAILABLE: Please try again.',
    );
    expect(logLinesOf(stack).at(-1)).toMatchObject({
      level: 'ERROR',
      code: 'SERVICE_UNAVAILABLE',
      lookupFailures: [
        {
          lookup: 'existingAccountForEmail',
          error: 'AccessDeniedException',
          kind: 'permanent-failure',
          fix: "the function's role needs cognito-idp:ListUsers on the user pool",
        },
      ],
    });
  });
});

describe('when AWS does not answer', () => {
  it('refuses with SERVICE_UNAVAILABLE within the lookup budget when the endpoint is silent', async () => {
    await stack.useSettings({
      EXISTING_ACCOUNT_POLICY: 'deny',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: silent.endpoint,
    });
    const { clientId } = await stack.newPool();
    const startedAt = Date.now();
    expect(await refusalOf(signUp(clientId, 'rae', 'rae@example.com'))).toBe(
      'PreSignUp failed with error SERVICE_UNAVAILABLE: Please try again.',
    );
    const elapsed = Date.now() - startedAt;
    // The budget is 2.5 s; Cognito gives up at 5 s.
    expect(elapsed).toBeLessThan(4000);
  });

  // An endpoint where nothing listens (a transient failure, quickly) is in lazy-lookups.e2e.test.ts.
  it('with FAIL_OPEN=true accepts, but leaves unverified what it could not check, and warns', async () => {
    await stack.useSettings({
      EXISTING_ACCOUNT_POLICY: 'no-verify',
      FAIL_OPEN: 'true',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: silent.endpoint,
    });
    const { userPoolId, clientId } = await stack.newPool();
    expect((await signUp(clientId, 'tia', 'tia@example.com')).UserConfirmed).toBe(true);
    expect(await emailVerified(userPoolId, 'tia')).not.toBe('true');
    const warning = logLinesOf(stack).find((line) => line.level === 'WARN');
    expect(warning).toMatchObject({
      outcome: 'confirmed',
      lookupFailures: [{ lookup: 'existingAccountForEmail', error: expect.any(String) }],
    });
  });
});
