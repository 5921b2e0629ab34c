import type { Context } from 'aws-lambda';
import type { Config } from '../config/load-config.js';
import { decideBy } from '../decide/decide-by.js';
import type { FinalDecision } from '../decide/decision.js';
import type { RefusalRule } from '../decide/rules/rule.js';
import { FACT_NAMES, type Facts, NO_FACTS } from '../model/facts.js';
import { captchaLogOf } from '../decide/rules/captcha.js';
import { federatedLinkLogOf } from '../decide/rules/federated-link.js';
import { LOOKUP_CAP_MS, LOOKUP_SAFETY_MARGIN_MS } from '../model/limits.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decided } from '../respond/plan-response.js';
import type { FactGatherer } from './lazy/gather-facts.js';
import type { LookupFailure } from '../model/lookup-failure.js';

// Every round of lookups answers at least one fact that was not known, so there can be no more
// rounds than facts: one more would mean a bug, and is refused as SERVICE_UNAVAILABLE.
export const MAX_LOOKUP_ROUNDS = FACT_NAMES.length;

/** Decides, looking facts up as rules ask for them, within one time budget for all lookups. */
export async function decideWithLookups(
  rules: readonly RefusalRule[],
  input: SignUpInput,
  config: Config,
  gather: FactGatherer,
  budgetMs: number,
): Promise<Decided> {
  const startedAt = Date.now();
  const failures: LookupFailure[] = [];
  const warnings: string[] = [];
  const throttled: Record<string, number> = {};
  let facts: Facts = NO_FACTS;
  for (let round = 0; round <= MAX_LOOKUP_ROUNDS; round++) {
    const decision = decideBy(rules, input, config, facts);
    if (decision.outcome !== 'needs-facts') {
      return decidedOf(decision, input, config, facts, {
        failures,
        warnings,
        throttled: Object.keys(throttled).length > 0 ? throttled : undefined,
      });
    }
    if (round === MAX_LOOKUP_ROUNDS) break;
    const left = Math.max(budgetMs - (Date.now() - startedAt), 0);
    const gathered = await gather(decision.facts, input, config, left);
    facts = { ...facts, ...gathered.facts };
    failures.push(...gathered.failures);
    warnings.push(...gathered.warnings);
    for (const [operation, count] of Object.entries(gathered.throttled ?? {})) {
      throttled[operation] = (throttled[operation] ?? 0) + count;
    }
  }
  return { decision: { outcome: 'refused', code: 'SERVICE_UNAVAILABLE', rule: 'lookups' }, failures, warnings };
}

/**
 * A final decision with what the log line says of the facts it used: the link, the CAPTCHA verdict,
 * the limit that fired. Shared with the rule tester (tools/rule-tester), which answers the facts
 * itself, so that its log line is the function's.
 */
export function decidedOf(
  decision: FinalDecision,
  input: SignUpInput,
  config: Config,
  facts: Facts,
  lookups: Pick<Decided, 'failures' | 'warnings' | 'throttled'>,
): Decided {
  return {
    decision,
    failures: lookups.failures,
    warnings: lookups.warnings,
    federatedLink: federatedLinkLogOf(input, config, facts),
    captcha: captchaLogOf(config, facts),
    rateLimit: typeof facts.rateLimit === 'object' ? facts.rateLimit.exceeded : undefined,
    throttled: lookups.throttled,
  };
}

/** The time all lookups of one invocation may take, from what Lambda says is left. */
export function lookupBudget(context: Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined): number {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.NaN;
  if (!Number.isFinite(remaining)) return LOOKUP_CAP_MS;
  return Math.min(Math.max(remaining - LOOKUP_SAFETY_MARGIN_MS, 0), LOOKUP_CAP_MS);
}
