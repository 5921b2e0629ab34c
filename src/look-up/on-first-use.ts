import type { Config } from '../config/load-config.js';
import type { FactName } from '../model/facts.js';
import { loadOnce, MODULE_LOAD_FIX } from './load-once.js';
import type { FactGatherer } from './lazy/gather-facts.js';

// Everything under ./lazy/ is built into files of its own and loaded with import() only when a
// configuration needs a lookup, so one without lookup rules never pays for it.
const loadLookups = loadOnce(() => import('./lazy/gather-facts.js'));

/**
 * Loads the lookups of these facts during init (their files, and anything they make once), so the
 * first sign-up does not wait for them. Never rejects: what fails here is tried again, and
 * reported, on the sign-up that needs it.
 */
export async function prewarmLookups(names: ReadonlySet<FactName>, config: Config): Promise<void> {
  if (names.size === 0) return;
  try {
    await (await loadLookups()).prewarm([...names], config);
  } catch {
    // Reported by the first sign-up that needs a lookup.
  }
}

/** The FactGatherer the handler uses: the lazy lookups, loaded on first use. */
export const gatherFactsOnFirstUse: FactGatherer = async (names, input, config, budgetMs) => {
  let module: typeof import('./lazy/gather-facts.js');
  try {
    module = await loadLookups();
  } catch {
    return {
      facts: Object.fromEntries(names.map((name) => [name, 'permanent-failure'])),
      failures: names.map((lookup) => ({
        lookup,
        error: 'ModuleLoadError',
        kind: 'permanent-failure',
        fix: MODULE_LOAD_FIX,
      })),
      warnings: [],
    };
  }
  return module.gatherFacts(names, input, config, budgetMs);
};
