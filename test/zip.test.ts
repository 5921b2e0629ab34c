import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_PATH } from '../paths.mjs';
import { removeDir, runtimeFromEnvironment, startFunction, unzipToTemp } from '../tools/local/function-host.js';
import { EVENT_CASE_ROWS, expectOutcome } from './helpers/event-cases.js';
import { loadEvent } from './helpers/events.js';
import { invocationLines } from './helpers/function-logs.js';

const runtime = runtimeFromEnvironment();

describe(`the zip under the Lambda runtime client, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  let unzipped: string;
  beforeAll(() => {
    unzipped = unzipToTemp(readFileSync(ZIP_PATH));
  });
  afterAll(() => removeDir(unzipped));

  it.each(EVENT_CASE_ROWS)('runs %s with %s, outside the repository', async (file, _, eventCase) => {
    const running = await startFunction(unzipped, eventCase.env, runtime);
    try {
      const { result, error } = await running.invoke(loadEvent(file));
      expectOutcome(eventCase, { result, errorMessage: error?.errorMessage });
      if (error !== undefined) {
        // A refusal reads well in the runtime's own error line: its real name, and no stack trace.
        expect(error.errorType).toBe('SignUpRefusedError');
        expect(error.trace).toEqual([]);
      }
    } finally {
      await running.stop();
    }
    const lines = invocationLines(running.logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ function: 'PreSignUp', requestId: expect.any(String) });
    expect(running.logs.join('\n')).not.toMatch(/^\s+at /m);
  });
});

describe(`the zip without its settings and rules file, Node ${runtime.node}, ${runtime.logFormat} logs`, () => {
  // A deployment that lost lazy/settings-and-rules.mjs: a function with no settings never needs
  // it, and one with settings refuses rather than run without its rules.
  let unzipped: string;
  beforeAll(() => {
    unzipped = unzipToTemp(readFileSync(ZIP_PATH));
    rmSync(path.join(unzipped, 'lazy/settings-and-rules.mjs'));
  });
  afterAll(() => removeDir(unzipped));

  it('confirms and verifies with no settings: the entry holds their defaults', async () => {
    const running = await startFunction(unzipped, {}, runtime);
    try {
      const { result, error } = await running.invoke(loadEvent('sign-up.json'));
      expect(error).toBeUndefined();
      expect(result).toMatchObject({ response: { autoConfirmUser: true, autoVerifyEmail: true } });
    } finally {
      await running.stop();
    }
    expect(invocationLines(running.logs)).toMatchObject([{ outcome: 'confirmed' }]);
  });

  it('refuses with CONFIG_INVALID when a setting is set, naming it', async () => {
    const running = await startFunction(unzipped, { BLOCKED_EMAIL_DOMAINS: 'blocked.example' }, runtime);
    try {
      const { error } = await running.invoke(loadEvent('sign-up.json'));
      expect(error?.errorMessage).toMatch(/^CONFIG_INVALID: /);
    } finally {
      await running.stop();
    }
    expect(invocationLines(running.logs)).toMatchObject([
      { outcome: 'refused', configProblems: [{ variable: 'BLOCKED_EMAIL_DOMAINS' }] },
    ]);
  });
});
