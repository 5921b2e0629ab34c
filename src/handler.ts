import type { Context, PreSignUpTriggerHandler } from 'aws-lambda';
import type { RefusalCode, RefusalTexts } from './codes.js';
import { type LoadedConfig, loadConfig } from './config/load-config.js';
import { decideWithLookups, gatherFactsOnFirstUse, lookupBudget } from './decide-with-lookups.js';
import { errorName, SignUpRefusedError } from './errors.js';
import { type InvocationLog, logInvocation, NO_DETAIL, type Outcome, type Seen } from './log.js';
import type { FactGatherer } from './lookups/gather-facts.js';
import type { LookupFailure } from './lookups/lookup-failure.js';
import type { ResponseFlags } from './rules/confirmation.js';
import { type EventReading, isObject, readSignUpEvent } from './sign-up-input.js';

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
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  // Read once, up front: should anything fail later, the safety net below logs what was read
  // here and never touches the event again (its getters may be what failed).
  const reading = readSignUpEvent(event);
  const warnings = dependencies.warnOnce();
  const seen: Seen = {
    triggerSource: reading.labels.triggerSource,
    userPoolId: reading.labels.userPoolId,
    emailDomain: reading.kind === 'sign-up' ? reading.input.emailDomain : undefined,
    warnings: warnings.length > 0 ? warnings : undefined,
  };
  try {
    return await handleOrRefuse(event, reading, seen, context, dependencies);
  } catch (error) {
    if (error instanceof SignUpRefusedError) throw error;
    logInvocation(seen, 'ERROR', `Unexpected ${errorName(error)}: refused as SERVICE_UNAVAILABLE`, 'refused', {
      code: 'SERVICE_UNAVAILABLE',
    });
    throw refusal('SERVICE_UNAVAILABLE', textsOf(dependencies.loaded));
  }
}

async function handleOrRefuse(
  event: unknown,
  reading: EventReading,
  seenBefore: Seen,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  let seen = seenBefore;
  const { loaded } = dependencies;
  const texts = textsOf(loaded);

  if (reading.kind === 'not-an-object') {
    logInvocation(seen, 'ERROR', 'The event is not a JSON object', 'refused', { code: 'EVENT_INVALID' });
    throw refusal('EVENT_INVALID', texts);
  }
  if (reading.kind === 'unreadable') {
    // The thrown message is not logged: it could hold anything, the email included.
    logInvocation(seen, 'ERROR', `Reading the event threw ${reading.error}`, 'refused', {
      code: 'SERVICE_UNAVAILABLE',
    });
    throw refusal('SERVICE_UNAVAILABLE', texts);
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
  const looked = await decideWithLookups(reading.input, config, dependencies.gather, lookupBudget(context));
  const { decision } = looked;
  const lookupFailures = looked.failures.length > 0 ? looked.failures : undefined;
  if (looked.warnings.length > 0) seen = { ...seen, warnings: [...(seen.warnings ?? []), ...looked.warnings] };
  const level = levelOf(looked.failures, seen.warnings);

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

/**
 * A permanent lookup failure needs someone to fix a setting or a permission: ERROR, so it alarms.
 * A transient one, or a warning, is worth a look: WARN.
 */
function levelOf(failures: readonly LookupFailure[], warnings: readonly string[] | undefined): InvocationLog['level'] {
  if (failures.some((failure) => failure.kind === 'permanent-failure')) return 'ERROR';
  return failures.length > 0 || warnings !== undefined ? 'WARN' : 'INFO';
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
