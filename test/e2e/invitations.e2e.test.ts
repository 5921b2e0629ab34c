import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvitationOptions } from '../../src/look-up/lazy/invitation-table.js';
import { type LocalServer, startDynalite } from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { runTool } from '../helpers/run-tool.js';
import { createLocalTable } from '../helpers/local-table.js';

/** Match by code, with no userName to record a use under (a hand-made event). */
const NO_USER_NAME = { match: 'code', signUp: undefined } as const;

// checkInvitationRow runs in this process against dynalite (through AWS_ENDPOINT_URL_DYNAMODB):
// rows with maxUses, retries, invitations by email; and `npm run invite` writes such rows.

let dynalite: LocalServer;
let dynamo: DynamoDBClient;
type InvitationTable = typeof import('../../src/look-up/lazy/invitation-table.js');
let checkInvitationRow: InvitationTable['checkInvitationRow'];
let spendInvitationUse: InvitationTable['spendInvitationUse'];
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
  ({ checkInvitationRow, spendInvitationUse } = await import('../../src/look-up/lazy/invitation-table.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  dynamo.destroy();
  await dynalite.stop();
});

const code = (signUp: string): InvitationOptions => ({ match: 'code', signUp });

/**
 * A sign-up's two steps, as the rules take them: what the row proves (checkInvitation, which spends
 * nothing), then its use spent when one is due (checkInvitationUse, once every rule has passed).
 */
async function admit(
  table: string,
  email: string,
  given: string | undefined,
  at: number,
  options: InvitationOptions,
): Promise<{ readonly value: 'code' | 'address' | 'none' | 'used'; readonly warning?: string | undefined }> {
  const checked = await checkInvitationRow(table, email, given, at, signal(), options);
  const proof = checked.value;
  if (typeof proof !== 'object') return { ...checked, value: proof };
  if (!proof.spendsUse) return { value: proof.proven };
  const spent = await spendInvitationUse(table, email, given, at, signal(), options);
  return spent.value === 'spent' ? { value: proof.proven } : { ...spent, value: spent.value };
}

describe('invitations with maxUses', () => {
  it('admits maxUses userNames, each once, and answers "used" to the next', async () => {
    const table = await tableWith([
      { email: { S: 'kim@example.com' }, code: { S: 'TEAM' }, maxUses: { N: '2' }, expiresAt: { N: String(now + 60) } },
    ]);
    const check = (userName: string) => admit(table, 'Kim@Example.com', 'TEAM', now, code(userName));
    expect(await check('kim-1')).toEqual({ value: 'code' });
    expect(await check('kim-2')).toEqual({ value: 'code' });
    expect(await check('kim-3')).toEqual({ value: 'used' });
    expect(await usedBy(table, 'kim@example.com')).toEqual(['kim-1', 'kim-2']);
    // A wrong code is still just wrong, and an expired row still just expired: not "used".
    expect(await admit(table, 'kim@example.com', 'WRONG', now, code('kim-3'))).toEqual({
      value: 'none',
    });
    expect(await admit(table, 'kim@example.com', 'TEAM', now + 60, code('kim-1'))).toEqual({
      value: 'none',
    });
  });

  it('lets a retry of the same sign-up (same userName) pass without spending a use, also once all are spent', async () => {
    const table = await tableWith([{ email: { S: 'lee@example.com' }, code: { S: 'ONCE' }, maxUses: { N: '1' } }]);
    const check = (userName: string) => admit(table, 'lee@example.com', 'ONCE', now, code(userName));
    expect(await check('lee')).toEqual({ value: 'code' });
    expect(await check('lee')).toEqual({ value: 'code' });
    expect(await check('intruder')).toEqual({ value: 'used' });
    expect(await check('lee')).toEqual({ value: 'code' });
    expect(await usedBy(table, 'lee@example.com')).toEqual(['lee']);
  });

  it('reads without spending: checking a row with maxUses writes nothing, and says a use is due', async () => {
    const table = await tableWith([{ email: { S: 'ivy@example.com' }, code: { S: 'ONE' }, maxUses: { N: '1' } }]);
    for (const signUp of ['pool/ivy', 'pool/other']) {
      expect(await checkInvitationRow(table, 'ivy@example.com', 'ONE', now, signal(), code(signUp))).toEqual({
        value: { proven: 'code', spendsUse: true },
      });
    }
    expect(await usedBy(table, 'ivy@example.com')).toBeUndefined();
    expect(await spendInvitationUse(table, 'ivy@example.com', 'ONE', now, signal(), code('pool/ivy'))).toEqual({
      value: 'spent',
    });
    expect(await checkInvitationRow(table, 'ivy@example.com', 'ONE', now, signal(), code('pool/ivy'))).toEqual({
      value: { proven: 'code', spendsUse: false },
    });
    expect(await spendInvitationUse(table, 'ivy@example.com', 'ONE', now, signal(), code('pool/other'))).toEqual({
      value: 'used',
    });
  });

  it('takes the same userName in another pool for another sign-up, not for a retry', async () => {
    const table = await tableWith([{ email: { S: 'uma@example.com' }, code: { S: 'ONE' }, maxUses: { N: '1' } }]);
    expect(await admit(table, 'uma@example.com', 'ONE', now, code('eu-west-1_A/uma'))).toEqual({ value: 'code' });
    expect(await admit(table, 'uma@example.com', 'ONE', now, code('eu-west-1_B/uma'))).toEqual({ value: 'used' });
    expect(await admit(table, 'uma@example.com', 'ONE', now, code('eu-west-1_A/uma'))).toEqual({ value: 'code' });
  });

  it('admits exactly maxUses of 20 concurrent userNames, and each of theirs again on a retry', async () => {
    const table = await tableWith([{ email: { S: 'max@example.com' }, code: { S: 'RUSH' }, maxUses: { N: '3' } }]);
    const users = Array.from({ length: 20 }, (_, i) => `user-${String(i)}`);
    const check = (userName: string) => admit(table, 'max@example.com', 'RUSH', now, code(userName));
    const answers = await Promise.all(users.map(check));
    const admitted = users.filter((_, i) => answers[i]?.value === 'code');
    expect(admitted).toHaveLength(3);
    expect(answers.filter(({ value }) => value === 'used')).toHaveLength(17);
    expect(await usedBy(table, 'max@example.com')).toEqual([...admitted].sort());
    const retried = await Promise.all(admitted.map(check));
    expect(retried.every(({ value }) => value === 'code')).toBe(true);
  });

  it('refuses a row with maxUses when the sign-up has no userName, or when maxUses is malformed', async () => {
    const table = await tableWith([
      { email: { S: 'ned@example.com' }, code: { S: 'C' }, maxUses: { N: '1' } },
      { email: { S: 'ola@example.com' }, code: { S: 'C' }, maxUses: { N: '0' } },
      { email: { S: 'pia@example.com' }, code: { S: 'C' }, maxUses: { S: '1' } },
      { email: { S: 'raf@example.com' }, code: { S: 'C' }, maxUses: { N: '1' }, usedBy: { S: 'someone' } },
    ]);
    expect(await admit(table, 'ned@example.com', 'C', now, code(''))).toMatchObject({
      value: 'none',
      warning: expect.stringContaining('no userName'),
    });
    // Without a userName (a hand-made event), such a row admits nobody either.
    expect(await admit(table, 'ned@example.com', 'C', now, NO_USER_NAME)).toMatchObject({
      value: 'none',
    });
    for (const email of ['ola@example.com', 'pia@example.com']) {
      expect(await admit(table, email, 'C', now, code('x'))).toMatchObject({
        value: 'none',
        warning: expect.stringContaining('malformed "maxUses"'),
      });
    }
    expect(await admit(table, 'raf@example.com', 'C', now, code('x'))).toMatchObject({
      value: 'none',
      warning: expect.stringContaining('"usedBy"'),
    });
  });

  it('leaves a row without maxUses as it was: reusable, and never written', async () => {
    const table = await tableWith([{ email: { S: 'sam@example.com' }, code: { S: 'MANY' } }]);
    for (const userName of ['a', 'b', 'c']) {
      expect(await admit(table, 'sam@example.com', 'MANY', now, code(userName))).toEqual({
        value: 'code',
      });
    }
    expect(await admit(table, 'sam@example.com', 'MANY', now, NO_USER_NAME)).toEqual({
      value: 'code',
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
      const options = { match, signUp: 'us-east-1_pool/Google_1234567890' };
      expect(await admit(table, 'KIM@example.com', undefined, now, options)).toEqual({
        value: 'address',
      });
      // A code the app happens to send is not needed, and does no harm.
      expect(await admit(table, 'kim@example.com', 'ANYTHING', now, options)).toEqual({
        value: 'address',
      });
      expect(await admit(table, 'old@example.com', undefined, now, options)).toEqual({
        value: 'none',
      });
      expect(await admit(table, 'nobody@example.com', undefined, now, options)).toEqual({
        value: 'none',
      });
    }
  });

  it('matches code rows by their code under code-or-email, and not at all under email', async () => {
    const table = await tableWith(rows());
    const check = (match: InvitationOptions['match'], given: string | undefined) =>
      admit(table, 'lee@example.com', given, now, { match, signUp: 'lee' });
    expect(await check('code-or-email', 'WELCOME')).toEqual({ value: 'code' });
    expect(await check('code-or-email', undefined)).toEqual({ value: 'none' });
    expect(await check('code-or-email', 'WRONG')).toEqual({ value: 'none' });
    expect(await check('email', 'WELCOME')).toMatchObject({
      value: 'none',
      warning: expect.stringContaining('a "code"'),
    });
  });

  it('does not admit an email row under match code, the default, and says why', async () => {
    const table = await tableWith(rows());
    for (const answer of [
      await admit(table, 'kim@example.com', 'X', now, NO_USER_NAME),
      await admit(table, 'kim@example.com', undefined, now, code('kim')),
    ]) {
      expect(answer).toMatchObject({ value: 'none', warning: expect.stringContaining('INVITE_MATCH=email') });
    }
  });

  it('spends an email row with maxUses once, per userName', async () => {
    const table = await tableWith(rows());
    const check = (userName: string) =>
      admit(table, 'one@example.com', undefined, now, { match: 'email', signUp: userName });
    expect(await check('Google_1')).toEqual({ value: 'address' });
    expect(await check('Google_1')).toEqual({ value: 'address' });
    expect(await check('Facebook_2')).toEqual({ value: 'used' });
  });

  // A table that does not exist (ResourceNotFoundException, permanent, with its fix) is in lazy-lookups.e2e.test.ts.
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
      admit(table, 'kim@example.com', 'TEAM-2026', Math.floor(Date.now() / 1000), code(userName));
    expect(await check('kim')).toEqual({ value: 'code' });
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
    expect(await admit(table, 'lee@example.com', undefined, now, { match: 'email', signUp: 'lee' })).toEqual({
      value: 'address',
    });
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
