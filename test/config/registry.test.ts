import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import { type SettingName, SETTING_REGISTRY, SETTINGS } from '../../src/config/settings.js';
import { sampleOf } from '../helpers/setting-samples.js';

/** A value as a rules document gives it: JSON's own type for the setting's kind. */
function asJson(name: SettingName, value: string): unknown {
  switch (SETTING_REGISTRY[name].kind) {
    case 'boolean':
      return value === 'true';
    case 'whole-number':
    case 'decimal':
      return Number(value);
    case 'list':
      return value.split(',');
    case 'text':
      return value;
  }
}

describe('the settings registry', () => {
  it.each(SETTINGS.map((name) => [name]))('%s reaches the function through the environment', (name) => {
    const { value, with: others = {} } = sampleOf(name);
    const withIt = loadConfig({ EXISTING_ACCOUNT_POLICY: 'ignore', ...others, [name]: value });
    const without = loadConfig({ EXISTING_ACCOUNT_POLICY: 'ignore', ...others });
    expect(withIt.issues).toEqual([]);
    // The setting changed what the function will do (RULES_FILE is read by the loader, not here).
    if (name !== 'RULES_FILE') expect(withIt.config).not.toEqual(without.config);
  });

  it.each(SETTINGS.filter((name) => SETTING_REGISTRY[name].override !== 'environment-only').map((name) => [name]))(
    '%s reaches the function through a rules document, as it does through the environment',
    (name) => {
      const { value, with: others = {} } = sampleOf(name);
      // (The alias warning's acknowledgement, unless it is the setting under test.)
      const env = name === 'EXISTING_ACCOUNT_POLICY' ? others : { EXISTING_ACCOUNT_POLICY: 'ignore', ...others };
      const fromEnvironment = loadConfig({ ...env, [name]: value });
      const document = JSON.stringify({ [name]: asJson(name, value) });
      const { loaded } = containerConfigWithDocument(env, document, 'RULES_FILE');
      expect(loaded.issues).toEqual([]);
      expect(loaded.config).toEqual(fromEnvironment.config);
    },
  );
});
