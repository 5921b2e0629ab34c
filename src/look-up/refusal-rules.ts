import type { Config } from '../config/load-config.js';
import { needsRefusalRules } from '../decide/refusal-rules-needed.js';
import type { RefusalRule } from '../decide/rules/rule.js';
import { refusalRulesFile } from './settings-and-rules.js';

const NO_RULES: readonly RefusalRule[] = [];

/**
 * The refusal rules a configuration runs: all of them (a file of their own in the zip, loaded on
 * the first call, which init makes) when a setting turns one on, none otherwise. Rejects with
 * ModuleLoadError when the file cannot be loaded, which refuses the sign-up.
 */
export async function refusalRulesFor(config: Config): Promise<readonly RefusalRule[]> {
  return needsRefusalRules(config) ? (await refusalRulesFile()).REFUSAL_RULES : NO_RULES;
}
