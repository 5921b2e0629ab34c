import { type ConfigIssue, describeReceived, type Settings } from './env-reader.js';
import { findLikelyMisspellings } from './misspellings.js';
import { DENY_MESSAGE_PREFIX, SETTINGS } from './settings.js';

/**
 * A rules document made into what the settings reader reads: text values, as the environment has
 * them, and lists as arrays of text.
 */
interface RulesDocument {
  readonly settings: Settings;
  /** Per app client id, the settings that override the top-level ones for that client only. */
  readonly clients: ReadonlyMap<string, Settings>;
  readonly issues: readonly ConfigIssue[];
}

const KNOWN: ReadonlySet<string> = new Set<string>(SETTINGS);
// Settings that say where the document is: they stay in the environment.
const ENVIRONMENT_ONLY: ReadonlySet<string> = new Set(['RULES_FILE', 'RULES_PARAMETER', 'RULES_REFRESH_SECONDS']);
// An app client id, as Cognito makes them (26 characters of [a-z0-9]) or as an emulator does.
const CLIENT_ID = /^[\w+]{1,128}$/;

/**
 * Reads a rules document: a JSON object whose keys are the settings' names (and `DENY_MESSAGE_<CODE>`),
 * with strings, booleans, whole numbers, or arrays of strings for lists; and `clients`, an object of
 * app client id to such an object. Values become the text the environment would hold (arrays stay
 * arrays, as lists the reader reads entry by entry), so that one reader checks both. Never throws:
 * every problem is an issue naming the key, in `source`.
 */
export function readRulesDocument(text: string, source: 'RULES_FILE' | 'RULES_PARAMETER'): RulesDocument {
  const issues: ConfigIssue[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    issues.push({ variable: source, received: (error as Error).message, expected: 'a JSON object of settings' });
    return { settings: {}, clients: new Map(), issues };
  }
  if (!isPlainObject(parsed)) {
    issues.push({ variable: source, received: kindOf(parsed), expected: 'a JSON object of settings' });
    return { settings: {}, clients: new Map(), issues };
  }
  const { clients: rawClients, ...top } = parsed;
  const settings = readSettings(top, source, issues);
  const clients = new Map<string, Settings>();
  if (rawClients !== undefined) {
    if (!isPlainObject(rawClients)) {
      issues.push({
        variable: `${source}: clients`,
        received: kindOf(rawClients),
        expected: 'an object of app client id to settings',
      });
    } else {
      for (const [clientId, overrides] of Object.entries(rawClients)) {
        const where = `${source}: clients.${clientId}`;
        if (!CLIENT_ID.test(clientId)) {
          issues.push({
            variable: where,
            received: describeReceived(clientId),
            expected: 'an app client id (letters, digits, _ and +)',
          });
        } else if (!isPlainObject(overrides)) {
          issues.push({ variable: where, received: kindOf(overrides), expected: 'an object of settings' });
        } else {
          clients.set(clientId, readSettings(overrides, where, issues));
        }
      }
    }
  }
  return { settings, clients, issues };
}

function readSettings(object: Record<string, unknown>, where: string, issues: ConfigIssue[]): Settings {
  const settings: Record<string, string | readonly string[]> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (ENVIRONMENT_ONLY.has(key)) {
      issues.push({
        variable: `${where}: ${key}`,
        received: 'a value in the document',
        expected: 'to be set in the environment only',
      });
      continue;
    }
    if (!KNOWN.has(key) && !key.startsWith(DENY_MESSAGE_PREFIX)) {
      unknown.push(key);
      continue;
    }
    const text = settingValueOf(value);
    if (text === undefined) {
      issues.push({
        variable: `${where}: ${key}`,
        received: kindOf(value),
        expected: 'a string, true or false, a whole number, or an array of strings without commas',
      });
    } else settings[key] = text;
  }
  const lookalikes = new Map(findLikelyMisspellings(unknown).map(({ variable, didYouMean }) => [variable, didYouMean]));
  for (const key of unknown) {
    const didYouMean = lookalikes.get(key);
    issues.push({
      variable: `${where}: ${key}`,
      received: 'an unknown key',
      expected:
        didYouMean === undefined ? 'a setting name (see the README)' : `a setting name: did you mean ${didYouMean}?`,
    });
  }
  return settings;
}

/**
 * The text the environment would hold for a value, or a list of strings (each without a comma, so
 * that it is one entry, as in the environment); undefined for a value no setting takes.
 */
function settingValueOf(value: unknown): string | readonly string[] | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  return Array.isArray(value) && isListOfEntries(value) ? value : undefined;
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

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array that is not all strings without commas';
  return `a ${typeof value}`;
}
