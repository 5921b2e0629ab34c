import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvitationOptions } from '../../src/look-up/lazy/invitation-table.js';
import { failureKindOf } from '../../src/look-up/lazy/lookup-failure.js';
import { type LocalServer, startDynalite } from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { runTool } from '../helpers/run-tool.js';
import { createLocalTable } from '../helpers/local-table.js';

/** Match by code, with no userName to record a use under (a hand-made event). */
const NO_USER_NAME = { match: 'code', userName: undefined } as const;

// checkInvitationRow runs in this process against dynalite (through AWS_ENDPOINT_URL_DYNAMODB):
// rows with maxUses, retries, invitations by email; and `npm run invite` writes such rows.

let dynalite: LocalServer;
let dynamo: DynamoDBClient;
let checkInvitationRow: typeof import('../../src/look-up/lazy/invitation-table.js').checkInvitationRow;
let tableNumber = 0;
const now = Math.floor(Date.now() / 1000);
const signal = () => AbortSignal.timeout(5000);

async function tableWith(rows: Record<string, AttributeValue>[]): Promise<string> {
  const name = `invites-${String(++tableNumber)}`;
  await createLocalTable(dynamo, name, 'email', rows);
  return name;
}

async function usedBy(table: string, email: string): Promise<string[] | undefined> {
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: table, Key: { email: { S: email } } }));
  return Item?.usedBy?.SS?.slice().sort();
}

beforeAll(async () => {
  dynalite = await startDynalite();
  dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynalite.endpoint);
  ({ checkInvitationRow } = await import('../../src/look-up/lazy/invitation-table.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  dynamo.destroy();
  await dynalite.stop();
});

const code = (userName: string): InvitationOptions => ({ match: 'code', userName });

describe('invitations with maxUses', () => {
  it('admits maxUses userNames, each once, and answers "used" to the next', async () => {
    const table = await tableWith([
      { email: { S: 'kim@example.com' }, code: { S: 'TEAM' }, maxUses: { N: '2' }, expiresAt: { N: String(now + 60) } },
    ]);
    const check = (userName: string) =>
      checkInvitationRow(table, 'Kim@Example.com', 'TEAM', now, signal(), code(userName));
    expect(await check('kim-1')).toEqual({ value: true });
    expect(await check('kim-2')).toEqual({ value: true });
    expect(await check('kim-3')).toEqual({ value: 'used' });
    expect(await usedBy(table, 'kim@example.com')).toEqual(['kim-1', 'kim-2']);
    // A wrong code is still just wrong, and an expired row still just expired: not "used".
    expect(await checkInvitationRow(table, 'kim@example.com', 'WRONG', now, signal(), code('kim-3'))).toEqual({
      value: false,
    });
    expect(await checkInvitationRow(table, 'kim@example.com', 'TEAM', now + 60, signal(), code('kim-1'))).toEqual({
      value: false,
    });
  });

  it('lets a retry of the same sign-up (same userName) pass without spending a use, also once all are spent', async () => {
    const table = await tableWith([{ email: { S: 'lee@example.com' }, code: { S: 'ONCE' }, maxUses: { N: '1' } }]);
    const check = (userName: string) =>
      checkInvitationRow(table, 'lee@example.com', 'ONCE', now, signal(), code(userName));
    expect(await check('lee')).toEqual({ value: true });
    expect(await check('lee')).toEqual({ value: true });
    expect(await check('intruder')).toEqual({ value: 'used' });
    expect(await check('lee')).toEqual({ value: true });
    expect(await usedBy(table, 'lee@example.com')).toEqual(['lee']);
  });

  it('admits exactly maxUses of 20 concurrent userNames, and each of theirs again on a retry', async () => {
    const table = await tableWith([{ email: { S: 'max@example.com' }, code: { S: 'RUSH' }, maxUses: { N: '3' } }]);
    const users = Array.from({ length: 20 }, (_, i) => `user-${String(i)}`);
    const check = (userName: string) =>
      checkInvitationRow(table, 'max@example.com', 'RUSH', now, signal(), code(userName));
    const answers = await Promise.all(users.map(check));
    const admitted = users.filter((_, i) => answers[i]?.value === true);
    expect(admitted).toHaveLength(3);
    expect(answers.filter(({ value }) => value === 'used')).toHaveLength(17);
    expect(await usedBy(table, 'max@example.com')).toEqual([...admitted].sort());
    const retried = await Promise.all(admitted.map(check));
    expect(retried.every(({ value }) => value === true)).toBe(true);
  });

  it('refuses a row with maxUses when the sign-up has no userName, or when maxUses is malformed', async () => {
    const table = await tableWith([
      { email: { S: 'ned@example.com' }, code: { S: 'C' }, maxUses: { N: '1' } },
      { email: { S: 'ola@example.com' }, code: { S: 'C' }, maxUses: { N: '0' } },
      { email: { S: 'pia@example.com' }, code: { S: 'C' }, maxUses: { S: '1' } },
      { email: { S: 'raf@example.com' }, code: { S: 'C' }, maxUses: { N: '1' }, usedBy: { S: 'someone' } },
    ]);
    expect(await checkInvitationRow(table, 'ned@example.com', 'C', now, signal(), code(''))).toMatchObject({
      value: false,
      warning: expect.stringContaining('no userName'),
    });
    // Without a userName (a hand-made event), such a row admits nobody either.
    expect(await checkInvitationRow(table, 'ned@example.com', 'C', now, signal(), NO_USER_NAME)).toMatchObject({
      value: false,
    });
    for (const email of ['ola@example.com', 'pia@example.com']) {
      expect(await checkInvitationRow(table, email, 'C', now, signal(), code('x'))).toMatchObject({
        value: false,
        warning: expect.stringContaining('malformed "maxUses"'),
      });
    }
    expect(await checkInvitationRow(table, 'raf@example.com', 'C', now, signal(), code('x'))).toMatchObject({
      value: false,
      warning: expect.stringContaining('"usedBy"'),
    });
  });

  it('leaves a row without maxUses as it was: reusable, and never written', async () => {
    const table = await tableWith([{ email: { S: 'sam@example.com' }, code: { S: 'MANY' } }]);
    for (const userName of ['a', 'b', 'c']) {
      expect(await checkInvitationRow(table, 'sam@example.com', 'MANY', now, signal(), code(userName))).toEqual({
        value: true,
      });
    }
    expect(await checkInvitationRow(table, 'sam@example.com', 'MANY', now, signal(), NO_USER_NAME)).toEqual({
      value: true,
    });
    expect(await usedBy(table, 'sam@example.com')).toBeUndefined();
  });
});

describe('invitations by email (INVITE_MATCH)', () => {
  const rows = (): Record<string, AttributeValue>[] => [
    { email: { S: 'kim@example.com' }, expiresAt: { N: String(now + 60) } },
    { email: { S: 'lee@example.com' }, code: { S: 'WELCOME' } },
    { email: { S: 'old@example.com' }, expiresAt: { N: String(now - 1) } },
    { email: { S: 'one@example.com' }, maxUses: { N: '1' } },
  ];

  it('admits an address with an email row and no code (a federated or managed-login sign-up) under email and code-or-email', async () => {
    const table = await tableWith(rows());
    for (const match of ['email', 'code-or-email'] as const) {
      const options = { match, userName: 'Google_1234567890' };
      expect(await checkInvitationRow(table, 'KIM@example.com', undefined, now, signal(), options)).toEqual({
        value: true,
      });
      // A code the app happens to send is not needed, and does no harm.
      expect(await checkInvitationRow(table, 'kim@example.com', 'ANYTHING', now, signal(), options)).toEqual({
        value: true,
      });
      expect(await checkInvitationRow(table, 'old@example.com', undefined, now, signal(), options)).toEqual({
        value: false,
      });
      expect(await checkInvitationRow(table, 'nobody@example.com', undefined, now, signal(), options)).toEqual({
        value: false,
      });
    }
  });

  it('matches code rows by their code under code-or-email, and not at all under email', async () => {
    const table = await tableWith(rows());
    const check = (match: InvitationOptions['match'], given: string | undefined) =>
      checkInvitationRow(table, 'lee@example.com', given, now, signal(), { match, userName: 'lee' });
    expect(await check('code-or-email', 'WELCOME')).toEqual({ value: true });
    expect(await check('code-or-email', undefined)).toEqual({ value: false });
    expect(await check('code-or-email', 'WRONG')).toEqual({ value: false });
    expect(await check('email', 'WELCOME')).toMatchObject({
      value: false,
      warning: expect.stringContaining('a "code"'),
    });
  });

  it('does not admit an email row under match code, the default, and says why', async () => {
    const table = await tableWith(rows());
    for (const answer of [
      await checkInvitationRow(table, 'kim@example.com', 'X', now, signal(), NO_USER_NAME),
      await checkInvitationRow(table, 'kim@example.com', undefined, now, signal(), code('kim')),
    ]) {
      expect(answer).toMatchObject({ value: false, warning: expect.stringContaining('INVITE_MATCH=email') });
    }
  });

  it('spends an email row with maxUses once, per userName', async () => {
    const table = await tableWith(rows());
    const check = (userName: string) =>
      checkInvitationRow(table, 'one@example.com', undefined, now, signal(), { match: 'email', userName });
    expect(await check('Google_1')).toEqual({ value: true });
    expect(await check('Google_1')).toEqual({ value: true });
    expect(await check('Facebook_2')).toEqual({ value: 'used' });
  });

  it('rejects with a permanent failure when the table does not exist', async () => {
    const error = await checkInvitationRow('no-such-table', 'kim@example.com', 'X', now, signal(), code('k')).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(failureKindOf(error)).toBe('permanent-failure');
  });
});

describe('npm run invite -- --table', () => {
  const env = () => ({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
  });

  it('writes a code row with expiry and maxUses, printing the code alone, and the function honours it', async () => {
    const table = await tableWith([]);
    const { status, stdout, stderr } = await runTool(
      'invite',
      ['--table', table, '--email', 'Kim@Example.com', '--code', 'TEAM-2026', '--days', '2', '--max-uses', '1'],
      { env: env() },
    );
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'TEAM-2026\n' });
    expect(stderr).toContain('an invitation for kim@example.com with a code');
    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { email: { S: 'kim@example.com' } } }),
    );
    expect(Item?.code).toEqual({ S: 'TEAM-2026' });
    expect(Item?.maxUses).toEqual({ N: '1' });
    expect(Number(Item?.expiresAt?.N) - Math.floor(Date.now() / 1000)).toBeGreaterThan(2 * 86_400 - 60);
    const check = (userName: string) =>
      checkInvitationRow(
        table,
        'kim@example.com',
        'TEAM-2026',
        Math.floor(Date.now() / 1000),
        signal(),
        code(userName),
      );
    expect(await check('kim')).toEqual({ value: true });
    expect(await check('other')).toEqual({ value: 'used' });
  });

  it('writes an email row without a code and with no expiry, printing nothing on stdout', async () => {
    const table = await tableWith([]);
    const { status, stdout, stderr } = await runTool(
      'invite',
      ['--table', table, '--email', 'lee@example.com', '--no-expiry'],
      { env: env() },
    );
    expect({ status, stdout }).toEqual({ status: 0, stdout: '' });
    expect(stderr).toContain('by email');
    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { email: { S: 'lee@example.com' } } }),
    );
    expect(Item).toEqual({ email: { S: 'lee@example.com' } });
    expect(
      await checkInvitationRow(table, 'lee@example.com', undefined, now, signal(), { match: 'email', userName: 'lee' }),
    ).toEqual({ value: true });
  });

  it.each([
    [['--email', 'a@example.com', '--max-uses', '1'], '--max-uses is for table rows'],
    [
      ['--table', 't', '--email', 'a@example.com', '--max-uses', '0'],
      '--max-uses must be a whole number from 1 to 1000',
    ],
    [['--table', 't', '--email', 'a@example.com', '--code', 'a b'], '--code must be 1 to 256 letters, digits'],
    [['--table', 't', '--email', 'a@example.com', '--days', '3', '--no-expiry'], 'contradict'],
  ])('refuses %j with usage exit 2', async (args, message) => {
    const { status, stderr } = await runTool('invite', args, { env: env() });
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });
});
