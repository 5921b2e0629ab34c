import { afterEach, beforeEach, vi } from 'vitest';

/** The JSON lines the handler writes through console, parsed, with the level each was written at. */
export function captureLog(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const written: Record<string, unknown>[] = [];
  const spies = (['info', 'warn', 'error'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((line: unknown) => {
      written.push({ via: method, ...(JSON.parse(String(line)) as Record<string, unknown>) });
    }),
  );
  return {
    lines: () => written,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * Captures the log around every test of the file (or describe block) that calls it, restoring
 * console after each, and returns the current test's lines.
 */
export function capturedLogOfEachTest(): () => Record<string, unknown>[] {
  let log: ReturnType<typeof captureLog> | undefined;
  beforeEach(() => {
    log = captureLog();
  });
  afterEach(() => {
    log?.restore();
  });
  return () => log?.lines() ?? [];
}
