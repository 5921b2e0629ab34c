// The rule tester's core: one sign-up event under some settings, decided by the function's own
// code (the event reader, the settings and rules documents readers, the rules, the response plan
// and the log line writer), with every lookup answered from `facts` or by the answer that admits.
// Browser-safe (no node: imports, no files): `npm run rules -- test` and the playground both call it.
import { type ContainerConfig, containerConfigOfEnvironment } from '../../src/config/container-config.js';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import type { Env } from '../../src/config/env-reader.js';
import { REFUSAL_RULES, type RuleName } from '../../src/decide/decide.js';
import { decideBy } from '../../src/decide/decide-by.js';
import type { FinalDecision, ResponseFlags } from '../../src/decide/decision.js';
import { isLogOnly, type RefusalRule } from '../../src/decide/rules/rule.js';
import { createInvocationLogger, type Outcome } from '../../src/log/invocation-log.js';
import { decidedOf, MAX_LOOKUP_ROUNDS } from '../../src/look-up/decide-with-lookups.js';
import { type FactName, type Facts, isFailure } from '../../src/model/facts.js';
import type { LookupFailure } from '../../src/model/lookup-failure.js';
import type { RefusalCode } from '../../src/model/refusal-codes.js';
import { isObject, readSignUpEvent, type SignUpInput } from '../../src/read/sign-up-event.js';
import { planResponse } from '../../src/respond/plan-response.js';
import { SignUpRefusedError } from '../../src/respond/refusals.js';
import { admittingAnswer, readTesterFacts, TesterInputError } from './tester-facts.js';
import { suggestedDomainFor } from '../../src/look-up/lazy/email-domain-typo.js';

export { TesterInputError } from './tester-facts.js';

/** What the tester is asked. */
// The tester's interface, for the browser playground as much as for the command line.
// ts-unused-exports:disable-next-line
export interface TesterInput {
  /**
   * The settings: `KEY=VALUE` lines, as the Lambda console's environment holds them (blank lines
   * and `#` comments skipped), or a rules document (JSON text, told apart by its leading `{`).
   */
  readonly settings: string;
  /** A rules document to read with `settings` as the environment, as RULES_FILE would name it. */
  readonly document?: string | undefined;
  /** The event, as the Lambda console's test event holds it (parsed JSON). */
  readonly event: unknown;
  /** The app client the sign-up comes through, in place of the event's `callerContext.clientId`. */
  readonly clientId?: string | undefined;
  /**
   * The lookups' answers (see Facts; `"transient-failure"` or `"permanent-failure"` for a lookup
   * that failed). A fact not given is assumed to be the answer that admits, and the rule says so.
   */
  readonly facts?: unknown;
}

/** What one rule did with the sign-up. */
// ts-unused-exports:disable-next-line
export interface RuleReport {
  /** The rule's name, as its unit declares it. */
  readonly rule: RuleName;
  /**
   * - `off`: the settings do not turn it on;
   * - `passed` / `refused`: what it decided (a refusal ends the sign-up: later rules are `not-reached`);
   * - `log-only`: it would have refused with `code`, but LOG_ONLY_RULES names it;
   * - `not-reached`: an earlier rule refused, so the function never ran it.
   */
  readonly verdict: 'off' | 'passed' | 'refused' | 'log-only' | 'not-reached';
  readonly code?: RefusalCode;
  /** The lookups it asked for that the facts did not answer, with the answer assumed. */
  readonly assumed?: Partial<Facts>;
}

/** What the tester says: the `--json` object of `npm run rules -- test`. */
export interface TesterResult {
  /** `refused`, or the outcome the log line gives (`confirmed`, `unconfirmed`, `unchanged`, `would-…`). */
  readonly outcome: Outcome;
  /** The refusal's code, when refused. */
  readonly code?: RefusalCode;
  /** The refusal as the user sees it: `PreSignUp failed with error CODE: text.` */
  readonly message?: string;
  /** The three flags the function sets in `response`, when it sets them. */
  readonly flags?: ResponseFlags;
  /** Every rule, in the order the function runs them. */
  readonly rules: readonly RuleReport[];
  /** The log line the function writes (with its metrics block, when METRICS is on). */
  readonly log: Record<string, unknown>;
}

/**
 * Decides one sign-up as the function would, with no lookup made. Throws TesterInputError for
 * settings text that is not `KEY=VALUE` lines or for facts of the wrong shape; anything wrong with
 * the settings themselves is what the function makes of it (CONFIG_INVALID) and the event is read
 * as the function reads it, whatever it is.
 */
export function evaluate(input: TesterInput): TesterResult {
  const given = input.facts === undefined ? {} : readTesterFacts(input.facts);
  const container = containerOf(input.settings, input.document);
  const reading = readSignUpEvent(withClient(input.event, input.clientId));
  const clientId = reading.labels.clientId;
  const loaded = (clientId === undefined ? undefined : container.byClient.get(clientId)) ?? container.loaded;
  // As on the first sign-up of a cold start, which logs the settings' warnings (see the handler).
  const warnings = reading.kind === 'sign-up' && loaded.issues.length === 0 ? container.loaded.warnings : [];
  const rulesOn = REFUSAL_RULES.filter((rule) => rule.isOn(loaded.config));

  let decided;
  let reports: RuleReport[];
  if (reading.kind === 'sign-up' && loaded.issues.length === 0) {
    const answered = answerFacts(rulesOn, reading.input, loaded.config, given);
    decided = decidedOf(answered.decision, reading.input, loaded.config, answered.facts, {
      failures: answered.failures,
      warnings: [],
      throttled: undefined,
    });
    reports = ruleReports(reading.input, loaded.config, answered.facts, answered.assumed);
  } else {
    reports = REFUSAL_RULES.map((rule) => ({
      rule: rule.name,
      verdict: rule.isOn(loaded.config) && loaded.issues.length === 0 ? 'not-reached' : 'off',
    }));
  }
  const plan = planResponse(reading, loaded, decided, warnings);

  const lines: string[] = [];
  createInvocationLogger({
    functionName: undefined,
    logLevel: undefined,
    // As the handler's logger: made once from the top level (METRICS is environment only), never a client's.
    metricsNamespace: container.loaded.config.metricsNamespace,
    write: (line) => lines.push(line),
  })(plan.log, undefined);
  const log = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;

  switch (plan.action) {
    case 'refuse':
      return {
        outcome: 'refused',
        code: plan.code,
        message: `PreSignUp failed with error ${new SignUpRefusedError(plan.code, plan.text).message}.`,
        rules: reports,
        log,
      };
    case 'set-flags':
      return { outcome: plan.log.outcome, flags: plan.flags, rules: reports, log };
    case 'return-unchanged':
      return { outcome: plan.log.outcome, rules: reports, log };
  }
}

/** The settings as the function reads them: the environment's, with a rules document. */
function containerOf(settings: string, document: string | undefined): ContainerConfig {
  if (settings.trimStart().startsWith('{')) {
    if (document !== undefined) throw new TesterInputError('Give one rules document, not two');
    return containerConfigWithDocument({}, settings, 'RULES_FILE');
  }
  const env = readEnvironmentLines(settings);
  if (document !== undefined) return containerConfigWithDocument(env, document, 'RULES_FILE');
  for (const name of ['RULES_FILE', 'RULES_PARAMETER'] as const) {
    if ((env[name]?.trim() ?? '') !== '') {
      throw new TesterInputError(
        `${name} names a rules document, which the tester does not read from there: give the document itself (--document FILE)`,
      );
    }
  }
  return containerConfigOfEnvironment(env);
}

// A variable's name as Lambda accepts it.
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * `KEY=VALUE` lines into an environment: the value is everything after the first `=`, as typed
 * (Lambda keeps spaces; the settings reader trims what it reads). Blank lines and lines starting
 * with `#` are skipped. A line that is neither names its number, never its text (it may be a secret).
 */
function readEnvironmentLines(text: string): Env {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const equals = line.indexOf('=');
    const name = equals < 0 ? '' : line.slice(0, equals).trim();
    if (!VARIABLE_NAME.test(name)) {
      throw new TesterInputError(
        `Line ${String(index + 1)} of the settings is not KEY=VALUE (a variable's name: a letter, then letters, digits and _)`,
      );
    }
    if (name in env) throw new TesterInputError(`Line ${String(index + 1)} of the settings sets ${name} again`);
    env[name] = line.slice(equals + 1);
  }
  return env;
}

/** The event with `callerContext.clientId` set to `clientId` (a copy: the caller's stays as it is). */
function withClient(event: unknown, clientId: string | undefined): unknown {
  if (clientId === undefined || !isObject(event)) return event;
  const callerContext = isObject(event.callerContext) ? event.callerContext : {};
  return { ...event, callerContext: { ...callerContext, clientId } };
}

interface Answered {
  readonly decision: FinalDecision;
  readonly facts: Facts;
  readonly assumed: Partial<Facts>;
  readonly failures: readonly LookupFailure[];
}

/**
 * A fact the function answers without any lookup, which the tester therefore answers as it does:
 * EMAIL_TYPO_CHECK's suggestion (the typo library and its guard are local code).
 */
function localAnswer(name: FactName, input: SignUpInput, config: Parameters<typeof decideBy>[2]): Facts[FactName] {
  if (name !== 'emailDomainTypo' || input.emailDomain === undefined) return undefined;
  return { suggestion: suggestedDomainFor(input.emailDomain, config.emailTypoDomains ?? []) };
}

/**
 * Decides as the lookup loop does (decideWithLookups), answering each round's facts from `given`,
 * or with the answer that admits: the same rounds, so the same facts are asked for and no other.
 */
function answerFacts(
  rules: readonly RefusalRule[],
  input: SignUpInput,
  config: Parameters<typeof decideBy>[2],
  given: Partial<Facts>,
): Answered {
  let facts: Facts = {};
  const assumed: Record<string, unknown> = {};
  const failures: LookupFailure[] = [];
  for (let round = 0; round <= MAX_LOOKUP_ROUNDS; round++) {
    const decision = decideBy(rules, input, config, facts);
    if (decision.outcome !== 'needs-facts') return { decision, facts, assumed, failures };
    const answers: Record<string, unknown> = {};
    for (const name of decision.facts) {
      const answer = given[name] ?? localAnswer(name, input, config);
      if (answer === undefined) {
        answers[name] = assumed[name] = admittingAnswer(name, input);
      } else {
        answers[name] = answer;
        if (isFailure(answer)) failures.push({ lookup: name, error: 'GivenInFacts', kind: answer });
      }
    }
    facts = { ...facts, ...answers };
  }
  // Each round answers every fact asked, so this is never reached; the function refuses here too.
  return {
    decision: { outcome: 'refused', code: 'SERVICE_UNAVAILABLE', rule: 'lookups' },
    facts,
    assumed,
    failures,
  };
}

/**
 * Each rule's verdict with the facts the decision used: the rules run in order, as decideBy runs
 * them, until one that is enforced refuses.
 */
function ruleReports(
  input: SignUpInput,
  config: Parameters<typeof decideBy>[2],
  facts: Facts,
  assumed: Partial<Facts>,
): RuleReport[] {
  let refused = false;
  return REFUSAL_RULES.map((rule): RuleReport => {
    if (!rule.isOn(config)) return { rule: rule.name, verdict: 'off' };
    if (refused) return { rule: rule.name, verdict: 'not-reached' };
    const verdict = rule.check({ input, config, facts });
    const itsAssumptions = assumptionsOf(rule, assumed);
    const withAssumptions = itsAssumptions === undefined ? {} : { assumed: itsAssumptions };
    if (verdict?.outcome === 'refused') {
      if (isLogOnly(rule, config, input))
        return { rule: rule.name, verdict: 'log-only', code: verdict.code, ...withAssumptions };
      refused = true;
      return { rule: rule.name, verdict: 'refused', code: verdict.code, ...withAssumptions };
    }
    // A rule still waiting for a fact was never reached by the function's loop either.
    if (verdict !== undefined) return { rule: rule.name, verdict: 'not-reached' };
    return { rule: rule.name, verdict: 'passed', ...withAssumptions };
  });
}

function assumptionsOf(rule: RefusalRule, assumed: Partial<Facts>): Partial<Facts> | undefined {
  const mine = rule.facts.filter((name: FactName) => assumed[name] !== undefined);
  if (mine.length === 0) return undefined;
  return Object.fromEntries(mine.map((name) => [name, assumed[name]]));
}
