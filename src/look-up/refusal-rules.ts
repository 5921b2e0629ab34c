import type { Config } from '../config/load-config.js';
import { DEFAULT_LOADED_CONFIG } from '../config/default-config.js';
import type { RefusalRule } from '../decide/rules/rule.js';
import { refusalRulesFile } from './settings-and-rules.js';

const NO_RULES: readonly RefusalRule[] = [];

/**
 * The refusal rules a configuration runs: those that are on (each rule says when, see RefusalRule),
 * from their file of their own in the zip, loaded on the first call. The defaults turn none on (a
 * test shows it), so a function without settings never loads the file; any other configuration was
 * read by the settings reader, which is in the same file. Rejects with ModuleLoadError when the
 * file cannot be loaded, which refuses the sign-up.
 */
export async function refusalRulesFor(config: Config): Promise<readonly RefusalRule[]> {
  if (config === DEFAULT_LOADED_CONFIG.config) return NO_RULES;
  return (await refusalRulesFile()).REFUSAL_RULES.filter((rule) => rule.isOn(config));
}
