import { describe, expect, it } from 'vitest';
import { decodePunycode } from '../../src/read/punycode.js';

const text = (codePoints: number[] | undefined) =>
  codePoints === undefined ? undefined : String.fromCodePoint(...codePoints);

describe('decodePunycode', () => {
  // Sample strings from RFC 3492, section 7.1, and a common one.
  it.each([
    ['bcher-kva', 'bücher'],
    [
      'egbpdaj6bu4bxfgehfvwxn',
      '\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F',
    ],
    ['ihqwcrb4cv8a8dqg056pqjye', '\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587'],
    ['3B-ww4c5e180e575a65lsy2b', '3\u5E74B\u7D44\u91D1\u516B\u5148\u751F'],
    ['ls8h', '💩'],
    ['IHQWCRB4CV8A8DQG056PQJYE', '\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587'],
  ])('decodes %s', (encoded, decoded) => {
    expect(text(decodePunycode(encoded))).toBe(decoded);
  });

  it.each([
    ['a character that is not a base-36 digit', 'abc!d'],
    ['a digit sequence cut short', 'bcher-kv9'],
    ['a non-ASCII basic part', 'bü-kva'],
    ['a number beyond 32 bits', '99999999999999'],
    ['a code point beyond U+10FFFF', 'bcher-z999999a'],
    ['a surrogate code point (U+D800)', 'ib9b'],
  ])('refuses %s', (_, encoded) => {
    expect(decodePunycode(encoded)).toBeUndefined();
  });
});
