// What `npm run build -- --rules FILE` puts into the zip (esbuild.config.mjs bundles and imports
// this file): the document checked for the problems no environment can fix, and its lists sorted.
import { describeIssue } from '../src/model/config-issue.js';
import { containerConfigWithDocument } from '../src/config/document-config.js';
import { LIST_SETTINGS } from '../src/config/settings.js';

type PreparedDocument =
  | {
      readonly ok: true;
      /** The text to put into the zip, or undefined to keep the file's bytes. */ readonly text: string | undefined;
      /** What the build should print: app clients that admit more than the top level. */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a rules document and sorts its lists.
 *
 * The build refuses a document with a problem that no environment variable can settle: its shape,
 * an unknown key, a value of the wrong kind, or a bad list entry. Deployed, any of them would refuse
 * every sign-up with CONFIG_INVALID. Problems that depend on the environment (INVITE_REQUIRED
 * without a source, a setting given in both places) are left to `npm run rules -- check --env`.
 *
 * Lists are sorted, because the function searches a long sorted list in place instead of making a
 * Set of it (src/config/key-set.ts), which loads 100,000 entries about 40 % faster; their order
 * means nothing. A document with nothing to sort keeps its bytes.
 */
export function prepareRulesDocument(text: string): PreparedDocument {
  const { loaded, clientWarnings } = containerConfigWithDocument({}, text, 'RULES_FILE');
  const problems = loaded.issues.filter((issue) => issue.kind === 'document' || issue.kind === 'entry');
  if (problems.length > 0) return { ok: false, problems: problems.map(describeIssue) };

  // The reader accepted the document: a JSON object whose `clients`, if any, is an object of objects.
  const parsed = JSON.parse(text) as Record<string, unknown> & { clients?: Record<string, Record<string, unknown>> };
  let sorted = false;
  for (const settings of [parsed, ...Object.values(parsed.clients ?? {})]) {
    for (const key of LIST_SETTINGS) {
      const list = settings[key];
      if (!Array.isArray(list)) continue;
      // sort() orders by UTF-16 code units, as the function's `<` compares keys.
      const inOrder = (list as string[]).slice().sort();
      if (inOrder.some((entry, index) => entry !== list[index])) {
        settings[key] = inOrder;
        sorted = true;
      }
    }
  }
  return { ok: true, text: sorted ? JSON.stringify(parsed) : undefined, warnings: clientWarnings };
}
