import { beforeEach } from 'vitest';

// The log lines the handler wrote when run from the sources (invokeSource writes here).
const written: string[] = [];

/** The sink invokeSource gives the handler's logger. */
export function writeToCapturedLog(line: string): void {
  written.push(line);
}

/**
 * Empties the captured log before every test of the file (or describe block) that calls it, and
 * returns a reader of the current test's lines, each parsed from its JSON.
 */
export function capturedLogOfEachTest(): () => Record<string, unknown>[] {
  beforeEach(() => {
    written.length = 0;
  });
  return () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
}
