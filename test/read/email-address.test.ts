import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDomainList } from '../../src/config/domain-list.js';
import { asciiLowerCase, readDomain, readEmailAddress } from '../../src/read/email-address.js';
import { EMPTY_LIST_VALUES, HOSTILE_EMAILS, HOSTILE_LIST_ENTRIES } from '../fixtures/hostile-emails.js';

describe('readEmailAddress', () => {
  it.each(HOSTILE_EMAILS.map((entry) => [JSON.stringify(entry.email), entry] as const))(
    'reads %s as the corpus says',
    (_, { email, domain }) => {
      expect(readEmailAddress(email)?.domain).toBe(domain);
    },
  );

  it('keeps the local part as given, up to the last @', () => {
    expect(readEmailAddress('"a@b".C@Example.COM.')).toEqual({ localPart: '"a@b".C', domain: 'example.com' });
  });
});

describe('readDomain', () => {
  it('treats the Unicode and punycode spellings as one domain', () => {
    expect(readDomain('bücher.example')).toBe(readDomain('XN--BCHER-KVA.example'));
  });

  it('accepts 63-character labels and 253 characters in all, and nothing longer', () => {
    const label = 'a'.repeat(63);
    const longest = `${label}.${label}.${label}.${'a'.repeat(61)}`;
    expect(longest).toHaveLength(253);
    expect(readDomain(longest)).toBe(longest);
    expect(readDomain(`${longest}.`)).toBe(longest);
    expect(readDomain(`a${longest}`)).toBeUndefined();
    expect(readDomain(`${'a'.repeat(64)}.com`)).toBeUndefined();
  });
});

describe('asciiLowerCase', () => {
  it('folds A-Z only, so the Kelvin sign is not k', () => {
    expect(asciiLowerCase('KIM@Example.COM')).toBe('kim@example.com');
    expect(asciiLowerCase('\u212Aim')).toBe('\u212Aim');
    expect(asciiLowerCase('ÉLODIE')).toBe('Élodie');
  });
});

describe('parseDomainList', () => {
  it.each(HOSTILE_LIST_ENTRIES.map((entry) => [JSON.stringify(entry), entry] as const))(
    'reports the entry %s instead of shortening or skipping it',
    (_, entry) => {
      expect(parseDomainList(['ok.example', entry])).toEqual({ ok: false, badEntries: [entry], empty: false });
    },
  );

  it.each(EMPTY_LIST_VALUES.map((value) => [JSON.stringify(value), value] as const))(
    'reports %s, which holds no entry, instead of reading it as no restriction',
    (_, value) => {
      expect(parseDomainList(value.split(','))).toEqual({ ok: false, badEntries: [], empty: true });
    },
  );
});

/**
 * A deliberately simple model of the reader's rules, written apart from it: characters come from
 * an alphabet whose IDNA mapping is known without IDNA (ASCII, the full-width forms of letters,
 * digits and hyphen, and the three dots IDNA maps to `.`).
 */
const DOTS = ['\u3002', '\uff0e', '\uff61'];
function modelOfReadDomain(raw: string): string | undefined {
  let mapped = '';
  for (const char of raw) {
    const code = char.charCodeAt(0);
    if (/^[A-Za-z0-9.-]$/.test(char)) mapped += char.toLowerCase();
    else if (DOTS.includes(char)) mapped += '.';
    else if (
      (code >= 0xff21 && code <= 0xff3a) ||
      (code >= 0xff41 && code <= 0xff5a) ||
      (code >= 0xff10 && code <= 0xff19)
    )
      mapped += String.fromCharCode(code - 0xfee0).toLowerCase();
    else if (code === 0xff0d) mapped += '-';
    else return undefined;
  }
  if (mapped.endsWith('.')) mapped = mapped.slice(0, -1);
  if (mapped.length > 253) return undefined;
  const labels = mapped.split('.');
  if (labels.length < 2) return undefined;
  const last = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last)) return undefined;
  for (const label of labels) {
    if (label.length < 1 || label.length > 63) return undefined;
    if (!/^[a-z0-9-]+$/.test(label) || label.startsWith('-') || label.endsWith('-')) return undefined;
  }
  return mapped;
}

const ALPHABET = [
  ...Array.from('abcxyzABCXYZ019-.'),
  ...DOTS,
  '\uff21',
  '\uff41',
  '\uff10',
  '\uff0d',
  // Each of these makes a domain unreadable, in the model as in the reader.
  ...Array.from('%/?#\\[]@ _:*'),
  '\t',
  '\n',
  '\u0000',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u3000',
  '\uff05',
  '\uff0f',
];
const label = fc.string({ unit: fc.constantFrom(...Array.from('abz09-')), minLength: 0, maxLength: 8 });
const domainLike = fc.oneof(
  fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 24 }),
  fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.')),
  fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '.', ...DOTS, '..', '%2e', ' '))
    .map(([labels, end]) => labels.join('.') + end),
);

// Property runs: PROPERTY_RUNS overrides the CI default, e.g. PROPERTY_RUNS=200000 for a long local run.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

describe('readDomain against a simple model of its rules', () => {
  it('agrees on every generated domain', () => {
    fc.assert(
      fc.property(domainLike, (raw) => {
        // Punycode labels need a real IDNA decoder to judge, which the model deliberately is not.
        fc.pre(!/(?:^|[.\u3002\uff0e\uff61])xn--/i.test(raw));
        expect(readDomain(raw)).toBe(modelOfReadDomain(raw));
      }),
      { numRuns: RUNS },
    );
  });

  it('reads an email’s domain as readDomain reads the text after its last @, when the local part is plain', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...Array.from('ab.@"')), maxLength: 6 }),
        domainLike,
        (local, raw) => {
          const email = `${local}@${raw}`;
          const lastAt = email.lastIndexOf('@');
          const localPart = email.slice(0, lastAt);
          const expected =
            localPart === '' || /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(localPart)
              ? undefined
              : readDomain(email.slice(lastAt + 1));
          expect(readEmailAddress(email)?.domain).toBe(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
