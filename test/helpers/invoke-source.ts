import { loadConfig } from '../../src/config/load-config.js';
import { type HandlerDependencies, handlePreSignUp } from '../../src/handler.js';
import { fixedConfiguration } from '../../src/look-up/configuration.js';
import type { FactGatherer } from '../../src/look-up/lazy/gather-facts.js';
import { gatherFacts } from '../../src/look-up/lazy/gather-facts.js';
import { createInvocationLogger } from '../../src/log/invocation-log.js';
import { writeToCapturedLog } from './capture-log.js';

/** Dependencies as the real handler builds them, from a plain env object, logging to the captured log. */
function dependenciesFor(env: Record<string, string>, gather: FactGatherer): HandlerDependencies {
  const loaded = loadConfig(env);
  return {
    configuration: fixedConfiguration({ loaded, byClient: new Map(), clientWarnings: [] }),
    gather,
    log: createInvocationLogger({
      functionName: 'PreSignUp',
      logLevel: env.AWS_LAMBDA_LOG_LEVEL,
      metricsNamespace: loaded.config.metricsNamespace,
      write: writeToCapturedLog,
    }),
    warnOnce: () => loaded.warnings,
  };
}

/** Runs the handler from the sources: the returned event, or the refusal. Its log goes to the captured log. */
export async function invokeSource(
  event: unknown,
  env: Record<string, string> = {},
  gather: FactGatherer = gatherFacts,
): Promise<{ result?: unknown; error?: Error }> {
  const context = { awsRequestId: 'test-request', getRemainingTimeInMillis: () => 5000 };
  try {
    return { result: await handlePreSignUp(event, context, dependenciesFor(env, gather)) };
  } catch (error) {
    return { error: error as Error };
  }
}
