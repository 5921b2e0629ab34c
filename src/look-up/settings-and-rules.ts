import type { Env } from '../config/env-reader.js';
import { loadOnce } from './load-once.js';

/** The settings reader and the refusal rules: lazy/settings-and-rules.mjs. */
const withoutDocuments = loadOnce(() => import('./lazy/settings-and-rules.js'));
/** The same with the rules documents' reader: lazy/settings-documents-and-rules.mjs. */
const withDocuments = loadOnce(() => import('./lazy/settings-documents-and-rules.js'));

type SettingsAndRules = Awaited<ReturnType<typeof withoutDocuments>>;
export type SettingsDocumentsAndRules = Awaited<ReturnType<typeof withDocuments>>;

// Which of the two files this container reads its settings with: the rules come from the same
// file, so that a function with a document loads one file, not both. Set once, by init.
let documentsNamed = false;

/** Whether the environment names a rules document, whose reader then comes with the settings'. */
function namesADocument(env: Env): boolean {
  return (env.RULES_FILE?.trim() ?? '') !== '' || (env.RULES_PARAMETER?.trim() ?? '') !== '';
}

/**
 * The reader of this environment's settings, with the rules documents' reader only when it names a
 * document: loaded by init when the environment has settings, and never by a function without any.
 * Rejects with ModuleLoadError when the file cannot be loaded.
 */
export function settingsReaderFor(
  env: Env,
): Promise<
  | { readonly documents: false; readonly reader: SettingsAndRules }
  | { readonly documents: true; readonly reader: SettingsDocumentsAndRules }
> {
  if (!namesADocument(env)) return withoutDocuments().then((reader) => ({ documents: false, reader }));
  documentsNamed = true;
  return withDocuments().then((reader) => ({ documents: true, reader }));
}

/** The refusal rules, from the file this container's settings were read with. */
export async function refusalRulesFile(): Promise<SettingsAndRules> {
  return documentsNamed ? withDocuments() : withoutDocuments();
}
