// Loaded on first use only: with no lookup rule configured, a cold start never reads this file.
import type { Config } from '../../config/load-config.js';
import type { AnyFactValue, FactName, Facts } from '../../model/facts.js';
import { errorName } from '../../model/error-name.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import { failureKindOf, LookupTimeoutError } from './lookup-failure.js';
import { type LookupFailure } from '../../model/lookup-failure.js';
import { fixFor, LOOKUPS } from './lookups.js';
import { startCallRound, throttledIn } from './call-round.js';

interface GatheredFacts {
  readonly facts: Facts;
  readonly failures: readonly LookupFailure[];
  /** Things worth a WARN that did not stop a lookup (a malformed invitation row…); nothing personal. */
  readonly warnings: readonly string[];
  /** AWS calls answered with throttling (a quota), by operation, retried or not; undefined when none was. */
  readonly throttled?: Readonly<Record<string, number>> | undefined;
}

/** Looks up facts for the decision within a time budget; never rejects. */
export type FactGatherer = (
  names: readonly FactName[],
  input: SignUpInput,
  config: Config,
  budgetMs: number,
) => Promise<GatheredFacts>;

/**
 * Runs the requested lookups in parallel. They share one deadline: a single timer that aborts
 * their signal, and also cuts off any lookup that ignored the signal, so nothing can hold the
 * sign-up past the budget. The timer is cleared when the lookups end: a burst of sign-ups leaves
 * no timers or signals behind.
 */
export const gatherFacts: FactGatherer = async (names, input, config, budgetMs) => {
  const controller = new AbortController();
  const deadline = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new LookupTimeoutError()), { once: true });
  });
  // Nobody may be waiting on the deadline when it fires after the last lookup lost a race.
  deadline.catch(() => undefined);
  const timer = setTimeout(() => controller.abort(), Math.max(budgetMs, 1));
  // The AWS client retries a throttled call only while a retry can answer before this deadline.
  startCallRound(controller.signal, Date.now() + budgetMs);
  const failures: LookupFailure[] = [];
  const warnings: string[] = [];
  try {
    const entries = await Promise.all(
      names.map(async (name): Promise<[FactName, AnyFactValue]> => {
        try {
          const answer = await Promise.race([LOOKUPS[name].run(input, config, controller.signal), deadline]);
          if (answer.warning !== undefined) warnings.push(answer.warning);
          return [name, answer.value];
        } catch (error) {
          const kind = failureKindOf(error);
          const thrown = errorName(error);
          const fix = kind === 'permanent-failure' ? fixFor(name, thrown, config) : undefined;
          failures.push({ lookup: name, error: thrown, kind, fix });
          return [name, kind];
        }
      }),
    );
    return { facts: Object.fromEntries(entries), failures, warnings, throttled: throttledIn(controller.signal) };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Loads the lookups of these facts (their files, and the disposable list's set) for this
 * configuration, so that the first sign-up does not wait for it. Never rejects: whatever fails here
 * fails again, and is reported, on the sign-up that needs it.
 */
export async function prewarm(names: readonly FactName[], config: Config): Promise<void> {
  await Promise.allSettled(names.map((name) => LOOKUPS[name].load(config)));
}
