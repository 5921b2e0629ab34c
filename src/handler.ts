import type { Context, PreSignUpTriggerEvent, PreSignUpTriggerHandler } from 'aws-lambda';
import type { RefusalCode, RefusalTexts } from './codes.js';
import { type LoadedConfig, loadConfig } from './config/load-config.js';
import { decideWithLookups, gatherFactsOnFirstUse, lookupBudget } from './decide-with-lookups.js';
import { errorName, SignUpRefusedError } from './errors.js';
import { eventFieldForLog, logInvocation, NO_DETAIL, type Outcome, type Seen } from './log.js';
import type { FactGatherer } from './lookups/gather-facts.js';
import type { ResponseFlags } from './rules/confirmation.js';
import { isObject, readSignUpEvent } from './sign-up-input.js';

/** What one invocation depends on besides the event, so tests can supply their own. */
export interface HandlerDependencies {
  readonly loaded: LoadedConfig;
  readonly gather: FactGatherer;
  /** Whether configuration warnings (likely misspellings…) are still to be logged this cold start. */
  readonly warnOnce: () => readonly string[];
}

let dependenciesOnce: HandlerDependencies | undefined;

/** The settings, read once per cold start, and what goes with them for every invocation. */
function dependenciesOfThisContainer(): HandlerDependencies {
  const loaded = loadConfig(process.env);
  let warned = false;
  return {
    loaded,
    gather: gatherFactsOnFirstUse,
    warnOnce: () => {
      if (warned) return [];
      warned = true;
      return loaded.warnings;
    },
  };
}

/**
 * The Lambda entry point (`index.handler`). Settings are read on the first invocation, not at
 * import, so that a bad setting can never crash the import: it refuses sign-ups with
 * CONFIG_INVALID and an ERROR log line instead.
 */
export const handler: PreSignUpTriggerHandler = async (event, context) => {
  dependenciesOnce ??= dependenciesOfThisContainer();
  return handlePreSignUp(event, context, dependenciesOnce);
};

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
    const fields = isObject(event) ? event : undefined;
    const seen: Seen = {
      triggerSource: eventFieldForLog(fields?.triggerSource),
      userPoolId: eventFieldForLog(fields?.userPoolId),
      emailDomain: undefined,
      warnings: undefined,
    };
    logInvocation(seen, 'ERROR', `Unexpected ${errorName(error)}: refused as SERVICE_UNAVAILABLE`, 'refused', {
      code: 'SERVICE_UNAVAILABLE',
    });
    throw refusal('SERVICE_UNAVAILABLE', textsOf(dependencies.loaded));
  }
}

async function handleOrRefuse(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  const { loaded } = dependencies;
  const texts = textsOf(loaded);
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
    logInvocation(seen, 'ERROR', 'The event is not a JSON object', 'refused', { code: 'EVENT_INVALID' });
    throw refusal('EVENT_INVALID', texts);
  }
  if (reading.kind === 'wrong-trigger') {
    logInvocation(
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
      logInvocation(seen, 'ERROR', 'Invalid configuration; dry run, so nobody is refused', 'unchanged', {
        dryRun: true,
        configProblems,
      });
      return event;
    }
    logInvocation(seen, 'ERROR', 'Invalid configuration: every sign-up is refused', 'refused', {
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
    lookupBudget(context),
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
    logInvocation(seen, level, 'Dry run: nothing was changed', outcome, {
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
      logInvocation(seen, level, 'Sign-up refused', 'refused', {
        code: decision.code,
        rule: decision.rule,
        lookupFailures,
      });
      throw refusal(decision.code, texts);
    case 'unchanged':
      logInvocation(seen, level, 'AdminCreateUser: Cognito ignores the response flags, so none were set', 'unchanged', {
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
      logInvocation(seen, level, 'Sign-up accepted', outcome, { rule: decision.rule, flags, lookupFailures });
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

/** The refusal texts in force: with bad settings, as far as their own overrides were valid. */
function textsOf(loaded: LoadedConfig): RefusalTexts {
  return loaded.ok ? loaded.config.texts : loaded.texts;
}

function refusal(code: RefusalCode, texts: RefusalTexts): SignUpRefusedError {
  return new SignUpRefusedError(code, texts[code]);
}
