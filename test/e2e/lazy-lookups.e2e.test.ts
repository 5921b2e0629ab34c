import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FactName } from '../../src/model/facts.js';
import type { FactGatherer } from '../../src/look-up/lazy/gather-facts.js';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createInvitationCode } from '../../src/look-up/lazy/invitation-signature.js';
import {
  freePort,
  hasMotoServer,
  type LocalServer,
  startCognitoLocal,
  startDynalite,
  startMotoServer,
} from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { startDenyingServer, startSilentServer } from '../helpers/aws-stand-ins.js';
import { configOf, inputOf, readInput } from '../helpers/fixtures.js';
import { type LinkProxy, startLinkProxy } from '../helpers/link-proxy.js';
import { createInvitationTable, invitationRows } from '../helpers/invitation-table.js';

// The lazy lookups run in this process, against the real emulators (cognito-local for ListUsers,
// dynalite for GetItem), so that what they do is measured by coverage, not only by the zip's
// end-to-end suites. Each endpoint is given to the SDK the standard way, through
// AWS_ENDPOINT_URL_*, before the lookup module creates its client.

const teardown: (() => Promise<void>)[] = [];
let cognitoLocal: LocalServer;
let dynalite: LocalServer;
// In front of cognito-local, answering the AdminLinkProviderForUser that no emulator implements.
let linkProxy: LinkProxy;
// moto_server, for SSM Parameter Store; on this project's machines, not from npm.
let moto: LocalServer | undefined;
const INVITE_SECRET = 'lazy-invite-secret-0123456789abcdef';
let userPoolId: string;
let gatherFacts: FactGatherer;
const now = Math.floor(Date.now() / 1000);

function kept<T extends LocalServer>(server: T): T {
  teardown.push(() => server.stop());
  return server;
}

beforeAll(async () => {
  // cognito-local calls no trigger here: users are made with AdminCreateUser, which it does not pass to one.
  const deadLambda = `http://127.0.0.1:${String(await freePort())}`;
  [cognitoLocal, dynalite] = await Promise.all([startCognitoLocal(deadLambda).then(kept), startDynalite().then(kept)]);
  const local = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const cognito = new CognitoIdentityProviderClient({ ...local, endpoint: cognitoLocal.endpoint });
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'lookups' }));
  userPoolId = pool.UserPool?.Id ?? '';
  // erin has a verified email and, below, a permanent password: the one native user a link may join.
  // alice's email and phone are verified, but she never set a password (not confirmed); uma's
  // email is not verified, so she holds nothing.
  for (const [username, attributes] of [
    [
      'alice',
      {
        email: 'alice@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'true',
      },
    ],
    ['uma', { email: 'uma@example.com' }],
    ['quote', { email: 'o"ne@example.com', phone_number: '+15555550100' }],
    ['erin', { email: 'erin@example.com', email_verified: 'true' }],
  ] as const) {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        MessageAction: 'SUPPRESS',
      }),
    );
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: 'erin',
      Password: 'Correct-horse-9',
      Permanent: true,
    }),
  );
  cognito.destroy();
  linkProxy = kept(await startLinkProxy(cognitoLocal.endpoint));

  await createInvitationTable(dynalite.endpoint, invitationRows(now));
  if (hasMotoServer()) {
    moto = kept(await startMotoServer());
    const ssm = new SSMClient({ ...local, endpoint: moto.endpoint });
    for (const [name, value] of [
      ['/lazy/invite-secret', INVITE_SECRET],
      ['/lazy/short', 'short'],
      ['/lazy/rules', '{"BLOCKED_EMAIL_DOMAINS":["spam.example"]}'],
    ] as const) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString' }));
    }
    ssm.destroy();
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', moto.endpoint);
  }

  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', cognitoLocal.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynalite.endpoint);
  ({ gatherFacts } = await import('../../src/look-up/lazy/gather-facts.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all(teardown.map((stop) => stop()));
});

async function factOf(name: FactName, env: Record<string, string>, email: string, extra: { inviteCode?: string } = {}) {
  const input = { ...inputOf({ email, phone: '+15555550100', ...extra }), userPoolId };
  return gatherFacts([name], input, configOf(env), 2000);
}

describe('the existing-account lookup (ListUsers on cognito-local)', () => {
  const deny = { EXISTING_ACCOUNT_POLICY: 'deny' };

  it('finds a held email in the spelling given or with A-Z lowercased, and not a free one', async () => {
    expect((await factOf('existingAccountForEmail', deny, 'alice@example.com')).facts).toEqual({
      existingAccountForEmail: true,
    });
    expect((await factOf('existingAccountForEmail', deny, 'ALICE@Example.com')).facts).toEqual({
      existingAccountForEmail: true,
    });
    expect((await factOf('existingAccountForEmail', deny, 'bob@example.com')).facts).toEqual({
      existingAccountForEmail: false,
    });
    // An address nobody verified is held by nobody.
    expect((await factOf('existingAccountForEmail', deny, 'uma@example.com')).facts).toEqual({
      existingAccountForEmail: false,
    });
  });

  it('finds a held phone number', async () => {
    expect((await factOf('existingAccountForPhone', deny, 'bob@example.com')).facts).toEqual({
      existingAccountForPhone: true,
    });
  });

  it('builds a filter that parses even with a quote or a backslash in the email', async () => {
    // cognito-local compares the raw text between the quotes and does not unescape it, so the escaped
    // value does not match here; what is proven is that neither can break the filter.
    expect(await factOf('existingAccountForEmail', deny, 'o"ne@example.com')).toMatchObject({ failures: [] });
    expect(await factOf('existingAccountForEmail', deny, 'o"ne\\il@example.com')).toMatchObject({
      facts: { existingAccountForEmail: false },
      failures: [],
    });
  });

  it('reports a pool that does not exist as a permanent failure, with the fix', async () => {
    const input = { ...inputOf({ email: 'alice@example.com' }), userPoolId: 'us-east-1_nonexistent' };
    const gathered = await gatherFacts(['existingAccountForEmail'], input, configOf(deny), 2000);
    expect(gathered.facts).toEqual({ existingAccountForEmail: 'permanent-failure' });
    expect(gathered.failures[0]).toMatchObject({ kind: 'permanent-failure', fix: expect.stringContaining('pool') });
  });

  it('reads only UserNotFoundException from AdminGetUser as "free": a pool that does not exist fails, with the fix', async () => {
    // With email a sign-in alias the lookup is AdminGetUser, whose "no such user" answers false; any
    // other error must not count the address as free.
    const input = { ...inputOf({ email: 'alice@example.com' }), userPoolId: 'us-east-1_nonexistent' };
    const aliases = configOf({ ...deny, SIGN_IN_ALIASES: 'email' });
    expect(aliases.signInAliases.email).toBe(true);
    const gathered = await gatherFacts(['existingAccountForEmail'], input, aliases, 2000);
    expect(gathered.facts).toEqual({ existingAccountForEmail: 'permanent-failure' });
    expect(gathered.failures[0]).toMatchObject({
      kind: 'permanent-failure',
      error: 'ResourceNotFoundException',
      fix: expect.stringContaining('pool'),
    });
    // The same pool's unknown user is no failure: AdminGetUser's UserNotFoundException means free.
    const free = { ...inputOf({ email: 'nobody@example.com' }), userPoolId };
    expect(await gatherFacts(['existingAccountForEmail'], free, aliases, 2000)).toMatchObject({
      facts: { existingAccountForEmail: false },
      failures: [],
    });
  });
});

describe.skipIf(!hasMotoServer())('the invitation secret from SSM (GetParameter on moto_server)', () => {
  const fromParameter = (parameter: string) => ({ INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: parameter });

  it('checks a code against the decrypted secret, for its email only', async () => {
    const code = createInvitationCode(INVITE_SECRET, 'kim@example.com', now + 3600);
    const valid = await factOf('invitation', fromParameter('/lazy/invite-secret'), 'kim@example.com', {
      inviteCode: code,
    });
    expect(valid).toEqual({ facts: { invitation: { proven: 'code', spendsUse: false } }, failures: [], warnings: [] });
    const other = await factOf('invitation', fromParameter('/lazy/invite-secret'), 'lee@example.com', {
      inviteCode: code,
    });
    expect(other.facts).toEqual({ invitation: 'none' });
  });

  it.each([
    ['/lazy/missing', 'ParameterNotFound', 'does not exist'],
    ['/lazy/short', 'InviteSecretParameterError', 'at least 32 characters'],
  ])('reports %s as a permanent %s, with the fix', async (parameter, error, fix) => {
    const gathered = await factOf('invitation', fromParameter(parameter), 'kim@example.com', {
      inviteCode: 'abc-0123456789abcdef0123',
    });
    expect(gathered.facts).toEqual({ invitation: 'permanent-failure' });
    expect(gathered.failures).toEqual([
      { lookup: 'invitation', error, kind: 'permanent-failure', fix: expect.stringContaining(fix) },
    ]);
  });
});

describe.skipIf(!hasMotoServer())('the rules document from SSM (RULES_PARAMETER, GetParameter on moto_server)', () => {
  it("reads the parameter's text, and rejects with the AWS error for a missing one", async () => {
    const { readParameterText } = await import('../../src/look-up/lazy/ssm.js');
    expect(await readParameterText('/lazy/rules', 5_000)).toBe('{"BLOCKED_EMAIL_DOMAINS":["spam.example"]}');
    await expect(readParameterText('/lazy/no-such-rules', 5_000)).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('rejects with a LookupTimeoutError when its budget ends first', async () => {
    const { readParameterText } = await import('../../src/look-up/lazy/ssm.js');
    await expect(readParameterText('/lazy/rules', 0.001)).rejects.toMatchObject({ name: 'LookupTimeoutError' });
  });
});

const CODE = { proven: 'code', spendsUse: false } as const;

describe('the invitation table (GetItem on dynalite)', () => {
  const table = { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' };

  it.each([
    ['a valid code, the email in any letter case', 'KIM@example.com', 'WELCOME-2026', CODE],
    ['a row without expiry', 'max@example.com', 'NO_EXPIRY', CODE],
    ['a wrong code', 'kim@example.com', 'WELCOME-2027', 'none'],
    ['an expired row', 'lee@example.com', 'OLD-CODE', 'none'],
    ['no row', 'nia@example.com', 'WELCOME-2026', 'none'],
    ['a Kelvin sign for k', '\u212Aim@example.com', 'WELCOME-2026', 'none'],
  ])('answers %s', async (_, email, code, valid) => {
    const gathered = await factOf('invitation', table, email, { inviteCode: code });
    expect(gathered).toEqual({ facts: { invitation: valid }, failures: [], warnings: [] });
  });

  it.each([
    ['a string expiresAt', 'ned@example.com', 'STRING-EXPIRY', 'malformed "expiresAt"'],
    ['an expiresAt in milliseconds', 'ola@example.com', 'MILLISECONDS', 'malformed "expiresAt"'],
    ['a fractional expiresAt', 'raf@example.com', 'FRACTION', 'malformed "expiresAt"'],
    ['a numeric code', 'pia@example.com', '12345', 'no string (S) attribute "code"'],
  ])('refuses a row with %s, and warns without the email', async (_, email, code, warning) => {
    const gathered = await factOf('invitation', table, email, { inviteCode: code });
    expect(gathered.facts).toEqual({ invitation: 'none' });
    expect(gathered.warnings).toEqual([expect.stringContaining(warning)]);
    expect(gathered.warnings.join()).not.toContain(email.split('@')[0]);
  });

  it('reports a missing table as a permanent failure naming INVITE_TABLE', async () => {
    const gathered = await factOf(
      'invitation',
      { INVITE_REQUIRED: 'true', INVITE_TABLE: 'missing' },
      'kim@example.com',
      {
        inviteCode: 'WELCOME-2026',
      },
    );
    expect(gathered.failures).toEqual([
      {
        lookup: 'invitation',
        error: 'ResourceNotFoundException',
        kind: 'permanent-failure',
        fix: "the table named by INVITE_TABLE does not exist in the function's region",
      },
    ]);
  });
});

/** The invitation lookup against another DynamoDB endpoint, from a fresh module (its client is made once). */
async function inviteLookupAt(endpoint: string, budgetMs: number) {
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.resetModules();
  const fresh = await import('../../src/look-up/lazy/gather-facts.js');
  const input = readInput({
    request: { userAttributes: { email: 'kim@example.com' }, clientMetadata: { inviteCode: 'X' } },
  });
  return fresh.gatherFacts(
    ['invitation'],
    input,
    configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' }),
    budgetMs,
  );
}

describe('the federated link (ListUsers on cognito-local, AdminLinkProviderForUser on the proxy)', () => {
  const linking = (env: Record<string, string> = {}) =>
    configOf({ LINK_FEDERATED_USERS: 'Google', AUTO_VERIFY_EMAIL: 'false', ...env });
  const federatedInput = (userName: string, email: string) => ({
    ...inputOf({ source: 'PreSignUp_ExternalProvider', userName, email, emailVerified: 'true' }),
    userPoolId,
  });
  async function linkFact(userName: string, email: string, env: Record<string, string> = {}) {
    vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', linkProxy.endpoint);
    try {
      return await gatherFacts(['federatedLink'], federatedInput(userName, email), linking(env), 2000);
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', cognitoLocal.endpoint);
    }
  }

  it('links the confirmed user with the verified email, in the email’s other letter case too', async () => {
    linkProxy.linkRequests.length = 0;
    expect((await linkFact('google_42', 'Erin@example.com')).facts).toEqual({ federatedLink: 'linked' });
    expect(linkProxy.linkRequests).toEqual([
      {
        UserPoolId: userPoolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'erin' },
        SourceUser: { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: '42' },
      },
    ]);
  });

  it('answers would-link under DRY_RUN, and unconfirmed or no-match without linking', async () => {
    linkProxy.linkRequests.length = 0;
    expect((await linkFact('Google_42', 'erin@example.com', { DRY_RUN: 'true' })).facts).toEqual({
      federatedLink: 'would-link',
    });
    // alice was made by an administrator and never set a password: not confirmed.
    expect((await linkFact('Google_43', 'alice@example.com')).facts).toEqual({ federatedLink: 'unconfirmed' });
    expect((await linkFact('Google_44', 'nobody@example.com')).facts).toEqual({ federatedLink: 'no-match' });
    expect(linkProxy.linkRequests).toEqual([]);
  });

  it('names the fix for a failed link, and needs a user pool', async () => {
    linkProxy.answerLinkWith('limit-exceeded');
    try {
      const gathered = await linkFact('Google_45', 'erin@example.com');
      expect(gathered.failures).toEqual([
        {
          lookup: 'federatedLink',
          error: 'LimitExceededException',
          kind: 'permanent-failure',
          fix: expect.stringContaining('AdminDisableProviderForUser'),
        },
      ]);
    } finally {
      linkProxy.answerLinkWith('ok');
    }
    const withoutPool = { ...federatedInput('Google_46', 'erin@example.com'), userPoolId: undefined };
    const gathered = await gatherFacts(['federatedLink'], withoutPool, linking(), 2000);
    expect(gathered.failures[0]).toMatchObject({
      error: 'NoUserPoolIdError',
      fix: expect.stringContaining('LINK_FEDERATED_USERS'),
    });
    // Asked about a sign-up the setting does not apply to (the rule never does), it links nothing.
    const selfSignUp = { ...inputOf({ email: 'erin@example.com' }), userPoolId };
    expect((await gatherFacts(['federatedLink'], selfSignUp, linking(), 2000)).facts).toEqual({
      federatedLink: 'no-match',
    });
  });
});

describe('gatherFacts without an answer', () => {
  it('cuts a lookup off at the budget as a transient failure', async () => {
    const silent = kept(await startSilentServer());
    const started = Date.now();
    const gathered = await inviteLookupAt(silent.endpoint, 300);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(gathered.failures).toEqual([
      { lookup: 'invitation', error: 'LookupTimeoutError', kind: 'transient-failure', fix: undefined },
    ]);
  });

  it('fails quickly, as a transient failure, when nothing listens at the endpoint', async () => {
    const closed = `http://127.0.0.1:${String(await freePort())}`;
    const started = Date.now();
    const gathered = await inviteLookupAt(closed, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(gathered.failures).toEqual([
      { lookup: 'invitation', error: 'Error', kind: 'transient-failure', fix: undefined },
    ]);
  });

  it('reads AccessDeniedException as permanent, with the permission the role needs', async () => {
    const denying = kept(await startDenyingServer());
    const gathered = await inviteLookupAt(denying.endpoint, 2000);
    expect(gathered.failures).toEqual([
      {
        lookup: 'invitation',
        error: 'AccessDeniedException',
        kind: 'permanent-failure',
        fix: "the function's role needs dynamodb:GetItem and dynamodb:UpdateItem on the table named by INVITE_TABLE",
      },
    ]);
  });
});
