import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLog } from './helpers/capture-log.js';
import { loadEvent } from './helpers/events.js';

// The exported `handler` reads process.env once per container, so each test loads a fresh module.
let log: ReturnType<typeof captureLog>;
beforeEach(() => {
  vi.resetModules();
  log = captureLog();
});
afterEach(() => {
  log.restore();
  vi.unstubAllEnvs();
});

async function freshHandler() {
  const { handler } = await import('../src/handler.js');
  return (event: unknown) => handler(event as never, { getRemainingTimeInMillis: () => 5000 } as never, () => {});
}

describe('handler', () => {
  it('reads its settings from process.env', async () => {
    vi.stubEnv('BLOCKED_EMAIL_DOMAINS', 'example.com');
    const handler = await freshHandler();
    await expect(handler(loadEvent('sign-up.json'))).rejects.toThrow('EMAIL_DOMAIN_BLOCKED: ');
  });

  it('logs a likely misspelling once per cold start, at WARN', async () => {
    vi.stubEnv('AUTO_CONFIM', 'false');
    const handler = await freshHandler();
    await handler(loadEvent('sign-up.json'));
    await handler(loadEvent('sign-up.json'));
    const [first, second] = log.lines();
    expect(first).toMatchObject({
      level: 'WARN',
      outcome: 'confirmed',
      warnings: ['AUTO_CONFIM is set but not read: did you mean AUTO_CONFIRM?'],
    });
    expect(second).toMatchObject({ level: 'INFO', outcome: 'confirmed' });
    expect(second).not.toHaveProperty('warnings');
  });
});
