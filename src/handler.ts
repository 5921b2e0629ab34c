import type { Context, PreSignUpTriggerHandler } from 'aws-lambda';
import type { ContainerConfig } from './config/container-config.js';
import type { Env } from './config/env-reader.js';
import { firstVariableToRead } from './config/runtime-variables.js';
import type { ResponseFlags } from './decide/decision.js';
import { decideWithLookups, lookupBudget } from './look-up/decide-with-lookups.js';
import {
  type CurrentConfiguration,
  fixedConfiguration,
  settingsOfContainer,
  warningsOncePerConfiguration,
} from './look-up/configuration.js';
import type { FactGatherer } from './look-up/lazy/gather-facts.js';
import { gatherFactsOnFirstUse, prewarmLookups } from './look-up/on-first-use.js';
import { LOCAL_FACTS, recordingGatherer, syntheticEvents } from './look-up/warm-up.js';
import { refusalRulesFor } from './look-up/refusal-rules.js';
import { errorName } from './model/error-name.js';
import { createInvocationLogger, type InvocationLogger } from './log/invocation-log.js';
import { prepareStdout, writeToStdout } from './log/write-to-stdout.js';
import { isObject, readSignUpEvent } from './read/sign-up-event.js';
import { planResponse, planUnexpectedFailure, type ResponsePlan } from './respond/plan-response.js';
import { SignUpRefusedError } from './respond/refusals.js';

/** What one invocation depends on besides the event, so tests can supply their own. */
export interface HandlerDependencies {
  /** The settings of the sign-up at hand, read within the time budget given; never rejects. */
  readonly configuration: CurrentConfiguration;
  readonly gather: FactGatherer;
  readonly log: InvocationLogger;
  /**
   * A configuration's warnings, the first time it decides a sign-up (later calls return nothing): once
   * per cold start, and once more for each rules document read from SSM (RULES_PARAMETER).
   */
  readonly warnOnce: (configuration: ContainerConfig) => readonly string[];
}

/** The settings, read once per cold start, and what goes with them for every invocation. */
async function dependenciesOfThisContainer(): Promise<HandlerDependencies> {
  // One copy of the environment when there are settings to read: every read of process.env is a
  // call into the runtime, and reading the settings takes a few dozen of them. Without any, the
  // handful read here come straight from process.env, and the copy is not worth making.
  const env: Env = firstVariableToRead(process.env) === undefined ? process.env : { ...process.env };
  // A relative RULES_FILE lies where index.mjs is: Lambda's LAMBDA_TASK_ROOT, or the unzipped folder anywhere else.
  const root = env.LAMBDA_TASK_ROOT ?? decodeURIComponent(new URL('.', import.meta.url).pathname);
  const { loaded, current } = await settingsOfContainer(env, root);
  return {
    configuration: current,
    gather: gatherFactsOnFirstUse,
    log: createInvocationLogger({
      functionName: env.AWS_LAMBDA_FUNCTION_NAME,
      logLevel: env.AWS_LAMBDA_LOG_LEVEL,
      metricsNamespace: loaded.config.metricsNamespace,
      write: writeToStdout,
    }),
    warnOnce: warningsOncePerConfiguration(),
  };
}

/**
 * Init's work, done before any sign-up arrives (Lambda runs init at full CPU, and before the first
 * request under provisioned concurrency): the settings and any rules document are read, a document
 * in SSM is fetched within INIT_RULES_BUDGET_MS, the decision path runs once on synthetic sign-ups,
 * and the lookups the rules asked for are loaded. Never throws: a bad setting refuses every sign-up
 * with CONFIG_INVALID; anything that fails here (a hostile environment, SSM not answering) is done
 * again on the first sign-up.
 */
async function initialise(): Promise<HandlerDependencies | undefined> {
  try {
    const dependencies = await dependenciesOfThisContainer();
    const configurations = await dependencies.configuration(INIT_RULES_BUDGET_MS);
    for (const loaded of [configurations.loaded, ...configurations.byClient.values()]) {
      // The whole invocation path, log line included, on synthetic sign-ups: compiled now, with
      // no I/O, no line written and no metric; and the lookups its rules asked for, loaded.
      const { gather, asked } = recordingGatherer();
      const silent: HandlerDependencies = {
        configuration: fixedConfiguration({ loaded, byClient: new Map(), clientWarnings: [] }),
        gather,
        log: createInvocationLogger({
          functionName: undefined,
          logLevel: undefined,
          metricsNamespace: loaded.config.metricsNamespace,
          write: () => undefined,
        }),
        warnOnce: () => [],
      };
      const runSynthetic = async (using: HandlerDependencies) => {
        for (const event of syntheticEvents(loaded)) {
          try {
            await handlePreSignUp(event, undefined, using);
          } catch {
            // A synthetic sign-up a rule refused: that path is compiled too.
          }
        }
      };
      await runSynthetic(silent);
      await prewarmLookups(asked, loaded.config);
      // Lookups that read only the zip run for real once more, as the first sign-up will run them.
      if (asked.size > 0 && [...asked].every((name) => LOCAL_FACTS.has(name))) {
        await runSynthetic({ ...silent, gather: dependencies.gather });
      }
    }
    prepareStdout();
    return dependencies;
  } catch {
    return undefined;
  }
}

// How long init waits for a rules document in SSM; past it, the first sign-up reads it.
const INIT_RULES_BUDGET_MS = 2000;

let dependenciesOnce = await initialise();

/**
 * The Lambda entry point (`index.handler`). Settings were read during init (see initialise); should
 * that have failed, they are read on the first invocation, where a problem refuses with
 * CONFIG_INVALID and an ERROR log line.
 */
export const handler: PreSignUpTriggerHandler = async (event, context) => {
  dependenciesOnce ??= await dependenciesOfThisContainer();
  return handlePreSignUp(event, context, dependenciesOnce);
};

/**
 * One invocation: read the event, decide (looking facts up as rules ask), plan the response, write
 * the flags, log one line, and throw to refuse. Returns the event itself, with only `response`
 * changed. Throws nothing but SignUpRefusedError: should anything else fail, the user sees
 * SERVICE_UNAVAILABLE and the log names the error, never its message.
 */
export async function handlePreSignUp(
  event: unknown,
  context: Partial<Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>> | undefined,
  dependencies: HandlerDependencies,
): Promise<unknown> {
  const { gather, log, warnOnce, configuration } = dependencies;
  // Read once, up front, where readSignUpEvent catches a hostile getter. The only other touch of
  // the event, writing the flags, is inside the safety net below.
  const reading = readSignUpEvent(event);
  const startedAt = Date.now();
  const budget = lookupBudget(context);
  // A rules document in SSM is read (or refreshed) within the same budget as the lookups.
  const current = await configuration(budget);
  const { loaded: forEveryClient, byClient } = current;
  const clientId = reading.labels.clientId;
  const loaded = (clientId === undefined ? undefined : byClient.get(clientId)) ?? forEveryClient;
  // The settings' warnings go on the first line about a sign-up under valid settings: not on an
  // EVENT_INVALID or CONFIG_INVALID line, which is about something else, and which would use them up.
  const warnings = reading.kind === 'sign-up' && loaded.issues.length === 0 ? warnOnce(current) : [];
  let plan: ResponsePlan;
  try {
    const left = Math.max(budget - (Date.now() - startedAt), 0);
    const decided =
      reading.kind === 'sign-up' && loaded.issues.length === 0
        ? await decideWithLookups(await refusalRulesFor(loaded.config), reading.input, loaded.config, gather, left)
        : undefined;
    plan = planResponse(reading, loaded, decided, warnings);
    if (plan.action === 'set-flags') writeFlags(event as Record<string, unknown>, plan.flags);
  } catch (error) {
    plan = planUnexpectedFailure(reading, loaded, warnings, errorName(error));
  }
  log(plan.log, typeof context?.awsRequestId === 'string' ? context.awsRequestId : undefined);
  if (plan.action === 'refuse') throw new SignUpRefusedError(plan.code, plan.text);
  return event;
}

/** Sets the three flags in `response`; every other field of the event stays as received. */
function writeFlags(event: Record<string, unknown>, flags: ResponseFlags): void {
  const response = event.response;
  const target = isObject(response) ? response : {};
  target.autoConfirmUser = flags.autoConfirmUser;
  target.autoVerifyEmail = flags.autoVerifyEmail;
  target.autoVerifyPhone = flags.autoVerifyPhone;
  event.response = target;
}
