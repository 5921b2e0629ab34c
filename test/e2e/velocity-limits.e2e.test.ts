import { createServer } from 'node:http';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRateLimit, type RateLimit } from '../../src/config/rate-limits.js';
import { failureKindOf } from '../../src/look-up/lazy/lookup-failure.js';
import { listenOnLoopback, type LocalServer, startDynalite } from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { createLocalTable } from '../helpers/local-table.js';

// countSignUp runs in this process against dynalite, reached the standard way through
// AWS_ENDPOINT_URL_DYNAMODB; a stand-in server plays a throttled table.

let dynalite: LocalServer;
let dynamo: DynamoDBClient;
let countSignUp: typeof import('../../src/look-up/lazy/rate-limit.js').countSignUp;
let tableNumber = 0;
const POOL = 'us-east-1_velocity';
// 2026-01-01T00:00:00Z: a whole day, so every window of a test starts here.
const T0 = 1_767_225_600;

function limitOf(entry: string): RateLimit {
  const limit = parseRateLimit(entry);
  if (typeof limit === 'string') throw new Error(limit);
  return limit;
}

async function newTable(): Promise<string> {
  const name = `limits-${String(++tableNumber)}`;
  await createLocalTable(dynamo, name, 'pk');
  return name;
}

const signal = () => AbortSignal.timeout(5000);

beforeAll(async () => {
  dynalite = await startDynalite();
  dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynalite.endpoint);
  ({ countSignUp } = await import('../../src/look-up/lazy/rate-limit.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  dynamo.destroy();
  await dynalite.stop();
});

describe('countSignUp on dynalite', () => {
  it('admits up to the limit per email domain, then names the limit, each domain apart', async () => {
    const table = await newTable();
    const limits = [limitOf('email-domain:3/h')];
    const count = (domain: string, user: string) =>
      countSignUp(table, limits, { emailDomain: domain, pool: POOL }, user, T0 + 10, false, signal());
    for (const user of ['a', 'b', 'c']) expect((await count('example.com', user)).exceeded).toBeUndefined();
    expect((await count('example.com', 'd')).exceeded).toBe(limits[0]);
    expect((await count('example.org', 'd')).exceeded).toBeUndefined();

    const item = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `email-domain#example.com#h#${String(T0)}` } } }),
    );
    expect(item.Item?.users?.SS).toHaveLength(3);
    // The userName is not stored, only a short hash of it; the TTL is the window's end and an hour.
    expect(item.Item?.users?.SS?.every((hash) => /^[A-Za-z0-9_-]{11}$/.test(hash))).toBe(true);
    expect(item.Item?.expiresAt?.N).toBe(String(T0 + 3600 + 3600));
  });

  it('counts by phone country, app client and pool, each in its own item, and skips a limit without a key', async () => {
    const table = await newTable();
    const limits = ['phone-country:2/h', 'client:4/h', 'pool:5/d'].map(limitOf);
    const [phoneLimit, clientLimit, poolLimit] = limits;
    const count = (user: string, keys: { phoneCountry?: string; clientId?: string }) =>
      countSignUp(table, limits, { ...keys, pool: POOL }, user, T0 + 10, false, signal());
    expect((await count('u1', { phoneCountry: '44', clientId: 'app' })).exceeded).toBeUndefined();
    expect((await count('u2', { phoneCountry: '44', clientId: 'app' })).exceeded).toBeUndefined();
    // The phone-country limit is the first to fire, and is named though the other two still pass.
    expect((await count('u3', { phoneCountry: '44', clientId: 'app' })).exceeded).toBe(phoneLimit);
    // No phone number: that limit does not apply. u3, refused by its phone country, was counted by
    // none of the others (SEAMS: one limit × the others): the client has two, and takes two more.
    expect((await count('u4', { clientId: 'app' })).exceeded).toBeUndefined();
    expect((await count('u5', { clientId: 'app' })).exceeded).toBeUndefined();
    expect((await count('u6', { clientId: 'app' })).exceeded).toBe(clientLimit);
    // u6, refused by the client, is not in the pool's count either: one more fits there.
    expect((await count('u7', {})).exceeded).toBeUndefined();
    expect((await count('u8', {})).exceeded).toBe(poolLimit);

    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table }));
    expect(Object.fromEntries(Items.map((item) => [item.pk?.S, item.users?.SS?.length]))).toEqual({
      [`phone-country#44#h#${String(T0)}`]: 2,
      [`client#app#h#${String(T0)}`]: 4,
      [`pool#${POOL}#d#${String(T0)}`]: 5,
    });
  });

  // Attacker's review (#29): six sign-ups at one domain, four of them refused by its limit, filled
  // the pool's limit, and the next legitimate sign-up elsewhere was RATE_LIMITED.
  it('lets one domain’s flood count against the pool only as far as the domain admitted it', async () => {
    const table = await newTable();
    const limits = ['email-domain:2/h', 'pool:5/h'].map(limitOf);
    const count = (user: string, domain: string) =>
      countSignUp(table, limits, { emailDomain: domain, pool: POOL }, user, T0 + 10, false, signal());
    const flood = await Promise.all(['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((user) => count(user, 'evil.test')));
    expect(flood.filter(({ exceeded }) => exceeded === limits[0])).toHaveLength(4);
    expect(flood.filter(({ exceeded }) => exceeded === undefined)).toHaveLength(2);
    // A refused sign-up's retry gets the same answer, and still counts nowhere.
    const refused = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].filter((_, index) => flood[index]?.exceeded !== undefined);
    expect((await count(refused[0] ?? '', 'evil.test')).exceeded).toBe(limits[0]);
    // Two counted at evil.test, three elsewhere: the pool's five.
    for (const [user, domain] of [
      ['g1', 'good.test'],
      ['g2', 'good.test'],
      ['g3', 'fine.test'],
    ] as const) {
      expect((await count(user, domain)).exceeded).toBeUndefined();
    }
    expect((await count('g4', 'fine.test')).exceeded).toBe(limits[1]);
    const pool = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `pool#${POOL}#h#${String(T0)}` } } }),
    );
    expect(pool.Item?.users?.SS).toHaveLength(5);
  });

  // The attacker's second try: the same flood fired at once, with the legitimate sign-up among it.
  // Counts taken back after the domain refused them still held pool slots while in flight.
  it('never lets a concurrent flood at one domain refuse a sign-up elsewhere, even for a moment', async () => {
    const limits = ['pool:5/h', 'email-domain:2/h'].map(limitOf);
    for (let trial = 0; trial < 5; trial++) {
      const table = await newTable();
      const count = (user: string, domain: string) =>
        countSignUp(table, limits, { emailDomain: domain, pool: POOL }, user, T0 + 10, false, signal());
      const flood = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((user) => count(user, 'evil.test'));
      const [legit, ...rest] = await Promise.all([count('legit', 'good.test'), ...flood]);
      expect(legit.exceeded).toBeUndefined();
      expect(rest.filter(({ exceeded }) => exceeded === limits[1])).toHaveLength(4);
    }
  });

  // The second review: the email domain and the phone country were counted in one stage, so a
  // concurrent flood at one domain held slots of its calling code and locked out its country.
  it('never lets a concurrent flood at one domain refuse a sign-up of the same country', async () => {
    const limits = ['email-domain:2/h', 'phone-country:5/h'].map(limitOf);
    for (let trial = 0; trial < 3; trial++) {
      const table = await newTable();
      const count = (user: string, domain: string) =>
        countSignUp(
          table,
          limits,
          { emailDomain: domain, phoneCountry: '1', pool: POOL },
          user,
          T0 + 10,
          false,
          signal(),
        );
      const flood = Array.from({ length: 20 }, (_, index) => count(`e${String(index)}`, 'evil.test'));
      const [legit] = await Promise.all([count('legit', 'good.test'), ...flood]);
      expect(legit.exceeded).toBeUndefined();
    }
  });

  it('under DRY_RUN counts a sign-up over a narrow limit in the wider ones too (Cognito creates it)', async () => {
    const table = await newTable();
    const limits = ['email-domain:1/h', 'pool:10/h'].map(limitOf);
    const count = (user: string) =>
      countSignUp(table, limits, { emailDomain: 'evil.test', pool: POOL }, user, T0 + 10, true, signal());
    expect((await count('d1')).exceeded).toBeUndefined();
    expect((await count('d2')).exceeded).toBe(limits[0]);
    const pool = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `pool#${POOL}#h#${String(T0)}` } } }),
    );
    expect(pool.Item?.users?.SS).toHaveLength(2);
  });

  it('starts again when the window rolls over, in fixed windows', async () => {
    const table = await newTable();
    const limits = [limitOf('email-domain:1/15m')];
    const count = (user: string, now: number) =>
      countSignUp(table, limits, { emailDomain: 'example.com', pool: POOL }, user, now, false, signal());
    expect((await count('a', T0 + 60)).exceeded).toBeUndefined();
    expect((await count('b', T0 + 899)).exceeded).toBe(limits[0]);
    expect((await count('b', T0 + 900)).exceeded).toBeUndefined();
    expect((await count('c', T0 + 1799)).exceeded).toBe(limits[0]);
  });

  it('counts a retried sign-up (same userName, same window) once, and gives it the same answer', async () => {
    const table = await newTable();
    const limits = [limitOf('email-domain:2/h')];
    const count = (user: string) =>
      countSignUp(table, limits, { emailDomain: 'example.com', pool: POOL }, user, T0 + 5, false, signal());
    expect((await count('kim')).exceeded).toBeUndefined();
    expect((await count('kim')).exceeded).toBeUndefined();
    expect((await count('lee')).exceeded).toBeUndefined();
    // Full now: kim and lee, retried, still pass; a third user does not, and neither does its retry.
    expect((await count('kim')).exceeded).toBeUndefined();
    expect((await count('lee')).exceeded).toBeUndefined();
    expect((await count('max')).exceeded).toBe(limits[0]);
    expect((await count('max')).exceeded).toBe(limits[0]);
    // The same userName in another pool is another user.
    const otherPool = await countSignUp(
      table,
      limits,
      { emailDomain: 'example.com', pool: 'us-east-1_other' },
      'kim',
      T0 + 5,
      false,
      signal(),
    );
    expect(otherPool.exceeded).toBe(limits[0]);
  });

  it('admits exactly 10 of 50 concurrent sign-ups against a limit of 10, and each of their retries', async () => {
    const table = await newTable();
    const limits = [limitOf('client:10/h')];
    const count = (user: string) =>
      countSignUp(table, limits, { clientId: 'app', pool: POOL }, user, T0 + 5, false, signal());
    const users = Array.from({ length: 50 }, (_, i) => `user-${String(i)}`);
    const answers = await Promise.all(users.map(count));
    const admitted = users.filter((_, i) => answers[i]?.exceeded === undefined);
    expect(admitted).toHaveLength(10);
    // Retried concurrently, the 50 get the answers they got.
    const retried = await Promise.all(users.map(count));
    expect(users.filter((_, i) => retried[i]?.exceeded === undefined)).toEqual(admitted);
  });

  it('splits a limit above 1,000 over items, never admitting more than the limit', async () => {
    const table = await newTable();
    const limits = [limitOf('pool:1001/d')];
    const users = Array.from({ length: 1010 }, (_, i) => `bulk-${String(i)}`);
    let admitted = 0;
    for (let i = 0; i < users.length; i += 50) {
      const answers = await Promise.all(
        users.slice(i, i + 50).map((user) => countSignUp(table, limits, { pool: POOL }, user, T0 + 5, false, signal())),
      );
      admitted += answers.filter((answer) => answer.exceeded === undefined).length;
    }
    expect(admitted).toBeLessThanOrEqual(1001);
    expect(admitted).toBeGreaterThan(950);
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table }));
    expect(Items.map((item) => item.pk?.S).sort()).toEqual([
      `pool#${POOL}#d#${String(T0)}#0`,
      `pool#${POOL}#d#${String(T0)}#1`,
    ]);
    expect(Items.every((item) => (item.users?.SS?.length ?? 0) <= 501)).toBe(true);
  }, 60_000);

  it('under DRY_RUN counts past the limit and still names it, for a retry too', async () => {
    const table = await newTable();
    const limits = [limitOf('email-domain:1/h')];
    const count = (user: string) =>
      countSignUp(table, limits, { emailDomain: 'example.com', pool: POOL }, user, T0 + 5, true, signal());
    expect((await count('a')).exceeded).toBeUndefined();
    expect((await count('b')).exceeded).toBe(limits[0]);
    expect((await count('b')).exceeded).toBe(limits[0]);
    expect((await count('a')).exceeded).toBeUndefined();
    const item = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `email-domain#example.com#h#${String(T0)}` } } }),
    );
    expect([item.Item?.users?.SS?.length, item.Item?.over?.SS?.length]).toEqual([1, 1]);
    // Turned off mid-window, the count stands: b was counted, so a new user is refused.
    const live = await countSignUp(
      table,
      limits,
      { emailDomain: 'example.com', pool: POOL },
      'c',
      T0 + 6,
      false,
      signal(),
    );
    expect(live.exceeded).toBe(limits[0]);
  });

  // A table that does not exist (ResourceNotFoundException, permanent, with its fix) is in new-lookups.e2e.test.ts.

  it('costs one round trip per sign-up under the limit (measured on dynalite)', async () => {
    const table = await newTable();
    const limits = [limitOf('pool:1000/h')];
    await countSignUp(table, limits, { pool: POOL }, 'warm', T0, false, signal());
    const started = performance.now();
    for (let i = 0; i < 50; i++) await countSignUp(table, limits, { pool: POOL }, `t${String(i)}`, T0, false, signal());
    const perCount = (performance.now() - started) / 50;
    console.info(`countSignUp on dynalite: ${perCount.toFixed(2)} ms a sign-up (one UpdateItem)`);
    expect(perCount).toBeLessThan(100);
  });
});

describe('countSignUp against a throttled table', () => {
  let throttled: LocalServer;
  let requests = 0;

  beforeAll(async () => {
    throttled = await listenOnLoopback(
      createServer((request, response) => {
        requests++;
        request.resume();
        request.on('end', () => {
          const name = requests % 2 === 0 ? 'ThrottlingException' : 'ProvisionedThroughputExceededException';
          response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amzn-ErrorType': name });
          response.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${name}`, message: 'Slow down' }));
        });
      }),
    );
  });

  afterAll(() => throttled.stop());

  // Outside a round of lookups (no deadline known), the AWS client tries a throttled call four times.
  it('rejects with a transient failure, after the retries a throttled call gets', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', throttled.endpoint);
    try {
      const error = await countSignUp(
        'limits',
        [limitOf('pool:5/h')],
        { pool: POOL },
        'kim',
        T0,
        false,
        signal(),
      ).catch((thrown: unknown) => thrown);
      expect((error as Error).name).toMatch(/^(ThrottlingException|ProvisionedThroughputExceededException)$/);
      expect(failureKindOf(error)).toBe('transient-failure');
      expect(requests).toBe(4);
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynalite.endpoint);
    }
  });
});
