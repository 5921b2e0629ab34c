import type { Env } from '../config/env-reader.js';
import type { ContainerConfig } from '../config/container-config.js';
import { DEFAULT_LOADED_CONFIG } from '../config/default-config.js';
import { firstVariableToRead } from '../config/runtime-variables.js';
import { type ConfigIssue, nameForLog } from '../model/config-issue.js';
import { errorName } from '../model/error-name.js';
import { settingsAndRules } from './settings-and-rules.js';

/**
 * The environment's settings, with no rules document. An environment with nothing to read gets the
 * defaults, computed at build time; any other is read by the settings reader, loaded now. Never
 * rejects: a reader that cannot be loaded is a problem that refuses every sign-up with
 * CONFIG_INVALID, as a bad setting is.
 */
export async function environmentConfig(env: Env): Promise<ContainerConfig> {
  const first = firstVariableToRead(env);
  if (first === undefined) return { loaded: DEFAULT_LOADED_CONFIG, byClient: new Map(), clientWarnings: [] };
  try {
    return (await settingsAndRules()).containerConfigOfEnvironment(env);
  } catch (error) {
    return defaultsWithIssue({
      variable: nameForLog(first),
      received: 'a setting the zip has no reader for',
      expected: `the zip deployed as built (${errorName(error)})`,
      kind: 'value',
    });
  }
}

/**
 * The environment's settings with one more problem (a rules document that could not be read),
 * which refuses every sign-up. Never rejects.
 */
export async function environmentConfigWithIssue(env: Env, issue: ConfigIssue): Promise<ContainerConfig> {
  try {
    return (await settingsAndRules()).containerConfigWithIssue(env, issue);
  } catch {
    return defaultsWithIssue(issue);
  }
}

// Should the reader not load, the environment's settings are unknown: the defaults carry the
// problem, which refuses every sign-up (DRY_RUN and the refusal texts are then the defaults too).
function defaultsWithIssue(issue: ConfigIssue): ContainerConfig {
  return { loaded: { ...DEFAULT_LOADED_CONFIG, issues: [issue] }, byClient: new Map(), clientWarnings: [] };
}
