import type { Context } from 'aws-lambda';
import type { Config } from '../config/load-config.js';
import { decide } from '../decide/decide.js';
import { type Facts, NO_FACTS } from '../decide/facts.js';
import { federatedLinkLogOf } from '../decide/rules/federated-link.js';
import { LOOKUP_CAP_MS, LOOKUP_SAFETY_MARGIN_MS } from '../limits.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decided } from '../respond/plan-response.js';
import type { FactGatherer } from './lazy/gather-facts.js';
import type { LookupFailure } from './lazy/lookup-failure.js';

// Each rule asks for at most one round of lookups, so more rounds than rules would mean a bug.
// Two rounds happen when a rule that runs late (the account guard) needs facts that only a rule
// before it could pass (the disposable list).
export const MAX_LOOKUP_ROUNDS = 4;

/** Decides, looking facts up as rules ask for them, within one time budget for all lookups. */
export async function decideWithLookups(
  input: SignUpInput,
  config: Config,
  gather: FactGatherer,
  budgetMs: number,
): Promise<Decided> {
  const startedAt = Date.now();
  const failures: LookupFailure[] = [];
  const warnings: string[] = [];
  let facts: Facts = NO_FACTS;
  for (let round = 0; round <= MAX_LOOKUP_ROUNDS; round++) {
    const decision = decide(input, config, facts);
    if (decision.outcome !== 'needs-facts') {
      return { decision, failures, warnings, federatedLink: federatedLinkLogOf(input, config, facts) };
    }
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
export function lookupBudget(context: Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined): number {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.NaN;
  if (!Number.isFinite(remaining)) return LOOKUP_CAP_MS;
  return Math.min(Math.max(remaining - LOOKUP_SAFETY_MARGIN_MS, 0), LOOKUP_CAP_MS);
}
