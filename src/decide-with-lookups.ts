import type { Context } from 'aws-lambda';
import type { Config } from './config/config.js';
import { decide, type FinalDecision } from './decide.js';
import { type Facts, MODULE_LOAD_FIX, NO_FACTS } from './facts.js';
import type { FactGatherer } from './lookups/gather-facts.js';
import type { LookupFailure } from './lookups/lookup-failure.js';
import type { SignUpInput } from './sign-up-input.js';

// Cognito gives up after 5 s. Lookups stop this long before the function's own timeout, and
// never take longer than the cap, so a refusal or a retry still reaches Cognito in time.
const LOOKUP_SAFETY_MARGIN_MS = 500;
const LOOKUP_CAP_MS = 2500;
// Each rule needs at most one round of lookups; more rounds than rules would mean a bug.
const MAX_LOOKUP_ROUNDS = 4;

// The lookups and their module load on first use, so a configuration without lookup rules never pays
// for them. A module that cannot load counts as failed lookups, so FAIL_OPEN still decides.
// The import is made once per container and kept; a failed one is forgotten so the next sign-up tries again.
let lookupsModule: Promise<typeof import('./lookups/gather-facts.js')> | undefined;

export const gatherFactsOnFirstUse: FactGatherer = async (names, input, config, budgetMs) => {
  let lookups: typeof import('./lookups/gather-facts.js');
  try {
    lookupsModule ??= import('./lookups/gather-facts.js');
    lookups = await lookupsModule;
  } catch {
    lookupsModule = undefined;
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
  return lookups.gatherFacts(names, input, config, budgetMs);
};

/** Decides, looking facts up as rules ask for them, within one time budget for all lookups. */
export async function decideWithLookups(
  input: SignUpInput,
  config: Config,
  gather: FactGatherer,
  budgetMs: number,
): Promise<{ decision: FinalDecision; failures: LookupFailure[]; warnings: string[] }> {
  const startedAt = Date.now();
  const failures: LookupFailure[] = [];
  const warnings: string[] = [];
  let facts: Facts = NO_FACTS;
  for (let round = 0; round <= MAX_LOOKUP_ROUNDS; round++) {
    const decision = decide(input, config, facts);
    if (decision.outcome !== 'needs-facts') return { decision, failures, warnings };
    if (round === MAX_LOOKUP_ROUNDS) break;
    const left = Math.max(budgetMs - (Date.now() - startedAt), 0);
    const gathered = await gather(decision.facts, input, config, left);
    facts = { ...facts, ...gathered.facts };
    failures.push(...gathered.failures);
    warnings.push(...gathered.warnings);
  }
  return { decision: { outcome: 'refused', code: 'SERVICE_UNAVAILABLE', rule: 'lookups' }, failures, warnings };
}

/** The time all lookups of one invocation may take, from what Lambda says is left. */
export function lookupBudget(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): number {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.NaN;
  if (!Number.isFinite(remaining)) return LOOKUP_CAP_MS;
  return Math.min(Math.max(remaining - LOOKUP_SAFETY_MARGIN_MS, 0), LOOKUP_CAP_MS);
}
