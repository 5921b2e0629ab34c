import { vi } from 'vitest';

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
