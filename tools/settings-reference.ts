// `npm run docs [-- --check]`: writes the table of every setting in docs/settings.md from the
// settings registry and the settings' documentation (tools/setting-docs.ts), or with --check says
// whether it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.mjs';
import { parseCommandLine, runTool } from './cli.js';
import { SETTINGS_PAGE, settingsTable, withSettingsTable } from './settings-table.js';

const USAGE = 'npm run docs [-- --check]';

const HELP = `Writes the table of every setting in ${SETTINGS_PAGE}: each setting's value and default from the
settings registry (src/config/settings.ts), its effect from tools/setting-docs.ts.

  --check      change nothing; exit 1 when the page's table is not the one the settings make
  -h, --help   print this and do nothing else`;

await runTool('docs', () => {
  const { values } = parseCommandLine(process.argv.slice(2), { check: { type: 'boolean' } }, USAGE, HELP);
  const file = path.join(PROJECT_ROOT, SETTINGS_PAGE);
  const page = readFileSync(file, 'utf8');
  const updated = withSettingsTable(page, settingsTable());
  if (updated === page) {
    process.stdout.write(`${SETTINGS_PAGE}: the table is current\n`);
    return 0;
  }
  if (values.check === true) {
    process.stderr.write(`${SETTINGS_PAGE}: the table is not the one the settings make: npm run docs\n`);
    return 1;
  }
  writeFileSync(file, updated);
  process.stdout.write(`${SETTINGS_PAGE}: the table is written\n`);
  return 0;
});
