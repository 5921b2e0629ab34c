import { MAX_USERNAME_LENGTH } from '../src/model/limits.js';
import {
  CAPTCHA_PROVIDERS,
  EMAIL_SUBADDRESS_POLICIES,
  EXISTING_ACCOUNT_POLICIES,
  INVITE_MATCHES,
  SETTING_REGISTRY,
  type SettingName,
} from '../src/config/settings.js';
import { DENY_MESSAGE_DOC, SETTING_DOCS } from './setting-docs.js';

// What the reader (src/config/load-config.ts) accepts of a choice or a number. The registry does not
// carry it yet; test/config/settings-agree.test.ts checks each against loadConfig, so the page
// cannot promise what the reader refuses.
/** The text settings read as one of a few values. */
export const READER_CHOICES = {
  EMAIL_SUBADDRESSES: EMAIL_SUBADDRESS_POLICIES,
  INVITE_MATCH: INVITE_MATCHES,
  EXISTING_ACCOUNT_POLICY: EXISTING_ACCOUNT_POLICIES,
  CAPTCHA: CAPTCHA_PROVIDERS,
} as const satisfies Partial<Record<SettingName, readonly string[]>>;

/** The number settings' bounds, inclusive. */
export const READER_BOUNDS = {
  MIN_USERNAME_LENGTH: [0, MAX_USERNAME_LENGTH],
  CAPTCHA_MIN_SCORE: [0, 1],
  WAITLIST_DAYS: [1, 3650],
  RULES_REFRESH_SECONDS: [0, 86_400],
} as const satisfies {
  readonly [
    Name in SettingName as (typeof SETTING_REGISTRY)[Name]['kind'] extends 'whole-number' | 'decimal' ? Name : never
  ]: readonly [number, number];
};

const inBackticks = (text: string) => `\`${text}\``;

/** A setting's value column: its kind, bounds or choices from the registry and the reader, or its entries in words. */
function valueColumn(name: SettingName): string {
  const { kind } = SETTING_REGISTRY[name];
  if (kind === 'boolean') return 'boolean';
  if (kind === 'whole-number' || kind === 'decimal') {
    const [min, max] = READER_BOUNDS[name as keyof typeof READER_BOUNDS];
    return `${kind === 'decimal' ? 'number' : 'whole number'} ${String(min)}–${String(max)}`;
  }
  if (Object.hasOwn(READER_CHOICES, name)) {
    const choices = READER_CHOICES[name as keyof typeof READER_CHOICES].map(inBackticks);
    return choices.length === 2 ? choices.join(' or ') : choices.join(', ');
  }
  const doc = SETTING_DOCS[name];
  if (doc.value === undefined) throw new Error(`${name} is ${kind}: tools/setting-docs.ts must say what its value is`);
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
