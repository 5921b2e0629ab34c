// What one round of lookups shares with the AWS calls its lookups make, found by the signal they
// all carry: when the round must end, so that a throttled call is retried only while a retry can
// still answer in time, and how many calls AWS throttled, by operation, for the Throttled metric.
// Kept by signal rather than passed along, so that no lookup's signature changes for it. A small
// file of its own: gather-facts.ts needs it without loading the AWS client.

interface CallRound {
  /** `Date.now()` by which the round's lookups must have answered. */
  readonly deadline: number;
  readonly throttled: Map<string, number>;
}

const rounds = new WeakMap<AbortSignal, CallRound>();

/** Registers a round of lookups that all carry this signal and must answer by `deadline`. */
export function startCallRound(signal: AbortSignal, deadline: number): void {
  rounds.set(signal, { deadline, throttled: new Map() });
}

/** When the round carrying this signal must end; undefined for a call made outside a round. */
export function deadlineOf(signal: AbortSignal): number | undefined {
  return rounds.get(signal)?.deadline;
}

/** Counts one throttled answer to this operation, in the round carrying this signal. */
export function countThrottled(signal: AbortSignal, operation: string): void {
  const round = rounds.get(signal);
  round?.throttled.set(operation, (round.throttled.get(operation) ?? 0) + 1);
}

/** The throttled answers of the round carrying this signal, by operation; undefined when there were none. */
export function throttledIn(signal: AbortSignal): Readonly<Record<string, number>> | undefined {
  const throttled = rounds.get(signal)?.throttled;
  return throttled === undefined || throttled.size === 0 ? undefined : Object.fromEntries(throttled);
}
