import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLog } from './helpers/capture-log.js';
import { EVENT_CASES } from './helpers/event-cases.js';
import { eventFileNames, loadEvent } from './helpers/events.js';
import { invokeSource } from './helpers/invoke-source.js';

let log: ReturnType<typeof captureLog>;
beforeEach(() => {
  log = captureLog();
});
afterEach(() => log.restore());

describe('events/', () => {
  it('has an expected outcome for every file', () => {
    const covered = new Set(EVENT_CASES.map((eventCase) => eventCase.file));
    expect(eventFileNames().filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(EVENT_CASES.map((eventCase) => [eventCase.file, JSON.stringify(eventCase.env), eventCase] as const))(
    '%s with %s',
    async (file, _, { env, expected }) => {
      const { result, error } = await invokeSource(loadEvent(file), { ...env });
      if ('refused' in expected) {
        expect(error?.message).toMatch(new RegExp(`^${expected.refused}: `));
      } else if ('unchanged' in expected) {
        expect(result).toEqual(loadEvent(file));
      } else {
        expect(error).toBeUndefined();
        expect((result as { response: unknown }).response).toEqual(expected.flags);
      }
    },
  );
});
