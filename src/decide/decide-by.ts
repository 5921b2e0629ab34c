import type { Config } from '../config/load-config.js';
import type { SignUpInput } from '../read/sign-up-event.js';
import type { Decision, FinalDecision } from './decision.js';
import type { RefusalCode } from '../model/refusal-codes.js';
import { CAPTCHA_GATED_FACTS, type FactName, type Facts, READ_ONLY_FACTS } from '../model/facts.js';
import { acceptanceFor } from './rules/confirmation.js';
import { isLogOnly, type RefusalRule, type RuleContext } from './rules/rule.js';

/**
 * Whether a pending fact may be looked up while later rules' read-only facts are looked up beside
 * it: a read-only one, or a CAPTCHA check (its token is single-use anyway, and the widget makes a
 * new one for the next try). An invitation use is never spent on a sign-up a later rule refuses.
 */
function mayRunBeside(name: FactName): boolean {
  return READ_ONLY_FACTS.has(name) || name === 'captcha';
}

/**
 * Which later rules' facts may be looked up beside `pending`: read-only ones, and never one that
 * CAPTCHA gates beside a CAPTCHA check (its lookup would cost a bot's sign-up a query).
 */
function mayJoin(pending: readonly FactName[]): (name: FactName) => boolean {
  const besideCaptcha = pending.includes('captcha');
  return (name) => READ_ONLY_FACTS.has(name) && !(besideCaptcha && CAPTCHA_GATED_FACTS.has(name));
}

/**
 * Decides a sign-up. Pure: no environment, no I/O, never throws. When a rule needs an outside
 * fact it says so, the caller looks it up and calls again, so that lookups happen only when a
 * rule actually reaches them. The first refusal wins, in the order of `rules` (REFUSAL_RULES).
 *
 * While a rule waits for a fact, the rules after it still run, so that facts are looked up in
 * parallel; but only facts that change nothing (READ_ONLY_FACTS) are asked for beside another's,
 * and only beside one whose spending cannot be wasted (see mayRunBeside): an invitation use, a
 * count or a link is spent only once every rule before it has passed, and no later rule's lookup
 * runs beside it. A later rule's refusal waits for the earlier rule's answer.
 */
export function decideBy(rules: readonly RefusalRule[], input: SignUpInput, config: Config, facts: Facts): Decision {
  const context: RuleContext = { input, config, facts };
  let pending: FactName[] | undefined;
  let wouldRefuse: RefusalCode[] | undefined;
  for (const rule of rules) {
    const verdict = rule.check(context);
    if (verdict === undefined) continue;
    if (verdict.outcome === 'refused') {
      // A log-only rule's refusal is noted, and the sign-up goes on as if the rule had passed.
      if (isLogOnly(rule, config, input)) {
        (wouldRefuse ??= []).push(verdict.code);
        continue;
      }
      if (pending === undefined) return withWouldRefuse(verdict, wouldRefuse);
      break;
    }
    if (pending === undefined) pending = [...verdict.facts];
    else if (pending.every(mayRunBeside) && verdict.facts.every(mayJoin(pending))) {
      pending.push(...verdict.facts);
    } else break;
  }
  if (pending !== undefined) return { outcome: 'needs-facts', facts: pending };
  if (input.source === 'PreSignUp_AdminCreateUser') {
    return withWouldRefuse({ outcome: 'unchanged', rule: 'AdminCreateUser' }, wouldRefuse);
  }
  return withWouldRefuse(acceptanceFor(context), wouldRefuse);
}

function withWouldRefuse<D extends FinalDecision>(decision: D, wouldRefuse: readonly RefusalCode[] | undefined): D {
  return wouldRefuse === undefined ? decision : { ...decision, wouldRefuse };
}
