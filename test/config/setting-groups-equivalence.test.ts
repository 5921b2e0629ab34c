import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SettingValues } from '../../src/config/env-reader.js';
import { EnvReader } from '../../src/config/env-reader.js';
import { type Config, loadConfig, SETTING_GROUPS } from '../../src/config/load-config.js';
import { SETTING_REGISTRY, SETTINGS, type SettingName } from '../../src/config/settings.js';
import { sampleOf } from '../helpers/setting-samples.js';

// loadConfig runs a group's reader only when one of the group's settings is set (SETTING_GROUPS,
// readGroup). That is a pure optimisation: for every input it must give what running every reader
// gives. This property draws settings over every name with adversarial values and shapes (blank,
// whitespace, letter case, arrays) and asks that each group's reader, run by itself on the whole
// input, gives the field loadConfig gives, and that loadConfig says every warning and issue it says.
// (When the groups were made, the same draws also compared loadConfig, the environment's and a rules
// document's configurations with a frozen copy of the reader from before them, 1,000 cases a run and
// 32,000 once, with no difference; that copy was retired with this note.)

/** Names besides the registry's: refusal texts, one that is no code, and near misses of group settings. */
const OTHER_NAMES = [
  'DENY_MESSAGE_EMAIL_BLOCKED',
  'DENY_MESSAGE_EMAIL_DOMAIN_TYPO',
  'DENY_MESSAGE_NOT_A_CODE',
  'captcha',
  'Invite_Required',
  'CAPTHCA',
  'RATE_LIMIT',
  'WAITLIST_TABEL',
  'METRIC_NAMESPACE',
] as const;

/** Texts any setting may be given: blanks, separators alone, letter case, bad numbers, a long text. */
const ADVERSARIAL_TEXTS = [
  '',
  ' ',
  '\t',
  '\n',
  // Trimmed as blank (no-break space, byte order mark), and not (zero-width space).
  '\u00A0',
  '\uFEFF',
  '\u200B',
  ',',
  ' , ',
  ',,',
  'x',
  'TRUE',
  'False',
  ' true ',
  'yes',
  '0',
  '-1',
  '1.5',
  '.5',
  '99999999999',
  'AWS/Mine',
  '/app/x',
  'invites',
  'counts',
  'turnstile',
  'HCAPTCHA',
  'email',
  'pool:10/d',
  'Google',
  'Cognito',
  'x'.repeat(40),
  'has a . final period.',
  'Did you mean {suggestion}',
];

/** A setting's own values: its sample, its other samples, and what other samples give it beside them. */
function ownTextsOf(name: string): readonly string[] {
  const own = Object.hasOwn(SETTING_REGISTRY, name) ? sampleOf(name as SettingName) : undefined;
  const fromSamples = SETTINGS.flatMap((other) => {
    const beside = sampleOf(other).with ?? {};
    return Object.hasOwn(beside, name) ? [beside[name] ?? ''] : [];
  });
  return [...new Set([...(own === undefined ? [] : [own.value, ...(own.more ?? [])]), ...fromSamples])];
}

const NAMES: readonly string[] = [...SETTINGS, ...OTHER_NAMES];

/**
 * A setting's text, as an environment variable holds it: as often its own values (so that many
 * configurations are valid, and the readers go past their checks) as the adversarial ones.
 */
function textOf(name: string): fc.Arbitrary<string> {
  const own = ownTextsOf(name);
  const adversarial = fc.constantFrom(...ADVERSARIAL_TEXTS);
  return own.length === 0 ? adversarial : fc.oneof(fc.constantFrom(...own), adversarial);
}

/** The shapes a list takes in a document: empty, one blank entry, blanks beside an entry, a text's entries (padded or not). */
function arrayOf(name: string): fc.Arbitrary<readonly string[]> {
  return fc.oneof(
    fc.constantFrom<readonly string[]>([], [''], [' '], [' ', 'x'], ['', ''], ['x', ' '], ['', 'x']),
    textOf(name).map((text) => text.split(',')),
    textOf(name).map((text) => text.split(',').map((entry) => ` ${entry} `)),
  );
}

/** Where a property draws its names from, and how a sample's text becomes a value there. */
interface Draw<Value> {
  /** The settings whose samples (with what they need beside them) are drawn. */
  readonly sampled: readonly SettingName[];
  /** The names drawn values are given for. */
  readonly names: fc.Arbitrary<string>;
  readonly valueOf: (name: string) => fc.Arbitrary<Value>;
  /** A sample's text as a value of this place. */
  readonly sampleValueOf: (name: string, text: string) => Value;
}

/**
 * Settings: a few samples with what they need beside them (so that the groups' readers reach past
 * their first checks), overlaid with drawn values.
 */
function settingsOver<Value>({
  sampled,
  names,
  valueOf,
  sampleValueOf,
}: Draw<Value>): fc.Arbitrary<Record<string, Value>> {
  const samples = fc.uniqueArray(fc.constantFrom(...sampled), { maxLength: 4 }).map((chosen) => {
    const settings: Record<string, Value> = {};
    for (const name of chosen) {
      const { value, with: beside = {} } = sampleOf(name);
      for (const [other, text] of [...Object.entries(beside), [name, value] as const]) {
        settings[other] = sampleValueOf(other, text);
      }
    }
    return settings;
  });
  const drawn = fc
    .uniqueArray(names, { maxLength: 6 })
    .chain((chosen) => fc.tuple(...chosen.map((name) => valueOf(name).map((value) => [name, value] as const))))
    .map((entries) => Object.fromEntries(entries) as Record<string, Value>);
  return fc.tuple(samples, drawn).map(([sampledSettings, overlaid]) => ({ ...sampledSettings, ...overlaid }));
}

const anyName = fc.constantFrom(...NAMES);

/** loadConfig's own input: any name, a text or (for any name: its type allows it) an array. */
const settingValues: fc.Arbitrary<SettingValues> = settingsOver<string | readonly string[]>({
  sampled: SETTINGS,
  names: anyName,
  valueOf: (name) => fc.oneof({ weight: 3, arbitrary: textOf(name) }, { weight: 1, arbitrary: arrayOf(name) }),
  sampleValueOf: (name, text) => text,
});

// A group that skips its reader while one of its settings is set loses one of these; a reader that
// decides on what other settings did (the warnings already given) gives another field.
describe('each setting group, against its own reader run on every input', () => {
  it("loadConfig gives the field, and says the warnings and issues, the group's reader gives", () => {
    fc.assert(
      fc.property(settingValues, (settings) => {
        const loaded = loadConfig(settings);
        for (const [field, group] of Object.entries(SETTING_GROUPS)) {
          const reader = new EnvReader(settings);
          const warnings: string[] = [];
          const value: unknown = group.read(reader, warnings);
          expect(loaded.config[field as keyof Config], field).toEqual(value);
          for (const warning of warnings) expect(loaded.warnings, field).toContain(warning);
          for (const issue of reader.issues) expect(loaded.issues, field).toContainEqual(issue);
        }
      }),
      { numRuns: 300 },
    );
  });
});
