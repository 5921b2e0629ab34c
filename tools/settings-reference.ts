// `npm run docs [-- --check]`: writes what the docs and template.yaml show of the settings and the
// rules, made from the code: the table of every setting in docs/settings.md (the settings registry
// and tools/setting-docs.ts), its order of the rules and the README's diagram (REFUSAL_RULES and
// each rule's RuleDoc), template.yaml's settings (tools/template-settings.ts); or with --check says
// whether they are current.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.mjs';
import { parseCommandLine, runTool } from './cli.js';
import { ruleOrderList, rulesDiagram, withRuleOrder, withRulesDiagram } from './rule-order.js';
import { SETTINGS_PAGE, settingsTable, withSettingsTable } from './settings-table.js';
import { withTemplateSettings } from './template-settings.js';

const USAGE = 'npm run docs [-- --check]';

const HELP = `Writes the table of every setting and the order of the rules in ${SETTINGS_PAGE}, the
diagram of the rules in README.md, and each setting's parameter, variable and group in
template.yaml: each setting's value and default from the settings registry (src/config/settings.ts),
its effect, parameter and rule's words from tools/setting-docs.ts, the rules' order from
REFUSAL_RULES (src/decide/decide.ts).

  --check      change nothing; exit 1 when a page is not the one the code makes
  -h, --help   print this and do nothing else`;

/** Each page the tool writes, with what it makes of the page's current text. */
const PAGES: readonly (readonly [string, (text: string) => string])[] = [
  [SETTINGS_PAGE, (page) => withRuleOrder(withSettingsTable(page, settingsTable()), ruleOrderList())],
  ['README.md', (readme) => withRulesDiagram(readme, rulesDiagram())],
  ['template.yaml', withTemplateSettings],
];

await runTool('docs', () => {
  const { values } = parseCommandLine(process.argv.slice(2), { check: { type: 'boolean' } }, USAGE, HELP);
  let stale = 0;
  for (const [page, make] of PAGES) {
    const file = path.join(PROJECT_ROOT, page);
    const text = readFileSync(file, 'utf8');
    const updated = make(text);
    if (updated === text) {
      process.stdout.write(`${page}: current\n`);
    } else if (values.check === true) {
      process.stderr.write(`${page}: not the one the code makes: npm run docs\n`);
      stale++;
    } else {
      writeFileSync(file, updated);
      process.stdout.write(`${page}: written\n`);
    }
  }
  return stale === 0 ? 0 : 1;
});
