import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths.mjs';
import { SETTING_DEFAULTS, SETTING_REGISTRY, SETTINGS } from '../../src/config/settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import { SETTINGS_PAGE, settingsTable, withSettingsTable } from '../../tools/settings-table.js';

// Each default is written once, in SETTING_DEFAULTS; the settings reference (docs/settings.md, made
// from it) must say the same (template.yaml's parameters: test/template.test.ts).

const TABLE_HEADING = '## Every setting\n';

/** The rows of the settings reference's table, by variable: [value, default, effect]. */
function documentedSettings(): Map<string, readonly string[]> {
  const page = readFileSync(path.join(PROJECT_ROOT, SETTINGS_PAGE), 'utf8');
  const start = page.indexOf(TABLE_HEADING);
  if (start < 0) throw new Error(`${SETTINGS_PAGE} has no "${TABLE_HEADING.trim()}" section`);
  const section = page.slice(start + TABLE_HEADING.length);
  const end = section.search(/^## /m);
  const rows = new Map<string, readonly string[]>();
  for (const line of (end < 0 ? section : section.slice(0, end)).split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((cell) => cell.trim());
    const variable = /^`([A-Z_<>]+)`$/.exec(cells[1] ?? '')?.[1];
    if (variable === undefined) continue;
    if (rows.has(variable)) throw new Error(`${SETTINGS_PAGE} lists ${variable} twice`);
    rows.set(variable, cells.slice(2, -1));
  }
  return rows;
}

describe('the settings reference', () => {
  it(`has the table the registry and tools/setting-docs.ts make (npm run docs writes it)`, () => {
    const page = readFileSync(path.join(PROJECT_ROOT, SETTINGS_PAGE), 'utf8');
    expect(withSettingsTable(page, settingsTable())).toBe(page);
  });
});

// The registry's bounds and choices (which the table and template.yaml state) are what the reader
// accepts: each is tried on loadConfig.
const BOUNDS = SETTINGS.flatMap((name) => {
  const entry = SETTING_REGISTRY[name];
  return 'bounds' in entry ? [[name, entry.bounds] as const] : [];
});
const CHOICES = SETTINGS.flatMap((name) => {
  const entry = SETTING_REGISTRY[name];
  return 'choices' in entry ? [[name, entry.choices] as const] : [];
});

describe('the bounds and choices the registry states', () => {
  /** The variables loadConfig reports an issue for, given these settings. */
  // The CAPTCHA settings are read only with a provider and its secret.
  const captcha = { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 'a-secret' };
  const refused = (settings: Record<string, string>) =>
    loadConfig({ ...captcha, ...settings }).issues.map((issue) => issue.variable);

  it.each(BOUNDS)('%s is read from %j and nothing beyond', (name, [min, max]) => {
    // The step beyond a bound: a whole number's next, a decimal's smallest step the page could show.
    const step = Number.isInteger(max) && max > 1 ? 1 : 0.01;
    expect(refused({ [name]: String(min) })).not.toContain(name);
    expect(refused({ [name]: String(max) })).not.toContain(name);
    expect(refused({ [name]: String(min - step) })).toContain(name);
    expect(refused({ [name]: String(max + step) })).toContain(name);
  });

  it.each(CHOICES)('%s is read as one of %j and nothing else', (name, choices) => {
    for (const choice of choices) expect(refused({ [name]: choice })).not.toContain(name);
    expect(refused({ [name]: `${choices[0]}-not-a-choice` })).toContain(name);
  });
});

describe('every setting’s default', () => {
  const documented = documentedSettings();

  it.each(SETTINGS)(`%s is the same in ${SETTINGS_PAGE}`, (setting) => {
    const row = documented.get(setting);
    expect(row, `${setting} has a row`).toBeDefined();
    const [value, cell, effect] = row ?? [];
    expect(value, `${setting} says what its value is`).not.toBe('');
    expect(effect, `${setting} says what it does`).not.toBe('');
    const stated = SETTING_DEFAULTS[setting];
    // An unset default reads "empty = …", "empty" or "—"; any other is the value in backticks.
    if (stated === '') expect(cell).toMatch(/^(empty\b|—$)/);
    else expect(cell).toBe(`\`${stated}\``);
  });

  it(`lists exactly the settings the function reads in ${SETTINGS_PAGE}, and DENY_MESSAGE_<CODE>`, () => {
    expect([...documented.keys()].sort()).toEqual([...SETTINGS, 'DENY_MESSAGE_<CODE>'].sort());
  });
});
