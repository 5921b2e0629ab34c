import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateKeys, syntaxErrorOffset } from '../../src/config/json-scan.js';

describe('findDuplicateKeys', () => {
  it('finds a key given twice at the top, in a client, and spelt with an escape', () => {
    const text =
      '{"BLOCKED_EMAILS":["a@x.example"],"clients":{"abc":{"AUTO_CONFIRM":true,"AUTO_CONFIRM":false}},' +
      '"BLOCKED_EMAILS":[],"\\u0041":1,"A":2}';
    expect(findDuplicateKeys(text)).toEqual([
      { path: 'clients.abc', key: 'AUTO_CONFIRM' },
      { path: '', key: 'BLOCKED_EMAILS' },
      { path: '', key: 'A' },
    ]);
  });

  it('is not fooled by quotes, braces and commas inside strings, or by the same key in two objects', () => {
    const text = JSON.stringify({
      DENY_MESSAGE_EMAIL_BLOCKED: 'say "no", {please}, [now] \\',
      BLOCKED_EMAILS: ['"quoted"@example.com', 'x\\"@example.com'],
      clients: { a: { MIN_USERNAME_LENGTH: 3 }, b: { MIN_USERNAME_LENGTH: 4 } },
    });
    expect(findDuplicateKeys(text)).toEqual([]);
  });

  it('finds nothing in any JSON.stringify output (which cannot repeat a key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKeys(JSON.stringify(value))).toEqual([]);
      }),
    );
  });
});

describe('syntaxErrorOffset', () => {
  it('gives the offset of the first character that cannot continue the text', () => {
    expect(syntaxErrorOffset('{"AUTO_CONFIRM": tru')).toBe(17);
    expect(syntaxErrorOffset("{'INVITE_SECRET': 'TopSecret'}")).toBe(1);
    expect(syntaxErrorOffset('{"a": 1,}')).toBe(8);
    expect(syntaxErrorOffset('{"a": 1} x')).toBe(9);
    expect(syntaxErrorOffset('[1, 2')).toBe(5);
    expect(syntaxErrorOffset('{"a": 1}')).toBe(-1);
  });

  it('never throws and stays within the text, whatever it is given (a deep nesting too)', () => {
    expect(syntaxErrorOffset('['.repeat(200_000))).toBeLessThanOrEqual(200_000);
    fc.assert(
      fc.property(fc.string(), (text) => {
        const offset = syntaxErrorOffset(text);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        if (valid) expect(offset).toBe(-1);
        else expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
