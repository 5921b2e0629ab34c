import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSignUpError } from '../src/client/index.js';
import { NOT_REFUSALS, REFUSALS } from './fixtures/client-error-corpus.js';

describe('parseSignUpError over the corpus', () => {
  it.each(REFUSALS.map((entry) => [entry.shape, entry] as const))('reads %s', (_shape, entry) => {
    expect(parseSignUpError(entry.error)).toEqual(entry.expected);
  });

  it.each(NOT_REFUSALS.map((entry) => [entry.shape, entry] as const))('returns undefined for %s', (_shape, entry) => {
    expect(parseSignUpError(entry.error)).toBeUndefined();
  });
});

describe('parseSignUpError’s suggestion', () => {
  const typo = (text: string) => parseSignUpError(`PreSignUp failed with error EMAIL_DOMAIN_TYPO: ${text}.`);

  it('is the domain after ...@, wherever the text puts it, without a sentence’s own punctuation', () => {
    expect(typo('Did you mean ...@gmail.com?')?.suggestion).toBe('gmail.com');
    expect(typo('...@yahoo.com: is that it? Sign up again to keep yours')?.suggestion).toBe('yahoo.com');
    expect(typo('Vouliez-vous dire ...@outlook.com ?')?.suggestion).toBe('outlook.com');
  });

  it('is absent where the text names none, and for every other code', () => {
    expect(typo('Check your email address')).toEqual({
      code: 'EMAIL_DOMAIN_TYPO',
      message: 'Check your email address',
    });
    expect(typo('Did you mean kim@gmail.com?')).not.toHaveProperty('suggestion');
    expect(
      parseSignUpError('PreSignUp failed with error EMAIL_BLOCKED: Did you mean ...@gmail.com?.'),
    ).not.toHaveProperty('suggestion');
  });
});

describe('parseSignUpError through causes', () => {
  const refusal = new Error('PreSignUp failed with error ACCOUNT_EXISTS: An account already exists for these details.');
  const wrapped = (levels: number): unknown => {
    let error: unknown = refusal;
    for (let level = 0; level < levels; level += 1) error = new Error(`wrapper ${level}`, { cause: error });
    return error;
  };

  it('follows cause four levels deep, and no further', () => {
    expect(parseSignUpError(wrapped(4))?.code).toBe('ACCOUNT_EXISTS');
    expect(parseSignUpError(wrapped(5))).toBeUndefined();
  });

  it('stops on an error that causes itself', () => {
    const error: { message: string; cause?: unknown } = { message: 'Sign up failed' };
    error.cause = error;
    expect(parseSignUpError(error)).toBeUndefined();
  });

  it('prefers the outer text to a cause', () => {
    const error = new Error('PreSignUp failed with error EMAIL_BLOCKED: Outer.', {
      cause: new Error('PreSignUp failed with error PHONE_BLOCKED: Inner.'),
    });
    expect(parseSignUpError(error)).toEqual({ code: 'EMAIL_BLOCKED', message: 'Outer' });
  });
});

describe('parseSignUpError on any input', () => {
  it('never throws, and returns undefined or a refusal with a known code', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const refusal = parseSignUpError(value);
        expect(refusal === undefined || typeof refusal.message === 'string').toBe(true);
      }),
    );
  });

  it('reads any text between the prefix and the final period that does not itself end a refusal', () => {
    fc.assert(
      fc.property(
        fc
          .string({ maxLength: 80 })
          .filter((text) => !/\.\s*(?:$|\n|\(Service: |[)\]}])/.test(text) && !/\n/.test(text)),
        (text) => {
          const expected = text.trim().replace(/[.\s]+$/, '');
          expect(parseSignUpError(`PreSignUp failed with error ACCOUNT_EXISTS: ${text}.`)).toEqual({
            code: 'ACCOUNT_EXISTS',
            message: expected,
          });
        },
      ),
    );
  });

  it('answers quickly on long hostile text', () => {
    const started = performance.now();
    for (const tail of [
      '.'.repeat(100_000),
      ' .'.repeat(50_000),
      'a.'.repeat(50_000) + 'x',
      '.  '.repeat(30_000) + 'x',
    ]) {
      parseSignUpError(`PreSignUp failed with error ACCOUNT_EXISTS: a${tail}`);
      parseSignUpError(`PreSignUp failed with error ACCOUNT_EXISTS: ${tail}`.repeat(3));
    }
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
