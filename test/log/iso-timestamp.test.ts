import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../../src/log/iso-timestamp.js';

const YEAR_10000 = Date.UTC(10_000, 0, 1);

describe('isoTimestamp', () => {
  it('writes what toISOString writes, at the edges of days, months, leap years and centuries', () => {
    const edges = [
      0,
      1,
      999,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2000, 2, 1),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(2100, 2, 1),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 10, 30, 11, 45, 0, 123),
      YEAR_10000 - 1,
    ];
    for (const time of edges) expect(isoTimestamp(time)).toBe(new Date(time).toISOString());
  });

  it('writes what toISOString writes for any millisecond from 1970 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: YEAR_10000 - 1 }), (time) => {
        expect(isoTimestamp(time)).toBe(new Date(time).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('drops a fraction of a millisecond, as Date does', () => {
    expect(isoTimestamp(1_764_503_100_123.9)).toBe(new Date(1_764_503_100_123.9).toISOString());
  });
});
