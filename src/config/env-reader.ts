import { emailKeyOf, readEmailAddress } from '../read/email-address.js';
import { type DomainList, parseDomainList } from './domain-list.js';
import { SETTING_DEFAULTS, type Setting } from './settings.js';

/** The environment as Lambda gives it: plain strings, any of them possibly absent. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One invalid setting: which variable, what it held, what it should hold. */
export interface ConfigIssue {
  readonly variable: string;
  readonly received: string;
  readonly expected: string;
}

/** One issue as a line of text: `VARIABLE: expected …, received …`. */
export function describeIssue({ variable, received, expected }: ConfigIssue): string {
  return `${variable}: expected ${expected}, received ${received}`;
}

const PHONE_PREFIX = /^\+[1-9][0-9]{0,14}$/;

// An address already in its comparable form: printable ASCII without A-Z or a second @ before the
// @, and a lowercase letter-digit-hyphen domain (see readDomain). Its key is itself: this spares a
// long list the full reader (~1 µs an entry), and gives what the full reader would.
const COMPARABLE_ASCII_ADDRESS =
  /^[!-?[-~]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function readEmailKey(entry: string): string | undefined {
  if (entry.length <= 320 && COMPARABLE_ASCII_ADDRESS.test(entry) && !entry.includes('xn--')) return entry;
  const address = readEmailAddress(entry);
  return address === undefined ? undefined : emailKeyOf(address);
}

// Long values are cut in error logs: the point is to recognise the value, not to copy it.
const MAX_SHOWN_LENGTH = 80;

/** How a received value is shown in a configuration error. */
export function describeReceived(value: string): string {
  const shown = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
  return JSON.stringify(shown);
}

/**
 * Reads every setting of one configuration, collecting problems instead of throwing, so that a
 * single deploy can fix all of them. Each reader returns the setting's default (from
 * SETTING_DEFAULTS) when its value is unusable. Keys are typed: a misspelt setting does not compile.
 */
export class EnvReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly env: Env) {}

  /**
   * The trimmed value of a setting, or undefined when it is unset or blank. Consoles and templates
   * make "set but empty" easy to produce by accident, so blank counts as "not set".
   */
  raw(key: Setting): string | undefined {
    const value = this.env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  report(variable: string, received: string, expected: string): void {
    this.issues.push({ variable, received, expected });
  }

  /** `true` or `false` in any letter case; nothing else (`1`, `yes` and `on` are refused). */
  boolean(key: Setting): boolean {
    const value = this.raw(key);
    const lower = (value ?? SETTING_DEFAULTS[key]).toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false' || value === undefined) return false;
    this.report(key, describeReceived(value), '"true" or "false"');
    return SETTING_DEFAULTS[key] === 'true';
  }

  /** A whole number written in decimal digits, within [min, max]. */
  wholeNumber(key: Setting, min: number, max: number): number {
    const value = this.raw(key);
    const defaultValue = Number(SETTING_DEFAULTS[key]);
    if (value === undefined) return defaultValue;
    const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isInteger(number) && number >= min && number <= max) return number;
    this.report(key, describeReceived(value), `a whole number from ${min} to ${max}`);
    return defaultValue;
  }

  /** One of a fixed set of words, in any letter case; the default must be one of them. */
  choice<const T extends string>(key: Setting, choices: readonly T[]): T {
    const value = this.raw(key);
    const lower = (value ?? SETTING_DEFAULTS[key]).toLowerCase();
    const match = choices.find((choice) => choice === lower);
    if (match !== undefined) return match;
    this.report(key, describeReceived(value ?? ''), `one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return choices.find((choice) => choice === SETTING_DEFAULTS[key]) ?? (choices[0] as T);
  }

  /**
   * A comma-separated domain list; undefined when unset or blank. A value with no entry at all
   * (`,` or ` , , `) is reported rather than read as "no restriction".
   */
  /** Exact email addresses, read by the strict reader, as emailKeyOf gives them. */
  emailList(key: Setting): ReadonlySet<string> | undefined {
    return this.list(key, readEmailKey, 'email addresses like "kim@example.com"');
  }

  /** E.164 prefixes: `+` and 1-15 digits, not starting with 0 (`+1`, `+44`, `+4930`). */
  phonePrefixList(key: Setting): ReadonlySet<string> | undefined {
    return this.list(
      key,
      (entry) => (PHONE_PREFIX.test(entry) ? entry : undefined),
      'E.164 prefixes like "+1" or "+4930"',
    );
  }

  /** A comma-separated list, each entry read by `read`; every bad entry, and an empty list, is reported. */
  private list(
    key: Setting,
    read: (entry: string) => string | undefined,
    expected: string,
  ): ReadonlySet<string> | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const entries = new Set<string>();
    const issuesBefore = this.issues.length;
    for (const entry of value.split(',').map((part) => part.trim())) {
      if (entry === '') continue;
      const parsed = read(entry);
      if (parsed === undefined) this.report(key, `the entry ${describeReceived(entry)}`, expected);
      else entries.add(parsed);
    }
    if (entries.size === 0 && this.issues.length === issuesBefore) this.report(key, describeReceived(value), expected);
    return this.issues.length === issuesBefore ? entries : undefined;
  }

  domainList(key: Setting): DomainList | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const parsed = parseDomainList(value);
    if (parsed.ok) return parsed.list;
    if (parsed.empty) this.report(key, describeReceived(value), 'at least one domain name, such as "example.com"');
    for (const entry of parsed.badEntries) {
      this.report(key, `the entry ${describeReceived(entry)}`, 'domain names like "example.com" or "*.example.com"');
    }
    return undefined;
  }
}
