import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../src/config/env-reader.js';
import { loadConfig, SETTING_GROUPS } from '../../src/config/load-config.js';
import { SETTING_REGISTRY } from '../../src/config/settings.js';

// loadConfig runs a group's reader only when one of the group's settings is set, and otherwise
// takes the group's `unset` value: that is right only if the reader, run with none of them set,
// gives exactly that value, and says nothing. (That it reads no other setting is its type's job:
// ReaderOf in load-config.ts.)
describe('the setting groups loadConfig reads', () => {
  for (const [field, group] of Object.entries(SETTING_GROUPS)) {
    it(`${field}: its reader on an empty environment gives its unset value, with no warning and no issue`, () => {
      const reader = new EnvReader({});
      const warnings: string[] = [];
      expect(group.read(reader as never, warnings)).toEqual(group.unset);
      expect(warnings).toEqual([]);
      expect(reader.issues).toEqual([]);
    });

    it(`${field}: reads settings of the registry, each once`, () => {
      expect(group.settings.length).toBeGreaterThan(0);
      expect(new Set(group.settings).size).toBe(group.settings.length);
      for (const name of group.settings) expect(Object.hasOwn(SETTING_REGISTRY, name)).toBe(true);
    });
  }

  it.each([[[]], [['']], [[' ']], [['', '']], [[' ', 'x']], [['x']], ['x'], [' '], [''], [undefined]] as const)(
    'EnvReader.isSet(%j) says what text() !== undefined says, without joining a list',
    (value) => {
      const reader = new EnvReader({ LOG_ONLY_RULES: value });
      expect(reader.isSet('LOG_ONLY_RULES')).toBe(reader.text('LOG_ONLY_RULES') !== undefined);
    },
  );

  it('runs a group as soon as any one of its settings is set, even one it reads only for a warning', () => {
    // RATE_LIMIT_TABLE alone does nothing but warn: the reader must have run for the warning to be there.
    expect(loadConfig({ RATE_LIMIT_TABLE: 'counts' }).warnings).toContain(
      'RATE_LIMIT_TABLE has no effect while RATE_LIMITS is not set',
    );
    expect(loadConfig({ WAITLIST_DAYS: '30' }).warnings).toContain(
      'WAITLIST_DAYS has no effect while WAITLIST_TABLE is not set',
    );
    expect(loadConfig({ CAPTCHA_ACTION: 'signup' }).warnings).toContain(
      'CAPTCHA_ACTION has no effect while CAPTCHA is not set',
    );
  });
});
