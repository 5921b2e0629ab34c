import { SETTING_REGISTRY, type SettingName } from '../src/config/settings.js';
import { DENY_MESSAGE_DOC, SETTING_DOCS } from './setting-docs.js';

const inBackticks = (text: string) => `\`${text}\``;

/** A setting's value column: its kind, bounds or choices from the registry (the reader's own), or its entries in words. */
function valueColumn(name: SettingName): string {
  const entry = SETTING_REGISTRY[name];
  if (entry.kind === 'boolean') return 'boolean';
  if ('bounds' in entry) {
    const [min, max] = entry.bounds;
    return `${entry.kind === 'decimal' ? 'number' : 'whole number'} ${String(min)}–${String(max)}`;
  }
  if ('choices' in entry) {
    const choices = entry.choices.map(inBackticks);
    return choices.length === 2 ? choices.join(' or ') : choices.join(', ');
  }
  const doc = SETTING_DOCS[name];
  if (doc.value === undefined)
    throw new Error(`${name} is ${entry.kind}: tools/setting-docs.ts must say what its value is`);
  return doc.value;
}

/** A setting's default column: the registry's default in backticks, or what unset means. */
function defaultColumn(name: SettingName): string {
  const stated = SETTING_REGISTRY[name].default;
  if (stated !== '') return inBackticks(stated);
  return SETTING_DOCS[name].unset ?? '—';
}

/** The settings reference's page, and the heading its table comes under. */
export const SETTINGS_PAGE = 'docs/settings.md';
const TABLE_HEADING = '## Every setting\n';

/**
 * The table of every setting, made from the registry and SETTING_DOCS, in the docs' order,
 * with its columns padded as Prettier pads a
 * Markdown table (to the widest cell, in code points), so that the page stays formatted.
 */
export function settingsTable(): string {
  const rows = [
    ['variable', 'value', 'default', 'effect'],
    ...(Object.keys(SETTING_DOCS) as SettingName[]).map((name) => [
      inBackticks(name),
      valueColumn(name),
      defaultColumn(name),
      SETTING_DOCS[name].effect,
    ]),
    ['`DENY_MESSAGE_<CODE>`', DENY_MESSAGE_DOC.value, DENY_MESSAGE_DOC.default, DENY_MESSAGE_DOC.effect],
  ];
  // Every character of the table is one UTF-16 unit (no emoji), so length is what Prettier counts.
  const width = (text: string) => text.length;
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - width(cell))).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(widths.map((size) => '-'.repeat(size))), ...body.map(line)].join('\n');
}

/** The page with its table replaced by `table`; throws when the page has no such table. */
export function withSettingsTable(page: string, table: string): string {
  const start = page.indexOf(TABLE_HEADING);
  if (start < 0) throw new Error(`${SETTINGS_PAGE} has no "${TABLE_HEADING.trim()}" section`);
  const tableStart = page.indexOf('\n|', start) + 1;
  const tableEnd = page.indexOf('\n\n', tableStart);
  if (tableStart === 0 || tableEnd < 0)
    throw new Error(`${SETTINGS_PAGE} has no table under "${TABLE_HEADING.trim()}"`);
  return page.slice(0, tableStart) + table + page.slice(tableEnd);
}
