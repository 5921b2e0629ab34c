import { describe, expect, it } from 'vitest';
import { capturedLogOfEachTest } from './helpers/capture-log.js';
import { EVENT_CASE_ROWS, EVENT_CASES, expectOutcome } from './helpers/event-cases.js';
import { eventFileNames, loadEvent } from './helpers/events.js';
import { invokeSource } from './helpers/invoke-source.js';

// The lines are not checked here (handler.test.ts does); capturing keeps the test output readable.
capturedLogOfEachTest();

describe('events/', () => {
  it('has an expected outcome for every file', () => {
    const covered = new Set(EVENT_CASES.map((eventCase) => eventCase.file));
    expect(eventFileNames().filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(EVENT_CASE_ROWS)('%s with %s', async (file, _, eventCase) => {
    const { result, error } = await invokeSource(loadEvent(file), { ...eventCase.env });
    expectOutcome(eventCase, { result, errorMessage: error?.message });
  });
});
