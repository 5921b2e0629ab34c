import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, findLikelyMisspellings } from '../../src/config/misspellings.js';
import { SETTINGS } from '../../src/config/settings.js';

describe('findLikelyMisspellings', () => {
  it('flags names within two edits of a variable, in any letter case', () => {
    expect(findLikelyMisspellings(['AUTO_CONFIM', 'allowed_email_domains', 'BLOCKED_EMAIL_DOMAIN'])).toEqual([
      { variable: 'AUTO_CONFIM', didYouMean: 'AUTO_CONFIRM' },
      { variable: 'allowed_email_domains', didYouMean: 'ALLOWED_EMAIL_DOMAINS' },
      { variable: 'BLOCKED_EMAIL_DOMAIN', didYouMean: 'BLOCKED_EMAIL_DOMAINS' },
    ]);
  });

  it('cuts the code of a long DENY_MESSAGE_ lookalike at 40 characters in its suggestion', () => {
    const code = 'X'.repeat(60);
    expect(findLikelyMisspellings([`DENY_MSG_${code}`])).toEqual([
      { variable: `DENY_MSG_${code}`, didYouMean: `DENY_MESSAGE_${'X'.repeat(40)}…` },
    ]);
  });

  it('flags the DENY_MESSAGE_ family in any case or near-miss spelling, and common near misses', () => {
    expect(
      findLikelyMisspellings([
        'deny_message_email_domain_blocked',
        'DENY_MESSAGES_EMAIL_INVALID',
        'DENY_MSG_ACCOUNT_EXISTS',
        'DENIED_MESSAGE_CONFIG_INVALID',
        'ALLOWED_DOMAINS',
        'blocked_domains',
      ]),
    ).toEqual([
      { variable: 'deny_message_email_domain_blocked', didYouMean: 'DENY_MESSAGE_EMAIL_DOMAIN_BLOCKED' },
      { variable: 'DENY_MESSAGES_EMAIL_INVALID', didYouMean: 'DENY_MESSAGE_EMAIL_INVALID' },
      { variable: 'DENY_MSG_ACCOUNT_EXISTS', didYouMean: 'DENY_MESSAGE_ACCOUNT_EXISTS' },
      { variable: 'DENIED_MESSAGE_CONFIG_INVALID', didYouMean: 'DENY_MESSAGE_CONFIG_INVALID' },
      { variable: 'ALLOWED_DOMAINS', didYouMean: 'ALLOWED_EMAIL_DOMAINS' },
      { variable: 'blocked_domains', didYouMean: 'BLOCKED_EMAIL_DOMAINS' },
    ]);
  });

  it('leaves a name that starts like DENY_ but is no refusal text, nor near any setting, alone', () => {
    expect(findLikelyMisspellings(['DENTAL_PLAN_ID', 'DENY'])).toEqual([]);
  });

  it('leaves our own names and the Lambda runtime variables alone', () => {
    const runtime = [
      'AWS_REGION',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_EXECUTION_ENV',
      'LAMBDA_TASK_ROOT',
      'TZ',
      'PATH',
      'NODE_OPTIONS',
      'LANG',
      'LD_LIBRARY_PATH',
      'NODE_PATH',
      'NODE_EXTRA_CA_CERTS',
      'SHLVL',
    ];
    expect(findLikelyMisspellings([...runtime, 'AUTO_CONFIRM', 'DRY_RUN', 'DENY_MESSAGE_X'])).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abcdef', 'uvwxyz')).toBe(6);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

/** The dynamic programme's whole matrix: the reference for the one-row-at-a-time version. */
function referenceDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      row[j] = Math.min(
        (above[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (above[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return rows[a.length]?.[b.length] ?? 0;
}

describe('editDistance against the whole matrix', () => {
  it('agrees on any two names', () => {
    const word = fc.string({ unit: fc.constantFrom(...Array.from('AB_CDE')), maxLength: 12 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(referenceDistance(a, b));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 1000) },
    );
  });
});

describe('findLikelyMisspellings against a plain search', () => {
  it('finds what comparing every name with every setting by edit distance finds', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...SETTINGS),
        fc.array(fc.tuple(fc.nat(30), fc.constantFrom(...Array.from('AEIOU_XZ'))), { maxLength: 3 }),
      )
      .map(([name, edits]) =>
        edits.reduce<string>((text, [at, letter], index) => {
          const position = at % (text.length + 1);
          // Alternate insertions, deletions and substitutions.
          if (index % 3 === 0) return text.slice(0, position) + letter + text.slice(position);
          if (index % 3 === 1) return text.slice(0, position) + text.slice(position + 1);
          return text.slice(0, position) + letter + text.slice(position + 1);
        }, name),
      );
    fc.assert(
      fc.property(mutated, (name) => {
        // What the check skips by design: our own names, the DENY_MESSAGE family, Lambda's reserved names.
        fc.pre(
          !(SETTINGS as readonly string[]).includes(name) &&
            !/^(DEN|AWS_|LAMBDA_|_)/.test(name) &&
            !/^(LANG|PATH|LD_LIBRARY_PATH|NODE_PATH|NODE_EXTRA_CA_CERTS|NODE_OPTIONS|SHLVL)$/.test(name) &&
            name.length >= 4,
        );
        const plain = SETTINGS.find((known) => referenceDistance(name, known) <= 2);
        const found = findLikelyMisspellings([name])[0]?.didYouMean;
        expect(found).toBe(plain);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 1000) },
    );
  });

  it('does not compare a name far longer than any setting', () => {
    expect(findLikelyMisspellings([`AUTO_CONFIRM${'_'.repeat(10_000)}`])).toEqual([]);
  });

  it('cuts the code of a long DENY_MESSAGE look-alike in what it suggests', () => {
    const [found] = findLikelyMisspellings([`DENY_MSG_${'X'.repeat(500)}`]);
    expect(found?.didYouMean).toBe(`DENY_MESSAGE_${'X'.repeat(40)}…`);
  });
});
