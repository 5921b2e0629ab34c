import { readFileSync } from 'node:fs';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_PATH } from '../../paths.mjs';
import {
  removeDir,
  type RunningFunction,
  runtimeFromEnvironment,
  startFunction,
  unzipToTemp,
} from '../../tools/local/function-host.js';
import { type LocalServer, startDynalite } from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { loadEvent } from '../helpers/events.js';
import { invocationLines } from '../helpers/function-logs.js';
import { createLocalTable } from '../helpers/local-table.js';

// The zip under the Lambda runtime client, counting sign-ups in RATE_LIMIT_TABLE and spending
// invitation rows with maxUses (#23) on dynalite, which the function reaches through
// AWS_ENDPOINT_URL_DYNAMODB. countSignUp and checkInvitationRow themselves are tested in this
// process by velocity-limits.e2e.test.ts and invitations.e2e.test.ts; this is the whole function.

const runtime = runtimeFromEnvironment();
let unzipped: string;
let dynalite: LocalServer;
let dynamo: DynamoDBClient;
// Each server's and function's stop, registered as soon as it is up, so teardown stops it even if another failed.
const teardown: (() => Promise<void> | void)[] = [];
function kept<T extends { stop(): Promise<void> }>(server: T): T {
  teardown.push(() => server.stop());
  return server;
}

beforeAll(async () => {
  unzipped = unzipToTemp(readFileSync(ZIP_PATH));
  teardown.push(() => removeDir(unzipped));
  dynalite = kept(await startDynalite());
  dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  teardown.push(() => dynamo.destroy());
});

afterAll(async () => {
  await Promise.allSettled(teardown.map(async (stop) => stop()));
});

let tableNumber = 0;
async function newTable(key: string, rows: Record<string, AttributeValue>[] = []): Promise<string> {
  const name = `${key === 'pk' ? 'limits' : 'invites'}-${String(++tableNumber)}`;
  await createLocalTable(dynamo, name, key, rows);
  return name;
}

/** The function with these settings, reaching dynalite; stopped with the suite. */
async function functionWith(env: Record<string, string>): Promise<RunningFunction> {
  const running = await startFunction(
    unzipped,
    {
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      // The alias warning (#25) is acknowledged: each line here is the invocation's own.
      EXISTING_ACCOUNT_POLICY: 'ignore',
      ...env,
    },
    runtime,
  );
  return kept(running);
}

type Event = Record<string, unknown> & {
  userName: string;
  userPoolId: string;
  callerContext: Record<string, unknown>;
  request: Record<string, unknown>;
};

interface SignUp {
  readonly userName: string;
  readonly email?: string;
  readonly phone?: string;
  readonly clientId?: string;
  readonly userPoolId?: string;
  readonly inviteCode?: string;
}

/** A self sign-up (PreSignUp_SignUp). */
function signUpEvent({ userName, email, phone, clientId, userPoolId, inviteCode }: SignUp): Event {
  const event = loadEvent<Event>('sign-up.json');
  event.userName = userName;
  event.request.userAttributes = {
    ...(email === undefined ? {} : { email }),
    ...(phone === undefined ? {} : { phone_number: phone }),
  };
  if (clientId !== undefined) event.callerContext.clientId = clientId;
  if (userPoolId !== undefined) event.userPoolId = userPoolId;
  if (inviteCode !== undefined) event.request.clientMetadata = { inviteCode };
  return event;
}

/** Invokes the function: the refusal's code (undefined when accepted) and the invocation's log line. */
async function invoke(running: RunningFunction, event: unknown) {
  const { error } = await running.invoke(event);
  const lines = invocationLines(running.logs);
  return {
    code: error?.errorMessage.split(':')[0],
    refusal: error?.errorMessage,
    line: lines.at(-1) ?? {},
  };
}

describe(`velocity limits under the Lambda runtime client, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  // For the two scopes whose keys come from what the user typed: the key that is limited, and one
  // counted apart (the number, which is never logged). The app client and the pool come from the
  // event as Cognito sends it: their keys are in new-lookups.e2e.test.ts (client, in-process) and
  // velocity-limits.e2e.test.ts (client and pool, on dynalite); the refusal and its log line are
  // the same for every scope.
  const SCOPES: readonly [string, (userName: string, other: boolean) => SignUp, readonly string[]][] = [
    [
      'email-domain',
      (userName, other) => ({ userName, email: `${userName}@${other ? 'other' : 'limited'}.example` }),
      [],
    ],
    [
      'phone-country',
      (userName, other) => ({ userName, phone: other ? '+15555550100' : '+447700900123' }),
      ['+447700900123', '7700900123'],
    ],
  ];

  it.each(SCOPES)(
    'refuses the sign-up over a %s limit as RATE_LIMITED, the log naming the limit, never the address',
    async (scope, signUp, secrets) => {
      const limit = `${scope}:2/h`;
      const running = await functionWith({ RATE_LIMITS: limit, RATE_LIMIT_TABLE: await newTable('pk') });
      for (const userName of ['ann', 'ben']) {
        const { code, line } = await invoke(running, signUpEvent(signUp(userName, false)));
        expect(code).toBeUndefined();
        expect(line).toMatchObject({ outcome: 'confirmed' });
        expect(line).not.toHaveProperty('rateLimit');
      }
      const over = await invoke(running, signUpEvent(signUp('cat', false)));
      expect(over.refusal).toMatch(/^RATE_LIMITED: /);
      expect(over.line).toMatchObject({ outcome: 'refused', code: 'RATE_LIMITED', rule: 'RATE_LIMITS' });
      expect(over.line.rateLimit).toBe(limit);
      // The key counted is another one: counted apart.
      expect((await invoke(running, signUpEvent(signUp('dee', true)))).code).toBeUndefined();

      const logs = running.logs.join('\n');
      for (const userName of ['ann', 'ben', 'cat', 'dee']) expect(logs).not.toContain(`${userName}@`);
      for (const secret of secrets) expect(logs).not.toContain(secret);
      expect(over.refusal).not.toMatch(/limited\.example|\+44/);
    },
  );

  it('counts a retried sign-up (same userName) once, and gives the retry the same answer', async () => {
    const running = await functionWith({ RATE_LIMITS: 'email-domain:2/h', RATE_LIMIT_TABLE: await newTable('pk') });
    const attempt = (userName: string) =>
      invoke(running, signUpEvent({ userName, email: `${userName}@example.com` })).then(({ code }) => code);
    expect(await attempt('eli')).toBeUndefined();
    expect(await attempt('eli')).toBeUndefined();
    expect(await attempt('fox')).toBeUndefined();
    expect(await attempt('gia')).toBe('RATE_LIMITED');
    // Once the window is full, a retry of a counted sign-up still passes, and one of a refused one is still refused.
    expect(await attempt('eli')).toBeUndefined();
    expect(await attempt('gia')).toBe('RATE_LIMITED');
  });

  it('admits exactly 10 of 50 concurrent sign-ups against a limit of 10, over five containers', async () => {
    const table = await newTable('pk');
    const containers = await Promise.all(
      Array.from({ length: 5 }, () => functionWith({ RATE_LIMITS: 'pool:10/h', RATE_LIMIT_TABLE: table })),
    );
    const userNames = Array.from({ length: 50 }, (_, index) => `user-${String(index)}`);
    const codes = await Promise.all(
      userNames.map(async (userName, index) => {
        const running = containers[index % containers.length] as RunningFunction;
        return (await invoke(running, signUpEvent({ userName, email: `${userName}@example.com` }))).code;
      }),
    );
    const admitted = userNames.filter((_, index) => codes[index] === undefined);
    expect(admitted).toHaveLength(10);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(40);
    // Each admitted sign-up's retry, in another container, passes too.
    for (const [index, userName] of admitted.entries()) {
      const running = containers[(index + 1) % containers.length] as RunningFunction;
      expect((await invoke(running, signUpEvent({ userName, email: `${userName}@example.com` }))).code).toBeUndefined();
    }
  });

  it('refuses with SERVICE_UNAVAILABLE when the table does not exist, even with FAIL_OPEN=true, logging the fix', async () => {
    const running = await functionWith({
      RATE_LIMITS: 'pool:10/h',
      RATE_LIMIT_TABLE: 'no-such-table',
      FAIL_OPEN: 'true',
    });
    const { refusal, line } = await invoke(running, signUpEvent({ userName: 'hal', email: 'hal@example.com' }));
    expect(refusal).toMatch(/^SERVICE_UNAVAILABLE: /);
    expect(line).toMatchObject({
      level: 'ERROR',
      code: 'SERVICE_UNAVAILABLE',
      rule: 'RATE_LIMITS',
      lookupFailures: [
        {
          lookup: 'rateLimit',
          error: 'ResourceNotFoundException',
          kind: 'permanent-failure',
          fix: "the table named by RATE_LIMIT_TABLE does not exist in the function's region",
        },
      ],
    });
  });
});

describe(`invitations with maxUses and by email under the Lambda runtime client, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  const inFuture = () => String(Math.floor(Date.now() / 1000) + 3600);

  it('refuses another user once an invitation’s uses are spent (INVITE_USED), and passes a retry of a user who spent one', async () => {
    const table = await newTable('email', [
      { email: { S: 'kim@example.com' }, code: { S: 'TEAM-2026' }, maxUses: { N: '1' }, expiresAt: { N: inFuture() } },
    ]);
    const running = await functionWith({ INVITE_REQUIRED: 'true', INVITE_TABLE: table });
    const signUp = (userName: string) =>
      invoke(running, signUpEvent({ userName, email: 'kim@example.com', inviteCode: 'TEAM-2026' }));
    expect((await signUp('kim')).code).toBeUndefined();
    expect((await signUp('kim')).code).toBeUndefined();
    const other = await signUp('kim-again');
    expect(other.refusal).toMatch(/^INVITE_USED: /);
    expect(other.line).toMatchObject({ outcome: 'refused', code: 'INVITE_USED', rule: 'INVITE_REQUIRED' });
    expect((await signUp('kim')).code).toBeUndefined();
    expect(running.logs.join('\n')).not.toContain('TEAM-2026');
  });

  it('admits a federated sign-up (PreSignUp_ExternalProvider) with no code under INVITE_MATCH=email, for invited addresses only', async () => {
    const table = await newTable('email', [{ email: { S: 'ivan@example.com' } }]);
    const running = await functionWith({ INVITE_REQUIRED: 'true', INVITE_TABLE: table, INVITE_MATCH: 'email' });
    const federated = loadEvent<Event>('external-provider.json');
    const { code, line } = await invoke(running, federated);
    expect(code).toBeUndefined();
    expect(line).toMatchObject({ outcome: 'confirmed', triggerSource: 'PreSignUp_ExternalProvider' });

    federated.userName = 'Google_999';
    federated.request.userAttributes = { email: 'mallory@example.com', email_verified: 'true' };
    expect((await invoke(running, federated)).code).toBe('INVITE_REQUIRED');
  });

  it('puts ten uninvited sign-ups of one address at once, over two containers, on the waitlist as one row, each refused WAITLISTED, the logs naming no address', async () => {
    const waitlist = await newTable('pk');
    const settings = {
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: await newTable('email'),
      INVITE_MATCH: 'email',
      WAITLIST_TABLE: waitlist,
    };
    const containers = await Promise.all([functionWith(settings), functionWith(settings)]);
    const signUp = (index: number) =>
      signUpEvent({ userName: `queue-${String(index)}`, email: `Queue.Person+${String(index)}@Example.com` });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) => invoke(containers[index % 2] as RunningFunction, signUp(index))),
    );
    expect(answers.map(({ code }) => code)).toEqual(Array.from({ length: 10 }, () => 'WAITLISTED'));
    const signUpsOf = async () => {
      const { Items } = await dynamo.send(new ScanCommand({ TableName: waitlist, ConsistentRead: true }));
      return Items?.map((row) => [row.pk?.S, row.signUps?.N]);
    };
    expect(await signUpsOf()).toEqual([['queue.person@example.com', '10']]);
    // One more, then its retry in the other container: the same answer, not counted again.
    expect((await invoke(containers[0], signUp(10))).code).toBe('WAITLISTED');
    expect((await invoke(containers[1], signUp(10))).code).toBe('WAITLISTED');
    expect(await signUpsOf()).toEqual([['queue.person@example.com', '11']]);
    const logs = containers
      .map((running) => running.logs.join('\n'))
      .join('\n')
      .toLowerCase();
    expect(logs).toContain('waitlisted');
    expect(logs).not.toContain('queue');
  });
});
