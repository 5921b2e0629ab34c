import { type DomainList, parseDomainList } from '../domains.js';
import type { ConfigIssue } from '../errors.js';

/** The environment as Lambda gives it: plain strings, any of them possibly absent. */
export type Env = Readonly<Record<string, string | undefined>>;

// Long values are cut in error logs: the point is to recognise the value, not to copy it.
const MAX_SHOWN_LENGTH = 80;

/** How a received value is shown in a configuration error. */
export function describeReceived(value: string): string {
  const shown = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
  return JSON.stringify(shown);
}

/**
 * The trimmed value of a variable, or undefined when it is unset or blank. Consoles and templates
 * make "set but empty" easy to produce by accident, so blank counts as "not set" (the default applies).
 */
export function readRaw(env: Env, key: string): string | undefined {
  const value = env[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads every setting of one configuration, collecting problems instead of throwing, so that a
 * single deploy can fix all of them. Each reader returns the default when its value is unusable.
 */
export class EnvReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly env: Env) {}

  raw(key: string): string | undefined {
    return readRaw(this.env, key);
  }

  report(variable: string, received: string, expected: string): void {
    this.issues.push({ variable, received, expected });
  }

  /** `true` or `false` in any letter case; nothing else (`1`, `yes` and `on` are refused). */
  boolean(key: string, defaultValue: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) return defaultValue;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    this.report(key, describeReceived(value), '"true" or "false"');
    return defaultValue;
  }

  /** A whole number written in decimal digits, within [min, max]. */
  wholeNumber(key: string, defaultValue: number, min: number, max: number): number {
    const value = this.raw(key);
    if (value === undefined) return defaultValue;
    const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isInteger(number) && number >= min && number <= max) return number;
    this.report(key, describeReceived(value), `a whole number from ${min} to ${max}`);
    return defaultValue;
  }

  /** One of a fixed set of words, in any letter case. */
  choice<const T extends string>(key: string, choices: readonly T[], defaultValue: T): T {
    const value = this.raw(key);
    if (value === undefined) return defaultValue;
    const lower = value.toLowerCase();
    const match = choices.find((choice) => choice === lower);
    if (match !== undefined) return match;
    this.report(key, describeReceived(value), `one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return defaultValue;
  }

  /**
   * A comma-separated domain list; undefined when unset or blank. A value with no entry at all
   * (`,` or ` , , `) is reported rather than read as "no restriction".
   */
  domainList(key: string): DomainList | undefined {
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
