import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySetBuilder, SORTED_LIST_MINIMUM } from '../../src/config/key-set.js';

function keySetOf(keys: readonly string[]) {
  const builder = new KeySetBuilder();
  for (const key of keys) builder.add(key);
  return builder.build();
}

describe('KeySetBuilder', () => {
  it('searches a long list in increasing order in place, and finds exactly what a Set finds (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 12 }), {
          minLength: SORTED_LIST_MINIMUM,
          maxLength: SORTED_LIST_MINIMUM + 200,
        }),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 50 }),
        (keys, others) => {
          const sorted = [...keys].sort();
          const searched = keySetOf(sorted);
          expect(searched).not.toBeInstanceOf(Set);
          expect(searched.size).toBe(sorted.length);
          const reference = new Set(sorted);
          for (const key of [...sorted.filter((_, index) => index % 7 === 0), ...others, '', '\uffff']) {
            expect(searched.has(key)).toBe(reference.has(key));
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('makes a Set of a short list, of one out of order, and of one with a key twice', () => {
    const sorted = Array.from({ length: SORTED_LIST_MINIMUM }, (_, i) => `k${String(i).padStart(5, '0')}`);
    expect(keySetOf(sorted.slice(0, SORTED_LIST_MINIMUM - 1))).toBeInstanceOf(Set);
    expect(keySetOf([...sorted.slice(1), sorted[0] ?? ''])).toBeInstanceOf(Set);
    const twice = keySetOf([...sorted.slice(0, 10), ...sorted.slice(9)]);
    expect(twice).toBeInstanceOf(Set);
    expect(twice.size).toBe(SORTED_LIST_MINIMUM);
    expect(keySetOf(sorted)).not.toBeInstanceOf(Set);
  });
});
