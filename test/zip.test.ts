import { readFileSync } from 'node:fs';
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
