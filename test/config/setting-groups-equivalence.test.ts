import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContainerConfig } from '../../src/config/container-config.js';
import { containerConfigOfEnvironment } from '../../src/config/container-config.js';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import type { Env, SettingValues } from '../../src/config/env-reader.js';
import { EnvReader } from '../../src/config/env-reader.js';
import { type Config, loadConfig, SETTING_GROUPS } from '../../src/config/load-config.js';
import { kindOfSetting, SETTING_REGISTRY, SETTINGS, type SettingName } from '../../src/config/settings.js';
import { loadConfig as loadConfigBeforeGroups } from '../helpers/old-load-config.js';
import { sampleOf } from '../helpers/setting-samples.js';

// loadConfig runs a group's reader only when one of the group's settings is set (SETTING_GROUPS,
// readGroup). That is a pure optimisation: for every input it must give what loadConfig gave when
// it ran every reader, kept as test/helpers/old-load-config.ts. These properties draw settings over
// every name with adversarial values and shapes, through loadConfig itself and through the entry
// points that use it (the environment alone; a rules document with per-client overrides), and ask
// for the same config, issues and warnings, in the same order. The first describe guards this one
// change: when a reader is changed on purpose, delete it and the old copy; the last describe, which
// compares each group with its own reader, needs no copy and stays.

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

/** An environment: texts only, as Lambda gives them. */
const environments: fc.Arbitrary<Env> = settingsOver<string>({
  sampled: SETTINGS,
  names: anyName,
  valueOf: textOf,
  sampleValueOf: (name, text) => text,
});

const ENVIRONMENT_ONLY = SETTINGS.filter((name) => SETTING_REGISTRY[name].override === 'environment-only');
const IN_DOCUMENTS = SETTINGS.filter((name) => SETTING_REGISTRY[name].override !== 'environment-only');

/** The environment beside a document: mostly the settings only it may hold (a name the document has too is an issue). */
const environmentsBesideDocuments: fc.Arbitrary<Env> = fc.oneof(
  {
    weight: 3,
    arbitrary: settingsOver<string>({
      sampled: ENVIRONMENT_ONLY.filter((name) => name !== 'RULES_FILE' && name !== 'RULES_PARAMETER'),
      names: fc.constantFrom(...ENVIRONMENT_ONLY),
      valueOf: textOf,
      sampleValueOf: (name, text) => text,
    }),
  },
  { weight: 1, arbitrary: environments },
);

/** A sample's text as the JSON type a document gives its setting's kind. */
function jsonOf(name: string, text: string): unknown {
  const kind = kindOfSetting(name);
  if (kind === 'boolean' && /^(?:true|false)$/.test(text)) return text === 'true';
  if ((kind === 'whole-number' || kind === 'decimal') && /^-?\d*\.?\d+$/.test(text)) return Number(text);
  if (kind === 'list') return text.split(',');
  return text;
}

/** A document's value for a name: mostly of its kind's JSON type (blank and padded entries included), rarely of another. */
function documentValueOf(name: string): fc.Arbitrary<unknown> {
  const kind = kindOfSetting(name);
  const typed =
    kind === 'boolean'
      ? fc.boolean()
      : kind === 'list'
        ? fc.oneof(
            arrayOf(name),
            textOf(name).map((text) => jsonOf(name, text)),
          )
        : textOf(name).map((text) => jsonOf(name, text));
  return fc.oneof(
    { weight: 12, arbitrary: typed },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(true, 3, 2.5, null, ['a,b'], 'text', [' '], {}) },
  );
}

const documentSettings = settingsOver<unknown>({
  sampled: IN_DOCUMENTS,
  // Now and then a name a document may not hold: unknown, a near miss, environment-only.
  names: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...IN_DOCUMENTS, ...OTHER_NAMES.slice(0, 3)) },
    { weight: 1, arbitrary: anyName },
  ),
  valueOf: documentValueOf,
  sampleValueOf: jsonOf,
});

const CLIENT_IDS = ['1example23456789', 'abcdefghij0123456789klmnop', 'bad id'] as const;

/** Settings a document may hold, from samples alone: mostly valid, so that a client's overrides are compared with a working top level. */
const sampleDocumentSettings = settingsOver<unknown>({
  sampled: IN_DOCUMENTS,
  names: fc.constantFrom(...IN_DOCUMENTS),
  valueOf: (name) =>
    kindOfSetting(name) === 'boolean'
      ? fc.boolean()
      : fc
          .constantFrom(...ownTextsOf(name), ...(/^(?:text|list)$/.test(kindOfSetting(name) ?? '') ? [''] : []))
          .map((text) => jsonOf(name, text)),
  sampleValueOf: jsonOf,
});

/** A rules document's text: top-level settings, and (often) clients that override some of them. */
function documentsOf(
  settings: fc.Arbitrary<Record<string, unknown>>,
  clientIds: readonly string[],
): fc.Arbitrary<string> {
  return fc
    .tuple(settings, fc.dictionary(fc.constantFrom(...clientIds), settings, { maxKeys: 2 }))
    .map(([top, clients]) => JSON.stringify(Object.keys(clients).length === 0 ? top : { ...top, clients }));
}

const documents: fc.Arbitrary<string> = fc.oneof(
  documentsOf(documentSettings, CLIENT_IDS),
  documentsOf(sampleDocumentSettings, CLIENT_IDS.slice(0, 2)),
);

/** A container configuration in a comparable form: its maps as entry lists. */
function comparable(container: ContainerConfig): unknown {
  return { loaded: container.loaded, byClient: [...container.byClient], clientWarnings: container.clientWarnings };
}

describe('loadConfig with setting groups, against loadConfig before them', () => {
  it('gives the same config, issues and warnings, in the same order, for any settings of any shape', () => {
    fc.assert(
      fc.property(settingValues, (settings) => {
        expect(loadConfig(settings)).toEqual(loadConfigBeforeGroups(settings));
      }),
      { numRuns: 400 },
    );
  });

  describe('through the entry points', () => {
    // The entry points as they were: the same modules, with loadConfig from before the groups.
    let before: {
      containerConfigOfEnvironment: typeof containerConfigOfEnvironment;
      containerConfigWithDocument: typeof containerConfigWithDocument;
    };
    let mockUsed = false;
    beforeAll(async () => {
      vi.resetModules();
      // The module as it is, but its loadConfig: the rest of it (the linking check) did not change.
      vi.doMock('../../src/config/load-config.js', async (importOriginal) => {
        mockUsed = true;
        const old = await import('../helpers/old-load-config.js');
        return { ...(await importOriginal<Record<string, unknown>>()), loadConfig: old.loadConfig };
      });
      const [container, document] = await Promise.all([
        import('../../src/config/container-config.js'),
        import('../../src/config/document-config.js'),
      ]);
      before = {
        containerConfigOfEnvironment: container.containerConfigOfEnvironment,
        containerConfigWithDocument: document.containerConfigWithDocument,
      };
    });
    afterAll(() => {
      vi.doUnmock('../../src/config/load-config.js');
      vi.resetModules();
    });

    it('the mocked entry points are the old loadConfig, not the new one', () => {
      // Guards the comparisons below against comparing the new code with itself.
      expect(mockUsed).toBe(true);
      expect(before.containerConfigOfEnvironment).not.toBe(containerConfigOfEnvironment);
    });

    it('the environment alone: the same configuration', () => {
      fc.assert(
        fc.property(environments, (env) => {
          expect(comparable(containerConfigOfEnvironment(env))).toEqual(
            comparable(before.containerConfigOfEnvironment(env)),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('a rules document with app clients, merged with the environment: the same configuration for every client', () => {
      fc.assert(
        fc.property(
          environmentsBesideDocuments,
          documents,
          fc.constantFrom('RULES_FILE', 'RULES_PARAMETER'),
          (env, text, origin) => {
            expect(comparable(containerConfigWithDocument(env, text, origin))).toEqual(
              comparable(before.containerConfigWithDocument(env, text, origin)),
            );
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});

// The same promise without the old copy, which a deliberate change to a reader makes stale: each
// group's reader, run by itself on the whole input, gives the field loadConfig gives, and loadConfig
// says every warning and issue it says. A group that skips its reader while one of its settings
// is set loses one of these; a reader that decides on what other settings did (the issues already
// reported, the warnings already given: ReaderOf lets it see both) gives another field.
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
