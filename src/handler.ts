import type { Context, PreSignUpTriggerEvent, PreSignUpTriggerHandler } from 'aws-lambda';
import { REFUSAL_TEXTS, type RefusalCode, type RefusalTexts } from './codes.js';
import type { Config } from './config/config.js';
import { type LoadedConfig, loadConfig } from './config/load-config.js';
import { decide, type FinalDecision } from './decide.js';
import { SignUpRefusedError } from './errors.js';
import { type Facts, NO_FACTS } from './facts.js';
import { eventFieldForLog, type InvocationLog, type Outcome, writeLog } from './log.js';
import type { FactGatherer, LookupFailure } from './lookups/gather-facts.js';
import type { ResponseFlags } from './rules/confirmation.js';
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

// The lookups and their module load on first use, so a configuration without lookup rules never pays
// for them. A module that cannot load counts as failed lookups, so FAIL_OPEN still decides.
const gatherFacts: FactGatherer = async (names, input, config, budgetMs) => {
  let lookups: typeof import('./lookups/gather-facts.js');
  try {
    lookups = await import('./lookups/gather-facts.js');
  } catch (error) {
    return {
      facts: Object.fromEntries(names.map((name) => [name, 'unavailable'])),
      failures: names.map((lookup) => ({ lookup, error: errorName(error) })),
    };
  }
  return lookups.gatherFacts(names, input, config, budgetMs);
};

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

/** What every log line of an invocation carries, read once from the event. */
interface Seen {
  readonly triggerSource: string | undefined;
  readonly userPoolId: string | undefined;
  readonly emailDomain: string | undefined;
  readonly warnings: readonly string[] | undefined;
}

type Detail = Pick<InvocationLog, 'code' | 'rule' | 'flags' | 'dryRun' | 'lookupFailures' | 'configProblems'>;

// One object literal of a fixed shape: spreading partial records per call cost ~2 µs an invocation.
function log(seen: Seen, level: InvocationLog['level'], message: string, outcome: Outcome, detail: Detail): void {
  writeLog({
    level,
    message,
    outcome,
    code: detail.code,
    rule: detail.rule,
    triggerSource: seen.triggerSource,
    userPoolId: seen.userPoolId,
    emailDomain: seen.emailDomain,
    flags: detail.flags,
    dryRun: detail.dryRun,
    lookupFailures: detail.lookupFailures,
    configProblems: detail.configProblems,
    warnings: seen.warnings,
  });
}

const NO_DETAIL: Detail = {};

/**
 * One invocation: read the event, decide, write `response`, log one line, throw to refuse.
 * Returns the event itself (with `response` changed when the sign-up is accepted).
 * Throws only SignUpRefusedError: should anything else go wrong, the user sees
 * SERVICE_UNAVAILABLE rather than an internal message, and the log names the error.
 */
export async function handlePreSignUp(
  event: PreSignUpTriggerEvent | unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  try {
    return await handleOrRefuse(event, context, dependencies);
  } catch (error) {
    if (error instanceof SignUpRefusedError) throw error;
    const seen: Seen = { triggerSource: undefined, userPoolId: undefined, emailDomain: undefined, warnings: undefined };
    log(seen, 'ERROR', `Unexpected ${errorName(error)}: refused as SERVICE_UNAVAILABLE`, 'refused', {
      code: 'SERVICE_UNAVAILABLE',
    });
    const { loaded } = dependencies;
    throw refusal('SERVICE_UNAVAILABLE', loaded.ok ? loaded.config.texts : loaded.texts);
  }
}

async function handleOrRefuse(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  const { loaded } = dependencies;
  const texts = loaded.ok ? loaded.config.texts : loaded.texts;
  const warnings = dependencies.warnOnce();
  const reading = readSignUpEvent(event);
  const fields = isObject(event) ? event : undefined;
  const seen: Seen = {
    triggerSource: eventFieldForLog(fields?.triggerSource),
    userPoolId: eventFieldForLog(fields?.userPoolId),
    emailDomain: reading.kind === 'sign-up' ? reading.input.emailDomain : undefined,
    warnings: warnings.length > 0 ? warnings : undefined,
  };

  if (reading.kind === 'not-an-object') {
    log(seen, 'ERROR', 'The event is not a JSON object', 'refused', { code: 'EVENT_INVALID' });
    throw refusal('EVENT_INVALID', texts);
  }
  if (reading.kind === 'wrong-trigger') {
    log(
      seen,
      'WARN',
      'Not a pre sign-up event (attached to the wrong trigger?): returned unchanged',
      'unchanged',
      NO_DETAIL,
    );
    return event;
  }
  if (!loaded.ok) {
    const configProblems = loaded.error.issues;
    if (loaded.dryRun) {
      log(seen, 'ERROR', 'Invalid configuration; dry run, so nobody is refused', 'unchanged', {
        dryRun: true,
        configProblems,
      });
      return event;
    }
    log(seen, 'ERROR', 'Invalid configuration: every sign-up is refused', 'refused', {
      code: 'CONFIG_INVALID',
      configProblems,
    });
    throw refusal('CONFIG_INVALID', texts);
  }

  const { config } = loaded;
  const { decision, failures } = await decideWithLookups(
    reading.input,
    config,
    dependencies.gather,
    remainingBudget(context),
  );
  const lookupFailures = failures.length > 0 ? failures : undefined;
  const level = lookupFailures !== undefined || seen.warnings !== undefined ? 'WARN' : 'INFO';

  if (config.dryRun) {
    const flags = decision.outcome === 'accepted' ? flagsOf(decision) : undefined;
    const outcome: Outcome =
      decision.outcome === 'refused'
        ? 'would-refuse'
        : decision.outcome === 'unchanged'
          ? 'unchanged'
          : flags?.autoConfirmUser
            ? 'would-confirm'
            : 'would-leave-unconfirmed';
    const code = decision.outcome === 'refused' ? decision.code : undefined;
    log(seen, level, 'Dry run: nothing was changed', outcome, {
      code,
      rule: decision.rule,
      flags,
      dryRun: true,
      lookupFailures,
    });
    return event;
  }
  switch (decision.outcome) {
    case 'refused':
      log(seen, level, 'Sign-up refused', 'refused', { code: decision.code, rule: decision.rule, lookupFailures });
      throw refusal(decision.code, texts);
    case 'unchanged':
      log(seen, level, 'AdminCreateUser: Cognito ignores the response flags, so none were set', 'unchanged', {
        rule: decision.rule,
        lookupFailures,
      });
      return event;
    case 'accepted': {
      const flags = flagsOf(decision);
      // Only `response` changes; any other field the event carries is returned as received.
      const eventObject = event as Record<string, unknown>;
      const response = isObject(eventObject.response) ? eventObject.response : {};
      response.autoConfirmUser = flags.autoConfirmUser;
      response.autoVerifyEmail = flags.autoVerifyEmail;
      response.autoVerifyPhone = flags.autoVerifyPhone;
      eventObject.response = response;
      const outcome: Outcome = flags.autoConfirmUser ? 'confirmed' : 'unconfirmed';
      log(seen, level, 'Sign-up accepted', outcome, { rule: decision.rule, flags, lookupFailures });
      return event;
    }
  }
}

function flagsOf(decision: ResponseFlags): ResponseFlags {
  return {
    autoConfirmUser: decision.autoConfirmUser,
    autoVerifyEmail: decision.autoVerifyEmail,
    autoVerifyPhone: decision.autoVerifyPhone,
  };
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

// Only the name: an error's message may quote the email (a ListUsers filter, for one).
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function refusal(code: RefusalCode, texts: RefusalTexts | undefined): SignUpRefusedError {
  return new SignUpRefusedError(code, (texts ?? REFUSAL_TEXTS)[code]);
}
