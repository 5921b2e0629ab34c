/**
 * The function's own lines among everything the runtime process wrote: top-level JSON objects with
 * an `outcome`. The runtime client's own lines (its "Invoke Error" line for a refusal, in either log
 * format) are left out.
 */
export function invocationLines(logs: readonly string[]): Record<string, unknown>[] {
  return logs.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    const parsed = JSON.parse(line) as Record<string, unknown>;
    return 'outcome' in parsed ? [parsed] : [];
  });
}
