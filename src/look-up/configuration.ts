import type { Env } from '../config/env-reader.js';
import type { ContainerConfig } from '../config/container-config.js';
import { DEFAULT_LOADED_CONFIG } from '../config/default-config.js';
import type { LoadedConfig } from '../config/load-config.js';
import { firstVariableToRead } from '../config/runtime-variables.js';
import { nameForLog } from '../model/config-issue.js';
import { errorName } from '../model/error-name.js';
import { rulesFromParameter } from './rules-from-parameter.js';
import { settingsReaderFor } from './settings-and-rules.js';

/**
 * The settings a sign-up is decided with, given the time it may take to read them: a document in
 * SSM is read, or refreshed, within the sign-up's lookup budget.
 */
export type CurrentConfiguration = (budgetMs: number) => Promise<ContainerConfig>;

/** What init reads of the settings: the configuration of every sign-up, and the top level as read now. */
interface ContainerSettings {
  /** The environment's settings with RULES_FILE's document: the log line's namespace, the warnings of the cold start. */
  readonly loaded: LoadedConfig;
  readonly current: CurrentConfiguration;
}

const DEFAULTS: ContainerConfig = { loaded: DEFAULT_LOADED_CONFIG, byClient: new Map(), clientWarnings: [] };

/** The same configuration for every sign-up: the environment's, or with RULES_FILE's document. */
export function fixedConfiguration(configuration: ContainerConfig): CurrentConfiguration {
  return () => Promise.resolve(configuration);
}

/**
 * A configuration's warnings the first time it is asked for them, nothing after: once per cold start
 * for the environment's (and RULES_FILE's), and once for each rules document read from SSM, whose
 * warnings (an app client that admits more) would otherwise never be logged.
 */
export function warningsOncePerConfiguration(): (configuration: ContainerConfig) => readonly string[] {
  const warned = new WeakSet<ContainerConfig>();
  return (configuration) => {
    if (warned.has(configuration)) return [];
    warned.add(configuration);
    return configuration.loaded.warnings;
  };
}

function fixed(configuration: ContainerConfig): ContainerSettings {
  return { loaded: configuration.loaded, current: fixedConfiguration(configuration) };
}

/**
 * This container's settings, read once, by init: the environment's, with the rules document
 * RULES_FILE or RULES_PARAMETER names. An environment with nothing to read gets the defaults,
 * computed at build time; any other loads a reader (the rules documents' only with a document).
 * `root` is where a relative RULES_FILE lies.
 *
 * Never rejects. A reader the zip lacks (a deployment not as built) is the one failure caught
 * here: the defaults then carry an issue naming the setting that could not be read, which refuses
 * every sign-up with CONFIG_INVALID, as a bad setting does.
 */
export async function settingsOfContainer(env: Env, root: string): Promise<ContainerSettings> {
  const first = firstVariableToRead(env);
  if (first === undefined) return fixed(DEFAULTS);
  try {
    const settings = await settingsReaderFor(env);
    if (!settings.documents) return fixed(settings.reader.containerConfigOfEnvironment(env));
    const { reader } = settings;
    const container = reader.loadContainerConfig(env, { root, read: reader.readTextFile });
    const { rulesParameter, rulesRefreshSeconds } = container.loaded.config;
    if (container.loaded.issues.length > 0 || rulesParameter === undefined) return fixed(container);
    return {
      loaded: container.loaded,
      current: rulesFromParameter(env, rulesParameter, rulesRefreshSeconds * 1000, reader),
    };
  } catch (error) {
    const named = (['RULES_FILE', 'RULES_PARAMETER'] as const).find((name) => (env[name]?.trim() ?? '') !== '');
    const issue = {
      variable: named ?? nameForLog(first),
      received: 'a setting the zip has no reader for',
      expected: `the zip deployed as built (${errorName(error)})`,
      kind: 'value',
    } as const;
    return fixed({ ...DEFAULTS, loaded: { ...DEFAULT_LOADED_CONFIG, issues: [issue] } });
  }
}
