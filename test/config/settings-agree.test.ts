import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths.mjs';
import { SETTING_DEFAULTS, SETTINGS } from '../../src/config/settings.js';
import { loadTemplate } from '../helpers/template.js';

// Each default is written once, in SETTING_DEFAULTS; the README and template.yaml must say the same.

/** The README configuration table's default column, by variable. */
function readmeDefaults(): Record<string, string> {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('**Values.**'));
  const rows: Record<string, string> = {};
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const variable = /^`([A-Z_<>]+)`$/.exec(cells[1] ?? '')?.[1];
    if (variable !== undefined) rows[variable] = cells[3] ?? '';
  }
  return rows;
}

describe('every setting’s default', () => {
  const readme = readmeDefaults();
  const { parameters, variables } = loadTemplate();

  it.each(SETTINGS)('%s is the same in the README table', (setting) => {
    const cell = readme[setting];
    expect(cell, `${setting} has a row`).toBeDefined();
    const stated = SETTING_DEFAULTS[setting];
    // An unset default reads "empty = …" or "—"; any other is the value in backticks.
    if (stated === '') expect(cell).toMatch(/^(empty\b|—)/);
    else expect(cell).toBe(`\`${stated}\``);
  });

  it.each(SETTINGS)('%s is the same in template.yaml', (setting) => {
    const reference = (variables[setting] as { Ref?: string } | undefined)?.Ref ?? '';
    expect(parameters[reference]?.Default, setting).toBe(SETTING_DEFAULTS[setting]);
  });

  it('lists no variable in the README table that the function does not read', () => {
    const known = new Set<string>([...SETTINGS, 'DENY_MESSAGE_<CODE>']);
    expect(Object.keys(readme).filter((variable) => !known.has(variable))).toEqual([]);
  });
});
