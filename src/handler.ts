import type { Context, PreSignUpTriggerEvent, PreSignUpTriggerHandler } from 'aws-lambda';
import { REFUSAL_TEXTS, type RefusalCode, type RefusalTexts } from './codes.js';
import type { Config } from './config/config.js';
import { type LoadedConfig, loadConfig } from './config/load-config.js';
import { decide, type FinalDecision } from './decide.js';
import { SignUpRefusedError } from './errors.js';
import { type Facts, NO_FACTS } from './facts.js';
import { eventFieldForLog, type InvocationLog, type Outcome, writeLog } from './log.js';
import type { FactGatherer, LookupFailure } from './lookups/gather-facts.js';
import { isObject, readSignUpEvent, type SignUpInput } from './sign-up-input.js';

// Cognito gives up after 5 s. Lookups stop this long before the function's own timeout, and
// never take longer than the cap, so a refusal or a retry still reaches Cognito in time.
const LOOKUP_SAFETY_MARGIN_MS = 500;
const LOOKUP_CAP_MS = 2500;
// Each rule needs at most one round of lookups; more rounds than rules would mean a bug.
const MAX_LOOKUP_ROUNDS = 4;

/** What one invocation depends on besides the event, so tests can supply their own. */
export interface HandlerDependencies {
  readonly loaded: LoadedConfig;
  readonly gather: FactGatherer;
  /** Whether configuration warnings (likely misspellings…) are still to be logged this cold start. */
  readonly warnOnce: () => readonly string[];
}

// The lookups and their module load on first use, so a configuration without lookup rules never pays for them.
const gatherFacts: FactGatherer = async (...args) => (await import('./lookups/gather-facts.js')).gatherFacts(...args);

let loadedOnce: LoadedConfig | undefined;
let warned = false;

/**
 * The Lambda entry point (`index.handler`). Settings are read on the first invocation, not at
 * import, so that a bad setting can never crash the import: it refuses sign-ups with
 * CONFIG_INVALID and an ERROR log line instead.
 */
export const handler: PreSignUpTriggerHandler = async (event, context) => {
  loadedOnce ??= loadConfig(process.env);
  const loaded = loadedOnce;
  return handlePreSignUp(event, context, {
    loaded,
    gather: gatherFacts,
    warnOnce: () => {
      if (warned) return [];
      warned = true;
      return loaded.warnings;
    },
  });
};

/**
 * One invocation: read the event, decide, write `response`, log one line, throw to refuse.
 * Returns the event itself (with `response` changed when the sign-up is accepted).
 */
export async function handlePreSignUp(
  event: PreSignUpTriggerEvent | unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  const { loaded } = dependencies;
  const warnings = dependencies.warnOnce();
  const texts = loaded.ok ? loaded.config.texts : loaded.texts;
  const base = {
    triggerSource: isObject(event) ? eventFieldForLog(event.triggerSource) : undefined,
    userPoolId: isObject(event) ? eventFieldForLog(event.userPoolId) : undefined,
    warnings: warnings.length > 0 ? warnings : undefined,
  };

  const reading = readSignUpEvent(event);
  if (reading.kind === 'not-an-object') {
    writeLog({
      ...base,
      level: 'ERROR',
      message: 'The event is not a JSON object',
      outcome: 'refused',
      code: 'EVENT_INVALID',
    });
    throw refusal('EVENT_INVALID', texts);
  }
  if (reading.kind === 'wrong-trigger') {
    writeLog({
      ...base,
      level: 'WARN',
      message:
        'Not a pre sign-up event: is the function attached to the right trigger? The event is returned unchanged',
      outcome: 'unchanged',
    });
    return event;
  }

  const { input } = reading;
  const logged = { ...base, emailDomain: input.emailDomain };
  if (!loaded.ok) {
    const dryRun = loaded.dryRun;
    writeLog({
      ...logged,
      level: 'ERROR',
      message: dryRun
        ? 'Invalid configuration; DRY_RUN is on, so nobody is refused and the event is returned unchanged'
        : 'Invalid configuration: every sign-up is refused until it is fixed',
      outcome: dryRun ? 'unchanged' : 'refused',
      code: dryRun ? undefined : 'CONFIG_INVALID',
      dryRun: dryRun || undefined,
      configProblems: loaded.error.issues,
    });
    if (dryRun) return event;
    throw refusal('CONFIG_INVALID', texts);
  }

  const { config } = loaded;
  const { decision, failures } = await decideWithLookups(input, config, dependencies.gather, remainingBudget(context));
  const failed = failures.length > 0 ? failures : undefined;
  const level = failed !== undefined || warnings.length > 0 ? 'WARN' : 'INFO';

  if (config.dryRun) {
    writeLog({
      ...logged,
      level,
      message: 'Dry run: nothing was changed',
      ...dryRunOutcome(decision),
      dryRun: true,
      lookupFailures: failed,
    });
    return event;
  }
  switch (decision.outcome) {
    case 'refused':
      writeLog({
        ...logged,
        level,
        message: 'Sign-up refused',
        outcome: 'refused',
        code: decision.code,
        rule: decision.rule,
        lookupFailures: failed,
      });
      throw refusal(decision.code, texts);
    case 'unchanged':
      writeLog({
        ...logged,
        level,
        message: 'AdminCreateUser: Cognito ignores the response flags for this source, so none were set',
        outcome: 'unchanged',
        rule: decision.rule,
        lookupFailures: failed,
      });
      return event;
    case 'accepted': {
      const flags = {
        autoConfirmUser: decision.autoConfirmUser,
        autoVerifyEmail: decision.autoVerifyEmail,
        autoVerifyPhone: decision.autoVerifyPhone,
      };
      // Only `response` changes; any other field the event carries is returned as received.
      const eventObject = event as Record<string, unknown>;
      eventObject.response = { ...(isObject(eventObject.response) ? eventObject.response : {}), ...flags };
      const outcome: Outcome = flags.autoConfirmUser ? 'confirmed' : 'unconfirmed';
      writeLog({
        ...logged,
        level,
        message: 'Sign-up accepted',
        outcome,
        rule: decision.rule,
        flags,
        lookupFailures: failed,
      });
      return event;
    }
  }
}

/** Decides, looking facts up as rules ask for them, within one time budget for all lookups. */
async function decideWithLookups(
  input: SignUpInput,
  config: Config,
  gather: FactGatherer,
  budgetMs: number,
): Promise<{ decision: FinalDecision; failures: LookupFailure[] }> {
  const startedAt = Date.now();
  const failures: LookupFailure[] = [];
  let facts: Facts = NO_FACTS;
  for (let round = 0; round <= MAX_LOOKUP_ROUNDS; round++) {
    const decision = decide(input, config, facts);
    if (decision.outcome !== 'needs-facts') return { decision, failures };
    if (round === MAX_LOOKUP_ROUNDS) break;
    const left = Math.max(budgetMs - (Date.now() - startedAt), 0);
    const gathered = await gather(decision.facts, input, config, left);
    facts = { ...facts, ...gathered.facts };
    failures.push(...gathered.failures);
  }
  return { decision: { outcome: 'refused', code: 'SERVICE_UNAVAILABLE', rule: 'lookups' }, failures };
}

function remainingBudget(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): number {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.NaN;
  if (!Number.isFinite(remaining)) return LOOKUP_CAP_MS;
  return Math.min(Math.max(remaining - LOOKUP_SAFETY_MARGIN_MS, 0), LOOKUP_CAP_MS);
}

function dryRunOutcome(decision: FinalDecision): Pick<InvocationLog, 'outcome' | 'code' | 'rule' | 'flags'> {
  switch (decision.outcome) {
    case 'refused':
      return { outcome: 'would-refuse', code: decision.code, rule: decision.rule };
    case 'accepted':
      return {
        outcome: decision.autoConfirmUser ? 'would-confirm' : 'would-leave-unconfirmed',
        rule: decision.rule,
        flags: {
          autoConfirmUser: decision.autoConfirmUser,
          autoVerifyEmail: decision.autoVerifyEmail,
          autoVerifyPhone: decision.autoVerifyPhone,
        },
      };
    case 'unchanged':
      return { outcome: 'unchanged', rule: decision.rule };
  }
}

function refusal(code: RefusalCode, texts: RefusalTexts | undefined): SignUpRefusedError {
  return new SignUpRefusedError(code, (texts ?? REFUSAL_TEXTS)[code]);
}
