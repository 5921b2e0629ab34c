import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { LIST_SETTINGS } from '../../src/config/settings.js';
import { sampleOf, sampleSettingsOf } from '../helpers/setting-samples.js';

// A rules document's list is read as the array it is, never joined into one text to be split
// again (env-reader.ts, SettingValues): a list of 100,000 entries joined is a large part of the load
// budget, and a document's configuration is loaded once per app client. Whether a setting is set is
// known without joining it: an array is blank only when it has no entry, or one blank entry.

/** A document's list whose joins are counted. */
function countingJoins(entries: readonly string[]): { readonly list: readonly string[]; readonly joins: () => number } {
  let joins = 0;
  const list = [...entries];
  Object.defineProperty(list, 'join', {
    value: (separator?: string) => {
      joins++;
      return Array.prototype.join.call(list, separator);
    },
  });
  return { list, joins: () => joins };
}

describe("loadConfig on a document's lists", () => {
  it.each(LIST_SETTINGS)('reads %s, valid, without joining its entries', (name) => {
    const { list, joins } = countingJoins(sampleOf(name).value.split(','));
    const { issues } = loadConfig({ ...sampleSettingsOf(name), [name]: list });
    expect(issues).toEqual([]);
    expect(joins()).toBe(0);
  });
});
