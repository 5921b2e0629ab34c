import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { isRuntimeVariable } from '../src/config/runtime-variables.js';
import { loadEvent } from './helpers/events.js';

// The exported `handler` reads process.env once per container, so each test loads a fresh module.
// It writes its lines to file descriptor 1 with fs.writeSync (see write-to-stdout.ts): the spy
// keeps those, and lets every other write through.
type WriteSync = (fd: number, buffer: Uint8Array, offset?: number, ...rest: unknown[]) => number;
const fs = process.getBuiltinModule('node:fs') as unknown as { writeSync: WriteSync };
const realWriteSync: WriteSync = fs.writeSync.bind(fs);
let stdout: MockInstance<WriteSync>;
beforeEach(() => {
  vi.resetModules();
  stdout = vi
    .spyOn(fs, 'writeSync')
    .mockImplementation((fd, buffer, offset = 0, ...rest) =>
      fd === 1 ? buffer.length - offset : realWriteSync(fd, buffer, offset, ...rest),
    );
});
afterEach(() => {
  stdout.mockRestore();
  vi.unstubAllEnvs();
});

/** What reached stdout, a line per write (init's zero-length write, prepareStdout's, writes nothing). */
function chunksWritten(): string[] {
  return stdout.mock.calls
    .filter(([fd]) => fd === 1)
    .map(([, buffer, offset]) =>
      Buffer.from(buffer)
        .subarray(offset ?? 0)
        .toString('utf8'),
    )
    .filter((chunk) => chunk !== '');
}

function linesWritten(): Record<string, unknown>[] {
  return chunksWritten().map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
}

/**
 * Leaves only the variables Lambda's runtime sets: the test runner's own (HOME, TERM, VITEST…) are
 * ones the function would read as possible settings, as it would on Lambda.
 */
function onlyTheRuntimesVariables(): void {
  for (const name of Object.keys(process.env)) {
    if (isRuntimeVariable(name.toUpperCase())) continue;
    removedVariables[name] = process.env[name];
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the variable must be absent, not empty
    delete process.env[name];
  }
}
const removedVariables: Record<string, string | undefined> = {};
afterEach(() => {
  for (const [name, value] of Object.entries(removedVariables)) {
    process.env[name] = value;
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- restored, so forgotten here
    delete removedVariables[name];
  }
});

async function freshHandler() {
  const { handler } = await import('../src/handler.js');
  const context = { awsRequestId: 'request-1', getRemainingTimeInMillis: () => 5000 };
  return (event: unknown) => handler(event as never, context as never, () => undefined);
}

describe('handler', () => {
  it('reads its settings from process.env', async () => {
    vi.stubEnv('BLOCKED_EMAIL_DOMAINS', 'example.com');
    const handler = await freshHandler();
    await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('EMAIL_DOMAIN_BLOCKED: ');
  });

  it('writes one JSON line to stdout with the request id, the function name and its metrics', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'PreSignUp');
    vi.stubEnv('METRICS_NAMESPACE', 'MyApp/SignUps');
    vi.stubEnv('EXISTING_ACCOUNT_POLICY', 'ignore');
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    expect(chunksWritten()).toHaveLength(1);
    expect(chunksWritten()[0]).toMatch(/^\{.*\}\n$/);
    expect(linesWritten()[0]).toMatchObject({
      level: 'INFO',
      requestId: 'request-1',
      function: 'PreSignUp',
      outcome: 'confirmed',
      SignUps: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'MyApp/SignUps' }] },
    });
  });

  it('runs the write path during init with a zero-length write, so that the first line is written by compiled code', async () => {
    await freshHandler();
    const initWrites = stdout.mock.calls.filter(([fd]) => fd === 1);
    expect(initWrites.map(([, buffer, offset]) => buffer.length - (offset ?? 0))).toEqual([0]);
    expect(chunksWritten()).toEqual([]);
  });

  it('logs a likely misspelling once per cold start, at WARN', async () => {
    vi.stubEnv('AUTO_CONFIM', 'false');
    vi.stubEnv('EXISTING_ACCOUNT_POLICY', 'ignore');
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    await handler(loadEvent('sign-up.json'));
    const [first, second] = linesWritten();
    expect(first).toMatchObject({
      level: 'WARN',
      outcome: 'confirmed',
      warnings: ['AUTO_CONFIM is set but not read: did you mean AUTO_CONFIRM?'],
    });
    expect(second).toMatchObject({ level: 'INFO', outcome: 'confirmed' });
    expect(second).not.toHaveProperty('warnings');
  });

  it('honours AWS_LAMBDA_LOG_LEVEL, keeping the metrics of a line it drops', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'WARN');
    vi.stubEnv('EXISTING_ACCOUNT_POLICY', 'ignore');
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    expect(linesWritten()).toEqual([
      {
        outcome: 'confirmed',
        SignUps: 1,
        LookupFailures: 0,
        Throttled: 0,
        WouldRefuse: 0,
        _aws: expect.any(Object) as unknown,
      },
    ]);
  });

  // #25: the AWS sample's default, in a pool where email or phone is a sign-in alias, is an alias takeover.
  it('warns once per cold start of the alias takeover while EXISTING_ACCOUNT_POLICY is unset', async () => {
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    await handler(loadEvent('sign-up.json'));
    const [first, second] = linesWritten();
    expect(first).toMatchObject({ level: 'WARN', warnings: [expect.stringContaining('alias takeover')] });
    expect(first?.warnings).toEqual([expect.stringContaining('EXISTING_ACCOUNT_POLICY=no-verify')]);
    expect(second).toMatchObject({ level: 'INFO' });
    expect(second).not.toHaveProperty('warnings');
  });

  it.each([
    ['an explicit ignore, the acknowledgement', { EXISTING_ACCOUNT_POLICY: 'ignore' }],
    ['no-verify', { EXISTING_ACCOUNT_POLICY: 'no-verify' }],
    ['nothing verified', { AUTO_VERIFY_EMAIL: 'false', AUTO_VERIFY_PHONE: 'false' }],
    ['nobody confirmed', { AUTO_CONFIRM: 'false' }],
  ])('says nothing of the alias takeover with %s', async (_, env) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const handler = await freshHandler();
    await handler(loadEvent('admin-create-user.json'));
    expect(JSON.stringify(linesWritten())).not.toContain('alias takeover');
  });

  it('reads a rules document named by RULES_FILE during init, with its reader loaded only then', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handler-rules-'));
    try {
      writeFileSync(
        path.join(dir, 'rules.json'),
        JSON.stringify({ BLOCKED_EMAIL_DOMAINS: ['example.com'], clients: { other: { MIN_USERNAME_LENGTH: 3 } } }),
      );
      vi.stubEnv('RULES_FILE', path.join(dir, 'rules.json'));
      vi.stubEnv('EXISTING_ACCOUNT_POLICY', 'ignore');
      const handler = await freshHandler();
      await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('EMAIL_DOMAIN_BLOCKED: ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs an app client’s rules when only that client turns one on (overrides × the rules a configuration needs)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handler-rules-'));
    try {
      // The top level turns no refusal rule on; the event's own client blocks its email's domain.
      writeFileSync(
        path.join(dir, 'rules.json'),
        JSON.stringify({
          EXISTING_ACCOUNT_POLICY: 'ignore',
          clients: { '1example23456789': { BLOCKED_EMAIL_DOMAINS: ['example.com'] } },
        }),
      );
      vi.stubEnv('RULES_FILE', path.join(dir, 'rules.json'));
      const handler = await freshHandler();
      await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('EMAIL_DOMAIN_BLOCKED: ');
      const otherClient = loadEvent<{ callerContext: { clientId: string } }>('sign-up.json');
      otherClient.callerContext.clientId = 'another-client';
      await expect(handler(otherClient)).resolves.toMatchObject({ response: { autoConfirmUser: true } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Mocks: a file missing from a broken deployment, which no emulator does.
  describe('when the settings readers are not in the zip', () => {
    const READERS = [
      '../src/look-up/lazy/settings-and-rules.js',
      '../src/look-up/lazy/settings-documents-and-rules.js',
    ];
    beforeEach(() => {
      for (const reader of READERS) {
        vi.doMock(reader, () => {
          throw new Error('Cannot find module');
        });
      }
    });
    afterEach(() => {
      for (const reader of READERS) vi.doUnmock(reader);
    });

    it('refuses every sign-up with CONFIG_INVALID, naming RULES_FILE, when a document is named', async () => {
      vi.stubEnv('RULES_FILE', 'rules.json');
      const handler = await freshHandler();
      await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('CONFIG_INVALID: ');
      expect(linesWritten()[0]).toMatchObject({
        configProblems: [{ variable: 'RULES_FILE', expected: expect.stringContaining('ModuleLoadError') }],
      });
    });

    it('refuses every sign-up with CONFIG_INVALID, naming RULES_PARAMETER, when the document is in SSM', async () => {
      onlyTheRuntimesVariables();
      vi.stubEnv('BLOCKED_EMAIL_DOMAINS', 'blocked.example');
      vi.stubEnv('RULES_PARAMETER', '/pre-signup/rules');
      const handler = await freshHandler();
      for (let signUp = 0; signUp < 2; signUp++) {
        await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('CONFIG_INVALID: ');
      }
      expect(linesWritten().map((line) => line.configProblems)).toMatchObject([
        [
          {
            variable: 'RULES_PARAMETER',
            received: 'a setting the zip has no reader for',
            expected: expect.stringContaining('ModuleLoadError'),
          },
        ],
        [
          {
            variable: 'RULES_PARAMETER',
            received: 'a setting the zip has no reader for',
            expected: expect.stringContaining('ModuleLoadError'),
          },
        ],
      ]);
    });

    it('refuses every sign-up with CONFIG_INVALID, naming the setting it could not read', async () => {
      onlyTheRuntimesVariables();
      vi.stubEnv('BLOCKED_EMAIL_DOMAINS', 'blocked.example');
      const handler = await freshHandler();
      await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('CONFIG_INVALID: ');
      expect(linesWritten()[0]).toMatchObject({
        configProblems: [
          {
            variable: 'BLOCKED_EMAIL_DOMAINS',
            received: 'a setting the zip has no reader for',
            expected: expect.stringContaining('ModuleLoadError'),
          },
        ],
      });
    });

    it('confirms sign-ups as before when no setting is set: that function never needs the file', async () => {
      onlyTheRuntimesVariables();
      const handler = await freshHandler();
      const event = await handler(loadEvent('sign-up.json'));
      expect(event).toMatchObject({ response: { autoConfirmUser: true, autoVerifyEmail: true } });
      expect(linesWritten()[0]).toMatchObject({ outcome: 'confirmed' });
    });
  });

  it('runs a lookup that reads only the zip during init, and refuses with it on the first sign-up', async () => {
    vi.stubEnv('BLOCK_DISPOSABLE_EMAILS', 'true');
    vi.stubEnv('EXISTING_ACCOUNT_POLICY', 'ignore');
    const handler = await freshHandler();
    const event = loadEvent<{ request: { userAttributes: Record<string, string> } }>('sign-up.json');
    event.request.userAttributes.email = 'someone@mailinator.com';
    await expect(handler(event)).rejects.toThrow('DISPOSABLE_EMAIL: ');
  });

  it('refuses every sign-up with CONFIG_INVALID when RULES_FILE cannot be read', async () => {
    vi.stubEnv('RULES_FILE', '/nonexistent/rules.json');
    const handler = await freshHandler();
    await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('CONFIG_INVALID: ');
    expect(linesWritten()[0]).toMatchObject({ configProblems: [{ variable: 'RULES_FILE' }] });
  });

  it('writes no metrics with METRICS=false', async () => {
    vi.stubEnv('METRICS', 'false');
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    expect(linesWritten()[0]).not.toHaveProperty('_aws');
    expect(linesWritten()[0]).not.toHaveProperty('SignUps');
  });
});
