import { loadConfig } from '../../src/config/load-config.js';
import { type HandlerDependencies, handlePreSignUp } from '../../src/handler.js';
import { type FactGatherer, gatherFacts } from '../../src/look-up/lazy/gather-facts.js';

/** Dependencies as the real handler builds them, from a plain env object instead of process.env. */
function dependenciesFor(env: Record<string, string>, gather: FactGatherer = gatherFacts): HandlerDependencies {
  const loaded = loadConfig(env);
  return { loaded, gather, warnOnce: () => loaded.warnings };
}

/** Runs the handler from the sources: the returned event, or the refusal's message. */
export async function invokeSource(
  event: unknown,
  env: Record<string, string> = {},
  gather?: FactGatherer,
): Promise<{ result?: unknown; error?: Error }> {
  try {
    return {
      result: await handlePreSignUp(event, { getRemainingTimeInMillis: () => 5000 }, dependenciesFor(env, gather)),
    };
  } catch (error) {
    return { error: error as Error };
  }
}
