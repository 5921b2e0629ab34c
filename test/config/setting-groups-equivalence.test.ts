import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContainerConfig } from '../../src/config/container-config.js';
import { containerConfigOfEnvironment } from '../../src/config/container-config.js';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import type { Env, SettingValues } from '../../src/config/env-reader.js';
import { loadConfig } from '../../src/config/load-config.js';
import { kindOfSetting, SETTING_REGISTRY, SETTINGS, type SettingName } from '../../src/config/settings.js';
import { loadConfig as loadConfigBeforeGroups } from '../helpers/old-load-config.js';
import { sampleOf } from '../helpers/setting-samples.js';

// loadConfig runs a group's reader only when one of the group's settings is set (SETTING_GROUPS,
// readGroup). That is a pure optimisation: for every input it must give what loadConfig gave when
// it ran every reader, kept as test/helpers/old-load-config.ts. These properties draw settings over
// every name with adversarial values and shapes, through loadConfig itself and through the entry
// points that use it (the environment alone; a rules document with per-client overrides), and ask
// for the same config, issues and warnings, in the same order.

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

/** The values a setting is drawn from: its sample, its other samples, its companions' values, and the adversarial ones. */
function textsOf(name: string): readonly string[] {
  const own = Object.hasOwn(SETTING_REGISTRY, name) ? sampleOf(name as SettingName) : undefined;
  const fromSamples = SETTINGS.flatMap((other) => {
    const beside = sampleOf(other).with ?? {};
    return Object.hasOwn(beside, name) ? [beside[name] ?? ''] : [];
  });
  return [
    ...new Set([...(own === undefined ? [] : [own.value, ...(own.more ?? [])]), ...fromSamples, ...ADVERSARIAL_TEXTS]),
  ];
}

const NAMES: readonly string[] = [...SETTINGS, ...OTHER_NAMES];

/** A setting's text, as an environment variable holds it. */
const textOf = (name: string): fc.Arbitrary<string> => fc.constantFrom(...textsOf(name));

/** The shapes a list takes in a document: empty, one blank entry, blanks beside an entry, a text's entries (padded or not). */
function arrayOf(name: string): fc.Arbitrary<readonly string[]> {
  return fc.oneof(
    fc.constantFrom<readonly string[]>([], [''], [' '], [' ', 'x'], ['', ''], ['x', ' '], ['', 'x']),
    textOf(name).map((text) => text.split(',')),
    textOf(name).map((text) => text.split(',').map((entry) => ` ${entry} `)),
  );
}

/** A value of SettingValues: a text, or (for any name: loadConfig's input type allows it) an array. */
const settingValueOf = (name: string): fc.Arbitrary<string | readonly string[]> =>
  fc.oneof({ weight: 3, arbitrary: textOf(name) }, { weight: 1, arbitrary: arrayOf(name) });

/**
 * Settings over every name: a few samples with what they need beside them (so that the groups'
 * readers reach past their first checks), overlaid with drawn values for any names.
 */
function settingsOver<Value>(
  valueOf: (name: string) => fc.Arbitrary<Value>,
): fc.Arbitrary<Record<string, Value | string>> {
  const samples = fc
    .uniqueArray(fc.constantFrom(...SETTINGS), { maxLength: 4 })
    .map(
      (names) =>
        Object.assign({}, ...names.map((name) => ({ ...sampleOf(name).with, [name]: sampleOf(name).value }))) as Record<
          string,
          string
        >,
    );
  const drawn = fc
    .uniqueArray(fc.constantFrom(...NAMES), { maxLength: 8 })
    .chain((names) => fc.tuple(...names.map((name) => valueOf(name).map((value) => [name, value] as const))))
    .map((entries) => Object.fromEntries(entries) as Record<string, Value>);
  return fc.tuple(samples, drawn).map(([sampled, overlaid]) => ({ ...sampled, ...overlaid }));
}

/** A document's value for a setting, in the JSON type its kind takes (and, now and then, a wrong one). */
function documentValueOf(name: string): fc.Arbitrary<unknown> {
  const kind = kindOfSetting(name);
  const typed = textOf(name).map((text): unknown => {
    if (kind === 'boolean' && /^(?:true|false)$/.test(text)) return text === 'true';
    if ((kind === 'whole-number' || kind === 'decimal') && /^-?\d*\.?\d+$/.test(text)) return Number(text);
    if (kind === 'list') return text.split(',');
    return text;
  });
  return fc.oneof(
    { weight: 6, arbitrary: typed },
    { weight: kind === 'list' ? 3 : 0, arbitrary: arrayOf(name) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(true, 3, null, ['a,b'], 'text', [' ']) },
  );
}

const CLIENT_IDS = ['1example23456789', 'abcdefghij0123456789klmnop', 'bad id'] as const;

/** A rules document's text: top-level settings, and (often) clients that override some of them. */
const documents: fc.Arbitrary<string> = fc
  .tuple(
    settingsOver(documentValueOf),
    fc.dictionary(fc.constantFrom(...CLIENT_IDS), settingsOver(documentValueOf), { maxKeys: 2 }),
  )
  .map(([top, clients]) => JSON.stringify(Object.keys(clients).length === 0 ? top : { ...top, clients }));

/** An environment: texts only, as Lambda gives them. */
const environments: fc.Arbitrary<Env> = settingsOver(textOf);

/** A container configuration in a comparable form: its maps as entry lists. */
function comparable(container: ContainerConfig): unknown {
  return { loaded: container.loaded, byClient: [...container.byClient], clientWarnings: container.clientWarnings };
}

describe('loadConfig with setting groups, against loadConfig before them', () => {
  it('gives the same config, issues and warnings, in the same order, for any settings of any shape', () => {
    fc.assert(
      fc.property(settingsOver(settingValueOf), (settings: SettingValues) => {
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
      vi.doMock('../../src/config/load-config.js', () => {
        mockUsed = true;
        return import('../helpers/old-load-config.js');
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
        fc.property(environments, documents, fc.constantFrom('RULES_FILE', 'RULES_PARAMETER'), (env, text, origin) => {
          expect(comparable(containerConfigWithDocument(env, text, origin))).toEqual(
            comparable(before.containerConfigWithDocument(env, text, origin)),
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
