import { MODULE_LOAD_FIX } from '../decide/facts.js';
import type { FactGatherer } from './lazy/gather-facts.js';

// Everything under ./lazy/ is built into files of its own and loaded with import() only when a
// rule first needs a lookup, so a configuration without lookup rules never pays for it. The
// import is made once per container and kept; a failed one is forgotten so the next sign-up
// tries again, and counts as a permanent failure of every lookup asked for.
let lookups: Promise<typeof import('./lazy/gather-facts.js')> | undefined;

/** The FactGatherer the handler uses: the lazy lookups, loaded on first use. */
export const gatherFactsOnFirstUse: FactGatherer = async (names, input, config, budgetMs) => {
  let module: typeof import('./lazy/gather-facts.js');
  try {
    lookups ??= import('./lazy/gather-facts.js');
    module = await lookups;
  } catch {
    lookups = undefined;
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
