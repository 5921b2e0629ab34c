import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalServer, startDynalite } from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { capturedLogOfEachTest } from '../helpers/capture-log.js';
import { createLocalTable } from '../helpers/local-table.js';
import { invokeSource } from '../helpers/invoke-source.js';
import { runTool } from '../helpers/run-tool.js';

// The waitlist as the function runs it, in this process (the handler from the sources, its real
// lookups) against dynalite: one row per address, retries, ten sign-ups at once, dry runs, what is
// refused for another reason, a table that fails; and `npm run invite -- --from-waitlist`.

let dynalite: LocalServer;
let dynamo: DynamoDBClient;
let tableNumber = 0;
const INVITES = 'waitlist-invites';
const log = capturedLogOfEachTest();

beforeAll(async () => {
  dynalite = await startDynalite();
  dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynalite.endpoint);
  await createLocalTable(dynamo, INVITES, 'email', [{ email: { S: 'invited@example.com' } }]);
}, 30_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  dynamo.destroy();
  await dynalite.stop();
});

async function newWaitlist(rows: Record<string, AttributeValue>[] = []): Promise<string> {
  const name = `waitlist-${String(++tableNumber)}`;
  await createLocalTable(dynamo, name, 'pk', rows);
  return name;
}

async function rowsOf(table: string): Promise<Record<string, AttributeValue>[]> {
  const { Items } = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return Items ?? [];
}

const settings = (table: string, more: Record<string, string> = {}) => ({
  INVITE_REQUIRED: 'true',
  INVITE_TABLE: INVITES,
  INVITE_MATCH: 'code-or-email',
  WAITLIST_TABLE: table,
  ...more,
});

const signUp = (email: string, userName: string, more: { inviteCode?: string; clientId?: string } = {}) => ({
  triggerSource: 'PreSignUp_SignUp',
  userPoolId: 'us-east-1_waitlist',
  userName,
  callerContext: { clientId: more.clientId ?? 'web-client' },
  request: {
    userAttributes: { email },
    validationData: more.inviteCode === undefined ? {} : { inviteCode: more.inviteCode },
  },
  response: {},
});

const WAITLISTED = "WAITLISTED: You're on the list: we will email you when a place opens";

describe('a sign-up no invitation admits', () => {
  it('is recorded once, as the block lists read the address, and refused with WAITLISTED; the log names no address', async () => {
    const table = await newWaitlist();
    const before = Math.floor(Date.now() / 1000);
    const { error } = await invokeSource(signUp('Kim.Lee+beta@GoogleMail.com', 'user-1'), settings(table));
    expect(error?.message).toBe(WAITLISTED);
    const rows = await rowsOf(table);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.pk).toEqual({ S: 'kimlee@gmail.com' });
    // What an invitation row for this person is keyed by: the address as typed, A-Z lowercased.
    expect(row?.email).toEqual({ S: 'kim.lee+beta@googlemail.com' });
    expect(row?.clientId).toEqual({ S: 'web-client' });
    expect(row?.signUps).toEqual({ N: '1' });
    const firstAt = Number(row?.firstAt?.N);
    expect(firstAt).toBeGreaterThanOrEqual(before);
    expect(row?.lastAt).toEqual(row?.firstAt);
    expect(Number(row?.expiresAt?.N)).toBe(firstAt + 90 * 86_400);
    const lines = log();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ outcome: 'refused', code: 'WAITLISTED', rule: 'WAITLIST_TABLE' });
    const raw = JSON.stringify(lines[0]).toLowerCase();
    for (const part of ['kim.lee', 'kimlee', 'kim', 'user-1']) expect(raw).not.toContain(part);
  });

  it('keeps one row for every variant of an address, answering each the same, and keeps its firstAt', async () => {
    const table = await newWaitlist([
      { pk: { S: 'kimlee@gmail.com' }, email: { S: 'kimlee@gmail.com' }, firstAt: { N: '1000' }, signUps: { N: '4' } },
    ]);
    const answers = [];
    for (const [index, email] of ['kimlee@gmail.com', 'KIM.LEE@gmail.com', 'kim.lee+x@googlemail.com'].entries()) {
      answers.push((await invokeSource(signUp(email, `variant-${String(index)}`), settings(table))).error?.message);
    }
    // Listed before or not (the first sign-up of a fresh address above), the same answer.
    expect(answers).toEqual([WAITLISTED, WAITLISTED, WAITLISTED]);
    const rows = await rowsOf(table);
    expect(rows).toHaveLength(1);
    // The first address typed stays the one an invitation names (F6): a variant never changes it.
    expect(rows[0]).toMatchObject({
      firstAt: { N: '1000' },
      signUps: { N: '7' },
      email: { S: 'kimlee@gmail.com' },
    });
    expect(Number(rows[0]?.lastAt?.N)).toBeGreaterThan(1000);
  });

  it('answers an address whose invitation is spent as any other, WAITLISTED, and records nothing (F9)', async () => {
    const table = await newWaitlist();
    const invites = `spent-invites-${table}`;
    await createLocalTable(dynamo, invites, 'email', [
      { email: { S: 'spent@example.com' }, maxUses: { N: '1' }, usedBy: { SS: ['owner'] } },
    ]);
    const spent = await invokeSource(signUp('spent@example.com', 'outsider'), {
      ...settings(table),
      INVITE_TABLE: invites,
    });
    const never = await invokeSource(signUp('never@example.com', 'outsider'), {
      ...settings(table),
      INVITE_TABLE: invites,
    });
    expect([spent.error?.message, never.error?.message]).toEqual([WAITLISTED, WAITLISTED]);
    expect((await rowsOf(table)).map((row) => row.pk?.S)).toEqual(['never@example.com']);
    // The log tells the operator which was recorded.
    expect(log().map((line) => line.rule)).toEqual(['INVITE_REQUIRED', 'WAITLIST_TABLE']);
  });

  it('counts a retry of the same sign-up (its pool and userName) once, and answers it the same', async () => {
    const table = await newWaitlist();
    const first = await invokeSource(signUp('lee@example.com', 'lee-1'), settings(table));
    const retry = await invokeSource(signUp('lee@example.com', 'lee-1'), settings(table));
    expect([first.error?.message, retry.error?.message]).toEqual([WAITLISTED, WAITLISTED]);
    expect((await rowsOf(table))[0]?.signUps).toEqual({ N: '1' });
    const again = await invokeSource(signUp('lee@example.com', 'lee-2'), settings(table));
    expect(again.error?.message).toBe(WAITLISTED);
    expect((await rowsOf(table))[0]?.signUps).toEqual({ N: '2' });
  });

  it('makes one row of ten sign-ups of one address at once, counted ten times; ten retries at once, once', async () => {
    const table = await newWaitlist();
    const distinct = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        invokeSource(signUp('rush@example.com', `rush-${String(index)}`), settings(table)),
      ),
    );
    expect(distinct.map(({ error }) => error?.message)).toEqual(Array.from({ length: 10 }, () => WAITLISTED));
    const retries = await Promise.all(
      Array.from({ length: 10 }, () => invokeSource(signUp('same@example.com', 'same-user'), settings(table))),
    );
    expect(retries.map(({ error }) => error?.message)).toEqual(Array.from({ length: 10 }, () => WAITLISTED));
    const rows = await rowsOf(table);
    const byKey = Object.fromEntries(rows.map((row) => [row.pk?.S, row.signUps?.N]));
    expect(byKey).toEqual({ 'rush@example.com': '10', 'same@example.com': '1' });
  });

  it('records nothing under DRY_RUN, and logs what would have been refused', async () => {
    const table = await newWaitlist();
    const { error, result } = await invokeSource(
      signUp('dry@example.com', 'dry-1'),
      settings(table, { DRY_RUN: 'true' }),
    );
    expect(error).toBeUndefined();
    expect(result).toBeDefined();
    expect(await rowsOf(table)).toEqual([]);
    expect(log()[0]).toMatchObject({
      outcome: 'would-refuse',
      code: 'WAITLISTED',
      rule: 'WAITLIST_TABLE',
      dryRun: true,
    });
  });
});

describe('what the waitlist leaves alone', () => {
  it('admits an invited address, and records nothing', async () => {
    const table = await newWaitlist();
    const { error } = await invokeSource(signUp('Invited@Example.com', 'invited-1'), settings(table));
    expect(error).toBeUndefined();
    expect(await rowsOf(table)).toEqual([]);
  });

  it('answers a wrong code with INVITE_INVALID, and records nothing', async () => {
    const table = await newWaitlist();
    const { error } = await invokeSource(
      signUp('guess@example.com', 'guess-1', { inviteCode: 'GUESS' }),
      settings(table),
    );
    expect(error?.message).toMatch(/^INVITE_INVALID: /);
    expect(await rowsOf(table)).toEqual([]);
  });

  it('records nothing of a sign-up refused for another reason first: a blocked domain, no CAPTCHA token', async () => {
    const table = await newWaitlist();
    const blocked = await invokeSource(
      signUp('bot@spam.example', 'bot-1'),
      settings(table, { BLOCKED_EMAIL_DOMAINS: 'spam.example' }),
    );
    expect(blocked.error?.message).toMatch(/^EMAIL_DOMAIN_BLOCKED: /);
    const flood = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        invokeSource(
          signUp(`bot-${String(index)}@example.com`, `bot-${String(index)}`),
          settings(table, { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 'captcha-secret' }),
        ),
      ),
    );
    expect(new Set(flood.map(({ error }) => error?.message.split(':')[0]))).toEqual(new Set(['CAPTCHA_REQUIRED']));
    expect(await rowsOf(table)).toEqual([]);
  });
});

describe('the bound on a flood that passes every rule', () => {
  it('keeps a row of a fixed size however often its address comes back, in any variant', async () => {
    const table = await newWaitlist();
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        invokeSource(signUp(`flood+${String(index)}@example.com`, `flood-${String(index)}`), settings(table)),
      ),
    );
    const rows = await rowsOf(table);
    expect(rows).toHaveLength(1);
    // No attribute grows with the sign-ups (no set of userNames, as an invitation's usedBy is).
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
      ['clientId', 'email', 'expiresAt', 'firstAt', 'lastAt', 'lastSignUp', 'pk', 'signUps'].sort(),
    );
    expect(rows[0]?.signUps).toEqual({ N: '40' });
    expect(rows[0]?.lastSignUp?.S).toMatch(/^[A-Za-z0-9_-]{11}$/);
  });
});

describe('a waitlist table that fails', () => {
  it('refuses with SERVICE_UNAVAILABLE, never admits, even under FAIL_OPEN, and logs the fix', async () => {
    for (const failOpen of ['false', 'true']) {
      const { error } = await invokeSource(
        signUp('lost@example.com', 'lost-1'),
        settings('no-such-waitlist', { FAIL_OPEN: failOpen }),
      );
      expect(error?.message).toMatch(/^SERVICE_UNAVAILABLE: /);
    }
    const lines = log();
    expect(lines[0]).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      rule: 'WAITLIST_TABLE',
      lookupFailures: [
        {
          lookup: 'waitlist',
          error: 'ResourceNotFoundException',
          kind: 'permanent-failure',
          fix: "the table named by WAITLIST_TABLE does not exist in the function's region",
        },
      ],
    });
    expect(JSON.stringify(lines)).not.toContain('lost');
  });
});

describe('npm run invite -- --from-waitlist', () => {
  const env = () => ({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
  });
  const waiting = (pk: string, email: string, firstAt: number) => ({
    pk: { S: pk },
    email: { S: email },
    firstAt: { N: String(firstAt) },
    signUps: { N: '1' },
  });

  it('invites the oldest by firstAt, prints each address, and takes them off the list; the function then admits them', async () => {
    const waitlist = await newWaitlist([
      waiting('new@example.com', 'new@example.com', 3000),
      waiting('kimlee@gmail.com', 'kim.lee+beta@googlemail.com', 1000),
      waiting('lee@example.com', 'lee@example.com', 2000),
    ]);
    const invites = `invites-from-${waitlist}`;
    await createLocalTable(dynamo, invites, 'email');
    const { status, stdout, stderr } = await runTool(
      'invite',
      ['--table', invites, '--from-waitlist', waitlist, '--count', '2', '--days', '3'],
      { env: env() },
    );
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'kim.lee+beta@googlemail.com\nlee@example.com\n' });
    expect(stderr).toContain('Invited 2');
    expect(stderr).toContain('1 still waiting');
    expect((await rowsOf(waitlist)).map((row) => row.pk?.S)).toEqual(['new@example.com']);
    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: invites, Key: { email: { S: 'kim.lee+beta@googlemail.com' } } }),
    );
    expect(Item?.code).toBeUndefined();
    expect(Number(Item?.expiresAt?.N) - Math.floor(Date.now() / 1000)).toBeGreaterThan(3 * 86_400 - 60);
    // The invited person signs up again with the address they typed, and is admitted.
    const admitted = await invokeSource(signUp('Kim.Lee+beta@googlemail.com', 'kim-again'), {
      ...settings(waitlist),
      INVITE_TABLE: invites,
    });
    expect(admitted.error).toBeUndefined();
    expect((await rowsOf(waitlist)).map((row) => row.pk?.S)).toEqual(['new@example.com']);
  });

  it('invites the address its owner typed first, whatever variant someone else typed after (F6)', async () => {
    const { inviteFromWaitlist } = await import('../../tools/invite-from-waitlist.js');
    const waitlist = await newWaitlist();
    const invites = `invites-from-${waitlist}`;
    await createLocalTable(dynamo, invites, 'email');
    const inviteByEmail = { ...settings(waitlist), INVITE_TABLE: invites, INVITE_MATCH: 'email' };
    expect((await invokeSource(signUp('kimlee@gmail.com', 'victim'), inviteByEmail)).error?.message).toBe(WAITLISTED);
    // Someone who knows the address signs up with a variant of it: the same row, the same answer.
    expect((await invokeSource(signUp('Kim.Lee+zz@GoogleMail.com', 'other'), inviteByEmail)).error?.message).toBe(
      WAITLISTED,
    );
    const printed: string[] = [];
    await inviteFromWaitlist(dynamo, { invitations: invites, waitlist, count: 1, expiresAt: 2_000_000_000 }, (a) => {
      printed.push(a);
    });
    expect(printed).toEqual(['kimlee@gmail.com']);
    expect(await rowsOf(waitlist)).toEqual([]);
    // The owner signs up as before and is admitted, not put at the back of the list.
    const owner = await invokeSource(signUp('kimlee@gmail.com', 'victim-again'), inviteByEmail);
    expect(owner.error).toBeUndefined();
    expect(await rowsOf(waitlist)).toEqual([]);
  });

  it('leaves a row made again between the scan and the delete on the list, and still prints the invited address', async () => {
    const { inviteFromWaitlist } = await import('../../tools/invite-from-waitlist.js');
    const waitlist = await newWaitlist([waiting('again@example.com', 'again@example.com', 1000)]);
    const invites = `invites-from-${waitlist}`;
    await createLocalTable(dynamo, invites, 'email');
    const printed: string[] = [];
    const result = await inviteFromWaitlist(
      dynamo,
      { invitations: invites, waitlist, count: 5, expiresAt: 2_000_000_000 },
      async (address) => {
        printed.push(address);
        // Deleted by its TTL and made again by a new sign-up, after the scan and before the delete.
        await dynamo.send(
          new PutItemCommand({ TableName: waitlist, Item: waiting('again@example.com', 'again@example.com', 5000) }),
        );
      },
    );
    expect(printed).toEqual(['again@example.com']);
    expect(result).toEqual({ invited: 1, waiting: 0, kept: 1 });
    const rows = await rowsOf(waitlist);
    expect(rows.map((row) => row.firstAt?.N)).toEqual(['5000']);
  });

  it('leaves a row whose address changed between the scan and the delete on the list (F7)', async () => {
    const { inviteFromWaitlist } = await import('../../tools/invite-from-waitlist.js');
    const waitlist = await newWaitlist([waiting('lee@example.com', 'lee@example.com', 1000)]);
    const invites = `invites-from-${waitlist}`;
    await createLocalTable(dynamo, invites, 'email');
    const result = await inviteFromWaitlist(
      dynamo,
      { invitations: invites, waitlist, count: 5, expiresAt: 2_000_000_000 },
      async () => {
        // After the scan, before the delete: the row now names another address than the one
        // invited (its TTL took it and a sign-up made it again within the same second).
        await dynamo.send(
          new PutItemCommand({ TableName: waitlist, Item: waiting('lee@example.com', 'lee+new@example.com', 1000) }),
        );
      },
    );
    expect(result).toEqual({ invited: 1, waiting: 0, kept: 1 });
    expect((await rowsOf(waitlist)).map((row) => row.email?.S)).toEqual(['lee+new@example.com']);
  });

  it("refuses to invite into a table the function's settings in this shell say it does not read (F8)", async () => {
    const waitlist = await newWaitlist([waiting('lee@example.com', 'lee@example.com', 1000)]);
    const args = ['--table', 'inv', '--from-waitlist', waitlist, '--count', '1'];
    const cases: [Record<string, string>, RegExp][] = [
      [{ INVITE_SECRET: 'x'.repeat(40) }, /INVITE_SECRET or INVITE_SECRET_PARAMETER is set here/],
      [{ INVITE_TABLE: 'other' }, /INVITE_TABLE is "other" here, not --table "inv"/],
      [{ INVITE_TABLE: 'inv' }, /INVITE_MATCH is code here/],
    ];
    for (const [settings, message] of cases) {
      const { status, stdout, stderr } = await runTool('invite', args, { env: { ...env(), ...settings } });
      expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
      expect(stderr).toMatch(/Nobody was invited/);
      expect(stderr).toMatch(message);
    }
    expect((await rowsOf(waitlist)).map((row) => row.pk?.S)).toEqual(['lee@example.com']);
  }, 60_000);

  it('refuses bad arguments with a usage error', async () => {
    const cases: [string[], RegExp][] = [
      [['--from-waitlist', 'wl', '--count', '2'], /--table is required/],
      [['--table', 'inv', '--from-waitlist', 'wl'], /--count is required/],
      [
        ['--table', 'inv', '--from-waitlist', 'wl', '--count', '0'],
        /--count must be a whole number from 1 to 10000, not "0"/,
      ],
      [['--table', 'inv', '--from-waitlist', 'wl', '--count', '2x'], /--count must be a whole number/],
      [
        ['--table', 'inv', '--from-waitlist', 'wl', '--count', '2', '--email', 'a@example.com'],
        /--email is not for --from-waitlist/,
      ],
      [['--table', 'wl', '--from-waitlist', 'wl', '--count', '2'], /two tables/],
      [
        ['--table', 'inv', '--from-waitlist', 'wl', '--count', '2', '--days', '0'],
        /--days must be a whole number from 1 to 3650/,
      ],
      [['--table', 'inv', '--count', '2'], /--from-waitlist is required/],
    ];
    for (const [args, message] of cases) {
      const { status, stdout, stderr } = await runTool('invite', args, { env: env() });
      expect({ status, stdout }, args.join(' ')).toEqual({ status: 2, stdout: '' });
      expect(stderr, args.join(' ')).toMatch(message);
    }
  }, 60_000);
});

describe('the waitlist write itself', () => {
  // A hand-made event (the Lambda console's, a script's) may carry no app client and no user pool:
  // the row is still written once, without a client or a sign-up to tell a retry by, and each such
  // sign-up counts (nothing identifies a retry of it).
  it('records a sign-up with no app client and no sign-up identity, counting each one', async () => {
    const { recordOnWaitlist } = await import('../../src/look-up/lazy/waitlist-table.js');
    const table = await newWaitlist();
    const entry = { address: 'kim@example.com', email: 'kim@example.com', clientId: undefined, signUp: undefined };
    const signal = new AbortController().signal;
    expect(await recordOnWaitlist(table, entry, 1_000, 90, signal)).toBe('recorded');
    expect(await recordOnWaitlist(table, entry, 2_000, 90, signal)).toBe('recorded');
    const [row, ...others] = await rowsOf(table);
    expect(others).toEqual([]);
    expect(row).toEqual({
      pk: { S: 'kim@example.com' },
      email: { S: 'kim@example.com' },
      firstAt: { N: '1000' },
      lastAt: { N: '2000' },
      expiresAt: { N: String(2_000 + 90 * 86_400) },
      signUps: { N: '2' },
    });
  });
});
