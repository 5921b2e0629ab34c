import { DENY_MESSAGE_DOC, SETTING_DOCS } from '../src/config/setting-docs.js';

/** The settings reference's page, and the heading its table comes under. */
export const SETTINGS_PAGE = 'docs/settings.md';
const TABLE_HEADING = '## Every setting\n';

/**
 * The table of every setting, made from SETTING_DOCS, with its columns padded as Prettier pads a
 * Markdown table (to the widest cell, in code points), so that the page stays formatted.
 */
export function settingsTable(): string {
  const rows = [
    ['variable', 'value', 'default', 'effect'],
    ...Object.entries(SETTING_DOCS).map(([name, doc]) => [`\`${name}\``, doc.value, doc.default, doc.effect]),
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
