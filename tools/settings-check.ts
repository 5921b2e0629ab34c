// What the function will make of the settings a tool runs it with, read beforehand with the
// function's own reader, so that a tool can say so in sentences before anything starts (as
// `npm run rules -- check` does), rather than leave the reason inside a JSON log line.
import { loadContainerConfig, readTextFile } from '../src/config/document-config.js';
import { describeIssue } from '../src/model/config-issue.js';

/** The settings' problems (each a sentence) and warnings, as the function would read them at init. */
interface SettingsCheck {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Reads the settings as the function would (the environment, and RULES_FILE's document: a path
 * relative to the current folder, or an absolute one). A document in SSM (RULES_PARAMETER) is read
 * by the function itself, later.
 */
export function checkSettings(env: Readonly<Record<string, string>>): SettingsCheck {
  const { loaded } = loadContainerConfig(env, { root: process.cwd(), read: readTextFile });
  return { problems: loaded.issues.map(describeIssue), warnings: loaded.warnings };
}

/** The problems, one per line under a heading that says what they cause; no final line break. */
export function describeProblems(problems: readonly string[], consequence: string): string {
  const count = problems.length === 1 ? '1 problem' : `${String(problems.length)} problems`;
  return `the settings have ${count}, ${consequence}:\n${problems.map((line) => `  ${line}`).join('\n')}`;
}
