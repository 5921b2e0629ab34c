import { blockKeyOf, emailKeyOf, readEmailAddress } from '../read/email-address.js';
import { type DomainList, parseDomainList } from './domain-list.js';
import { type KeySet, KeySetBuilder } from './key-set.js';
import {
  type ChoiceOf,
  type ChoiceSetting,
  type DenyMessageVariable,
  type ListSetting,
  type NumberSetting,
  SECRET_SETTINGS,
  SETTING_DEFAULTS,
  SETTING_REGISTRY,
  type SettingName,
} from './settings.js';
import { type ConfigIssue, describeReceived, describeSecretValue, type IssueKind } from '../model/config-issue.js';

/** The environment as Lambda gives it: plain strings, any of them possibly absent. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The settings loadConfig reads: the environment's text, merged with a rules document's values,
 * whose lists stay arrays. A list of 100,000 entries is read as it is, instead of being joined
 * into one text and split again (a large part of the load budget: see `npm run bench`).
 */
export type SettingValues = Readonly<Record<string, string | readonly string[] | undefined>>;

const PHONE_PREFIX = /^\+[1-9][0-9]{0,14}$/;

function readPhonePrefix(entry: string): string | undefined {
  const trimmed = entry.trim();
  return PHONE_PREFIX.test(trimmed) ? trimmed : undefined;
}

// An address already in its comparable form: printable ASCII without A-Z or a second @ before the
// @, and a lowercase letter-digit-hyphen domain (see readDomain). Its key is itself: this spares a
// long list the full reader, and gives what the full reader would.
const COMPARABLE_ASCII_ADDRESS =
  /^[!-?[-~]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function readEmailKey(entry: string): string | undefined {
  // The fast path first: it matches no white space, so it needs no trimmed copy.
  if (entry.length <= 320 && COMPARABLE_ASCII_ADDRESS.test(entry) && !entry.includes('xn--')) return entry;
  const address = readEmailAddress(entry.trim());
  return address === undefined ? undefined : emailKeyOf(address);
}

/**
 * Reads every setting of one configuration, collecting problems instead of throwing, so that a
 * single deploy can fix all of them. Each reader returns the setting's default (from
 * SETTING_DEFAULTS) when its value is unusable. Keys are typed: a misspelt setting does not compile.
 */
export class EnvReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly settings: SettingValues) {}

  /**
   * The trimmed value of a setting or a `DENY_MESSAGE_<CODE>` text, or undefined when it is unset or
   * blank: consoles and templates make "set but empty" easy to produce by accident, so blank counts
   * as "not set". A list from a document is its entries joined by commas.
   */
  text(key: SettingName | DenyMessageVariable): string | undefined {
    const value = this.settings[key];
    const text = (typeof value === 'string' ? value : value?.join(','))?.trim();
    return text === undefined || text === '' ? undefined : text;
  }

  /**
   * Whether text() would give the setting a value, without joining a document's list into one text
   * to find out (a list of 100,000 entries is read as it is, see SettingValues): an array is set when
   * it has two entries or more (they join to a comma at least), or one that is not blank.
   */
  isSet(key: SettingName): boolean {
    const value = this.settings[key];
    if (typeof value === 'string') return value.trim() !== '';
    return value !== undefined && (value.length > 1 || value.some((entry) => entry.trim() !== ''));
  }

  /**
   * The entries of a list setting, untrimmed: a document's array as it is, or the text split at
   * commas. Undefined when unset or blank, as text() has it: an array of no entries, or of one
   * blank entry, is what a blank variable is.
   */
  entries(key: ListSetting): readonly string[] | undefined {
    const value = this.settings[key];
    if (typeof value === 'string') return value.trim() === '' ? undefined : value.split(',');
    if (value === undefined || value.length === 0 || (value.length === 1 && value[0]?.trim() === '')) {
      return undefined;
    }
    return value;
  }

  /** How many problems are recorded about these variables (a reader asks about its own only). */
  issueCount(...variables: readonly string[]): number {
    return this.issues.filter((issue) => variables.includes(issue.variable)).length;
  }

  /**
   * Records a problem, once. A secret's setting (SECRET_SETTINGS) is described, never quoted, whatever the
   * caller passed as `received`: one place keeps every secret out of the logs.
   */
  report(variable: string, received: string, expected: string, kind: IssueKind = 'value'): void {
    const secret = SECRET_SETTINGS.find((name) => name === variable);
    const shown =
      secret === undefined ? received : describeSecretValue(this.text(secret) ?? '', secret.endsWith('_PARAMETER'));
    // A setting read twice (a boolean is read into its field and again by the setting it goes with)
    // is reported once.
    const known = this.issues.some(
      (issue) => issue.variable === variable && issue.received === shown && issue.expected === expected,
    );
    if (!known) this.issues.push({ variable, received: shown, expected, kind });
  }

  /** `true` or `false` in any letter case; nothing else (`1`, `yes` and `on` are refused). */
  boolean(key: SettingName): boolean {
    const value = this.text(key);
    const lower = (value ?? SETTING_DEFAULTS[key]).toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false' || value === undefined) return false;
    this.report(key, describeReceived(value), '"true" or "false"');
    return SETTING_DEFAULTS[key] === 'true';
  }

  /** A whole number written in decimal digits, within the registry's bounds. */
  wholeNumber(key: NumberSetting): number {
    const [min, max] = SETTING_REGISTRY[key].bounds;
    const value = this.text(key);
    const defaultValue = Number(SETTING_DEFAULTS[key]);
    if (value === undefined) return defaultValue;
    const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isInteger(number) && number >= min && number <= max) return number;
    this.report(key, describeReceived(value), `a whole number from ${min} to ${max}`);
    return defaultValue;
  }

  /** A decimal number (`0.5`, `.5`, `1`) within the registry's bounds; undefined when unset. */
  decimal(key: NumberSetting): number | undefined {
    const [min, max] = SETTING_REGISTRY[key].bounds;
    const value = this.text(key);
    if (value === undefined) return undefined;
    const number = /^(?:\d{1,9}(?:\.\d{1,9})?|\.\d{1,9})$/.test(value) ? Number(value) : Number.NaN;
    if (number >= min && number <= max) return number;
    this.report(key, describeReceived(value), `a number from ${String(min)} to ${String(max)}`);
    return undefined;
  }

  /** One of the registry's `choices`, in any letter case; the default must be one of them. */
  choice<Name extends ChoiceSetting>(key: Name): ChoiceOf<Name> {
    type T = ChoiceOf<Name>;
    const choices: readonly T[] = SETTING_REGISTRY[key].choices;
    const value = this.text(key);
    const lower = (value ?? SETTING_DEFAULTS[key]).toLowerCase();
    const match = choices.find((choice) => choice === lower);
    if (match !== undefined) return match;
    this.report(key, describeReceived(value ?? ''), `one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return choices.find((choice) => choice === SETTING_DEFAULTS[key]) ?? (choices[0] as T);
  }

  /** Exact email addresses, read by the strict reader, as emailKeyOf gives them. */
  emailList(key: ListSetting): KeySet | undefined {
    return this.list(key, readEmailKeys, 'email addresses like "kim@example.com"');
  }

  /** Email addresses to block, each in the form blockKeyOf gives (no +tag; Gmail without dots). */
  blockedEmailList(key: ListSetting): KeySet | undefined {
    return this.list(key, readBlockKeys, 'email addresses like "kim@example.com"');
  }

  /** E.164 prefixes: `+` and 1-15 digits, not starting with 0 (`+1`, `+44`, `+4930`). */
  phonePrefixList(key: ListSetting): KeySet | undefined {
    return this.list(key, readPhonePrefixes, 'E.164 prefixes like "+1" or "+4930"');
  }

  /** A list, each entry read by `read`; every bad entry, and a list without entries, is reported. */
  private list(
    key: ListSetting,
    read: (entries: readonly string[]) => ListReading,
    expected: string,
  ): KeySet | undefined {
    const entries = this.entries(key);
    if (entries === undefined) return undefined;
    const { keys, badEntries } = readOnce(entries, read);
    for (const entry of badEntries) this.report(key, `the entry ${describeReceived(entry)}`, expected, 'entry');
    if (keys.size === 0 && badEntries.length === 0) this.report(key, describeReceived(this.text(key) ?? ''), expected);
    return keys.size > 0 && badEntries.length === 0 ? keys : undefined;
  }

  /**
   * A domain list; undefined when unset or blank. A value with no entry at all (`,` or ` , , `) is
   * reported rather than read as "no restriction".
   */
  domainList(key: ListSetting): DomainList | undefined {
    const entries = this.entries(key);
    if (entries === undefined) return undefined;
    const parsed = readOnce(entries, parseDomainList);
    if (parsed.ok) return parsed.list;
    if (parsed.empty) {
      this.report(key, describeReceived(this.text(key) ?? ''), 'at least one domain name, such as "example.com"');
    }
    for (const entry of parsed.badEntries) {
      this.report(
        key,
        `the entry ${describeReceived(entry)}`,
        'domain names like "example.com" or "*.example.com"',
        'entry',
      );
    }
    return undefined;
  }
}

/** A list read entry by entry: the keys of its good entries, and its bad entries (trimmed). */
interface ListReading {
  readonly keys: KeySet;
  readonly badEntries: readonly string[];
}

/** Reads every entry with `read`, which returns an entry's key, or undefined for a bad entry; blank entries are skipped. */
function readEntries(entries: readonly string[], read: (entry: string) => string | undefined): ListReading {
  const keys = new KeySetBuilder();
  const badEntries: string[] = [];
  for (const entry of entries) {
    const key = read(entry);
    if (key !== undefined) keys.add(key);
    else if (entry.trim() !== '') badEntries.push(entry.trim());
  }
  return { keys: keys.build(), badEntries };
}

const readEmailKeys = (entries: readonly string[]) => readEntries(entries, readEmailKey);
const readBlockKeys = (entries: readonly string[]) =>
  readEntries(entries, (entry) => {
    const key = readEmailKey(entry);
    return key === undefined ? undefined : blockKeyOf(key);
  });
const readPhonePrefixes = (entries: readonly string[]) => readEntries(entries, readPhonePrefix);

// A rules document's list is one array shared by every app client's configuration (the top level
// and each client's overrides are merged by reference): each reading of it is done once, not once
// per client. A list split from the environment's text is a new array each time, and never shared.
const readings = new WeakMap<readonly string[], Map<unknown, unknown>>();

function readOnce<T>(entries: readonly string[], read: (entries: readonly string[]) => T): T {
  let byReader = readings.get(entries);
  if (byReader === undefined) readings.set(entries, (byReader = new Map()));
  if (!byReader.has(read)) byReader.set(read, read(entries));
  return byReader.get(read) as T;
}
