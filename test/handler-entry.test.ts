import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { loadEvent } from './helpers/events.js';

// The exported `handler` reads process.env once per container, so each test loads a fresh module.
// It writes its line to stdout itself, which is what is watched here.
let stdout: MockInstance<typeof process.stdout.write>;
beforeEach(() => {
  vi.resetModules();
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stdout.mockRestore();
  vi.unstubAllEnvs();
});

function linesWritten(): Record<string, unknown>[] {
  return stdout.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);
}

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
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    expect(stdout).toHaveBeenCalledTimes(1);
    expect(String(stdout.mock.calls[0]?.[0])).toMatch(/^\{.*\}\n$/);
    expect(linesWritten()[0]).toMatchObject({
      level: 'INFO',
      requestId: 'request-1',
      function: 'PreSignUp',
      outcome: 'confirmed',
      SignUps: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'MyApp/SignUps' }] },
    });
  });

  it('logs a likely misspelling once per cold start, at WARN', async () => {
    vi.stubEnv('AUTO_CONFIM', 'false');
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
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    expect(linesWritten()).toEqual([
      { outcome: 'confirmed', SignUps: 1, LookupFailures: 0, _aws: expect.any(Object) as unknown },
    ]);
  });

  it('writes no metrics with METRICS=false', async () => {
    vi.stubEnv('METRICS', 'false');
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    expect(linesWritten()[0]).not.toHaveProperty('_aws');
    expect(linesWritten()[0]).not.toHaveProperty('SignUps');
  });
});
