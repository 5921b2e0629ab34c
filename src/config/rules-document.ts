import { type ConfigIssue, describeReceived, nameForLog } from '../model/config-issue.js';
import type { SettingValues } from './env-reader.js';
import { findDuplicateKeys, syntaxErrorOffset } from './json-scan.js';
import { findLikelyMisspellings } from './misspellings.js';
import { kindOfSetting, overrideRuleOf } from './settings.js';

/**
 * A rules document made into what the settings reader reads: text values, as the environment has
 * them, and lists as arrays of text.
 */
interface RulesDocument {
  readonly settings: SettingValues;
  /** Per app client id, the settings that override the top-level ones for that client only. */
  readonly clients: ReadonlyMap<string, SettingValues>;
  readonly issues: readonly ConfigIssue[];
}

// An app client id, as Cognito makes them (26 characters of [a-z0-9]) or as an emulator does.
const CLIENT_ID = /^[\w+]{1,128}$/;

/** What a document must give for each kind of setting: the JSON type, and how the error names it. */
const EXPECTED_BY_KIND = {
  boolean: 'true or false (a JSON boolean, not a string)',
  'whole-number': 'a whole number (a JSON number, not a string)',
  decimal: 'a number (a JSON number, not a string)',
  text: 'a string',
  list: 'an array of strings, each without a comma',
} as const;

/**
 * Reads a rules document: a JSON object whose keys are the settings' names (and `DENY_MESSAGE_<CODE>`),
 * each given as its JSON type (booleans as booleans, numbers as numbers, lists as arrays of
 * strings, the rest as strings); and `clients`, an object of app client id to such an object.
 * Values become the text the environment would hold (arrays stay arrays, as lists the reader reads
 * entry by entry), so that one reader checks both. A key given twice anywhere is an error: JSON.parse
 * would silently keep the last one. Never throws: every problem is an issue naming the key, in
 * `source`, and no issue quotes the document (a JSON error gives a position and a length).
 */
export function readRulesDocument(text: string, source: 'RULES_FILE' | 'RULES_PARAMETER'): RulesDocument {
  const issues: ConfigIssue[] = [];
  const documentIssue = (variable: string, received: string, expected: string) =>
    issues.push({ variable, received, expected, kind: 'document' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const offset = syntaxErrorOffset(text);
    documentIssue(
      source,
      `text that is not valid JSON (an error at character ${String(offset < 0 ? text.length : offset)} of ${String(text.length)})`,
      'a JSON object of settings',
    );
    return { settings: {}, clients: new Map(), issues };
  }
  if (!isPlainObject(parsed)) {
    documentIssue(source, kindOf(parsed), 'a JSON object of settings');
    return { settings: {}, clients: new Map(), issues };
  }
  for (const { path, key } of findDuplicateKeys(text)) {
    documentIssue(
      `${source}: ${[path, key]
        .filter((part) => part !== '')
        .map(nameForLog)
        .join('.')}`,
      'a key given twice in one object',
      'each key once (JSON keeps only the last value, silently)',
    );
  }
  const { clients: rawClients, ...top } = parsed;
  const settings = readSettings(top, source, issues);
  const clients = new Map<string, SettingValues>();
  if (rawClients !== undefined) {
    if (!isPlainObject(rawClients)) {
      documentIssue(`${source}: clients`, kindOf(rawClients), 'an object of app client id to settings');
    } else {
      for (const [clientId, overrides] of Object.entries(rawClients)) {
        const where = `${source}: clients.${nameForLog(clientId)}`;
        if (!CLIENT_ID.test(clientId)) {
          documentIssue(where, describeReceived(clientId), 'an app client id (letters, digits, _ and +)');
        } else if (!isPlainObject(overrides)) {
          documentIssue(where, kindOf(overrides), 'an object of settings');
        } else {
          clients.set(clientId, readSettings(overrides, where, issues));
        }
      }
    }
  }
  return { settings, clients, issues };
}

function readSettings(object: Record<string, unknown>, where: string, issues: ConfigIssue[]): SettingValues {
  const settings: Record<string, string | readonly string[]> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    const kind = kindOfSetting(key);
    if (kind === undefined) {
      unknown.push(key);
      continue;
    }
    const variable = `${where}: ${nameForLog(key)}`;
    if (overrideRuleOf(key) === 'environment-only') {
      issues.push({
        variable,
        received: 'a value in the document',
        expected: 'to be set in the environment only',
        kind: 'document',
      });
      continue;
    }
    const text = settingValueOf(value, kind);
    if (text === undefined) {
      issues.push({ variable, received: kindOf(value, kind), expected: EXPECTED_BY_KIND[kind], kind: 'document' });
    } else settings[key] = text;
  }
  const lookalikes = new Map(findLikelyMisspellings(unknown).map(({ variable, didYouMean }) => [variable, didYouMean]));
  for (const key of unknown) {
    const didYouMean = lookalikes.get(key);
    issues.push({
      variable: `${where}: ${nameForLog(key)}`,
      received: 'an unknown key',
      expected:
        didYouMean === undefined
          ? 'a setting name (see docs/settings.md)'
          : `a setting name (did you mean ${didYouMean}?)`,
      kind: 'document',
    });
  }
  return settings;
}

/**
 * The text the environment would hold for a value of this kind, or the list of strings (each
 * without a comma, so that it is one entry, as in the environment); undefined for a value of
 * another JSON type: `"3"` is not a number, `"example.com"` is not a list, `1` is not a boolean.
 */
function settingValueOf(value: unknown, kind: keyof typeof EXPECTED_BY_KIND): string | readonly string[] | undefined {
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'whole-number':
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'list':
      return Array.isArray(value) && isListOfEntries(value) ? value : undefined;
  }
}

// A plain loop: this runs over every entry of a list of 100,000, within the load's budget.
function isListOfEntries(list: readonly unknown[]): list is readonly string[] {
  for (const entry of list) {
    if (typeof entry !== 'string' || entry.includes(',')) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value's JSON type, never the value itself: a document may hold a secret. */
function kindOf(value: unknown, expected?: keyof typeof EXPECTED_BY_KIND): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return expected === 'list' ? 'an array that is not all strings without commas' : 'an array';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'a number' : 'a number that is not whole';
  return `a ${typeof value}`;
}
