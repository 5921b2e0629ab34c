import type { Env } from '../config/env-reader.js';
import type { ContainerConfig } from '../config/container-config.js';
import { MAX_PARAMETER_CHARACTERS } from '../model/limits.js';
import { errorName } from '../model/error-name.js';
import { loadOnce } from './load-once.js';
import type { SettingsDocumentsAndRules } from './settings-and-rules.js';

/** Reads a parameter's text within a time budget; rejects on any failure. */
type ParameterReader = (name: string, budgetMs: number) => Promise<string>;

/** What reading a document needs of the rules documents' reader (loaded by init). */
type DocumentReader = Pick<SettingsDocumentsAndRules, 'containerConfigWithDocument' | 'containerConfigWithIssue'>;

// The SSM reader is a file of its own in the zip, loaded only when RULES_PARAMETER is set.
const rulesParameter = loadOnce(() => import('./lazy/ssm.js'));
const readWithSsm: ParameterReader = async (name, budgetMs) =>
  (await rulesParameter()).readParameterText(name, budgetMs);

/**
 * The configuration from a rules document in SSM Parameter Store: read on the first sign-up of a
 * container, then again when it is older than `refreshMs`. The read shares the sign-up's time
 * budget. A document that cannot be read the first time (a missing parameter, access denied, a
 * time-out, over 8 KB) refuses sign-ups with CONFIG_INVALID, naming RULES_PARAMETER and the error,
 * and is tried again on the next sign-up; once one has been read, a failed refresh keeps it.
 * Rejects only if the reader itself throws, which it does not on any document.
 */
export function rulesFromParameter(
  env: Env,
  name: string,
  refreshMs: number,
  documents: DocumentReader,
  read: ParameterReader = readWithSsm,
  now: () => number = Date.now,
): (budgetMs: number) => Promise<ContainerConfig> {
  let current: { readonly configuration: ContainerConfig; readonly text: string; readonly readAt: number } | undefined;
  const failed = (expected: string) =>
    documents.containerConfigWithIssue(env, {
      variable: 'RULES_PARAMETER',
      received: JSON.stringify(name),
      expected,
      kind: 'value',
    });
  return async (budgetMs) => {
    if (current !== undefined && now() - current.readAt < refreshMs) return current.configuration;
    let text: string;
    try {
      text = await read(name, budgetMs);
    } catch (error) {
      return current?.configuration ?? failed(`a parameter the function can read (${errorName(error)})`);
    }
    if (text.length > MAX_PARAMETER_CHARACTERS) {
      return (
        current?.configuration ??
        failed(
          `at most ${String(MAX_PARAMETER_CHARACTERS)} characters (SSM's limit): put a larger document in RULES_FILE`,
        )
      );
    }
    // An unchanged document keeps its configuration: its warnings are logged once, not on every refresh.
    const configuration =
      current?.text === text
        ? current.configuration
        : documents.containerConfigWithDocument(env, text, 'RULES_PARAMETER');
    current = { configuration, text, readAt: now() };
    return current.configuration;
  };
}
