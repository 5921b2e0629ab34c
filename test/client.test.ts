import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CAPTCHA_TOKEN_FIELD,
  parseSignUpError,
  SIGN_UP_REFUSAL_CODES,
  SIGN_UP_REFUSAL_TEXTS,
  type SignUpRefusalCode,
} from '../src/client/index.js';
import { REFUSAL_TEXTS, type RefusalCode } from '../src/model/refusal-codes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('parseSignUpError', () => {
  it('reads an AWS SDK UserLambdaValidationException', () => {
    const error = Object.assign(
      new Error('PreSignUp failed with error EMAIL_DOMAIN_NOT_ALLOWED: Please sign up with your work email.'),
      {
        name: 'UserLambdaValidationException',
      },
    );
    expect(parseSignUpError(error)).toEqual({
      code: 'EMAIL_DOMAIN_NOT_ALLOWED',
      message: 'Please sign up with your work email',
    });
  });

  it('reads the Hosted UI error_description, form-encoded or not, with stray periods and spaces', () => {
    expect(
      parseSignUpError('PreSignUp+failed+with+error+INVITE_REQUIRED%3A+An+invitation+code+is+required+to+sign+up.+'),
    ).toEqual({
      code: 'INVITE_REQUIRED',
      message: 'An invitation code is required to sign up',
    });
    expect(
      parseSignUpError({ error_description: 'PreSignUp failed with error ACCOUNT_EXISTS: Already registered.. ' }),
    ).toEqual({
      code: 'ACCOUNT_EXISTS',
      message: 'Already registered',
    });
  });

  it('reads EMAIL_INVALID, the refusal of an email whose domain cannot be read', () => {
    expect(
      parseSignUpError(new Error('PreSignUp failed with error EMAIL_INVALID: Enter a valid email address.')),
    ).toEqual({
      code: 'EMAIL_INVALID',
      message: 'Enter a valid email address',
    });
  });

  it('keeps a description that is not valid form encoding as it is', () => {
    expect(parseSignUpError('PreSignUp+failed+with+error+EMAIL_INVALID%3A+100%+sure%E0%A4')).toBeUndefined();
    expect(parseSignUpError({ message: 42 })).toBeUndefined();
    expect(parseSignUpError('PreSignUp failed with error not a code.')).toBeUndefined();
  });

  it('keeps colons inside the text', () => {
    expect(
      parseSignUpError({ message: 'PreSignUp failed with error SERVICE_UNAVAILABLE: Please try again: soon.' }),
    ).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'Please try again: soon',
    });
  });

  it('returns undefined for errors that are not refusals by this trigger', () => {
    expect(parseSignUpError(new Error('Incorrect username or password.'))).toBeUndefined();
    expect(parseSignUpError('PreSignUp failed with error Task timed out after 3.00 seconds.')).toBeUndefined();
    expect(parseSignUpError(null)).toBeUndefined();
    expect(parseSignUpError(42)).toBeUndefined();
    expect(parseSignUpError({})).toBeUndefined();
  });
});

describe('SIGN_UP_REFUSAL_TEXTS', () => {
  it('is the function’s own table of default texts, not a copy', () => {
    expect(SIGN_UP_REFUSAL_TEXTS).toBe(REFUSAL_TEXTS);
  });
});

describe('SIGN_UP_REFUSAL_CODES', () => {
  it('lists exactly the codes the function refuses with, in its order, and types them as one union', () => {
    expect(SIGN_UP_REFUSAL_CODES).toEqual(Object.keys(REFUSAL_TEXTS));
    // Both ways at compile time: a code added to the function and not to the client fails the typecheck.
    const toClient = (code: RefusalCode): SignUpRefusalCode => code;
    const toFunction = (code: SignUpRefusalCode): RefusalCode => code;
    expect(toFunction(toClient('ACCOUNT_EXISTS'))).toBe('ACCOUNT_EXISTS');
  });

  it('says to sign in again after ACCOUNT_LINKED, and only then', () => {
    expect(
      parseSignUpError(
        'PreSignUp failed with error ACCOUNT_LINKED: Your accounts are now linked. Please sign in again.',
      ),
    ).toEqual({
      code: 'ACCOUNT_LINKED',
      message: 'Your accounts are now linked. Please sign in again',
      retrySignIn: true,
    });
    expect(parseSignUpError('PreSignUp failed with error ACCOUNT_EXISTS: Taken.')).not.toHaveProperty('retrySignIn');
  });

  it('recognises every code, and no made-up one', () => {
    for (const code of SIGN_UP_REFUSAL_CODES) {
      expect(parseSignUpError(`PreSignUp failed with error ${code}: Some text.`)?.code).toBe(code);
    }
    expect(parseSignUpError('PreSignUp failed with error NOT_A_CODE: Some text.')).toBeUndefined();
  });
});

describe('CAPTCHA_TOKEN_FIELD', () => {
  it('is the key docs/captcha.md shows apps passing the token under', () => {
    const page = readFileSync(path.join(ROOT, 'docs/captcha.md'), 'utf8');

    expect(CAPTCHA_TOKEN_FIELD).toBe('captchaToken');
    expect(page).toContain(`\`validationData.${CAPTCHA_TOKEN_FIELD}\``);
    expect(page).toContain(`validationData: { ${CAPTCHA_TOKEN_FIELD}: token }`);
    expect(page).toContain("import { CAPTCHA_TOKEN_FIELD } from 'cognito-pre-signup-trigger/client';");
    expect(page).toContain('ValidationData: [{ Name: CAPTCHA_TOKEN_FIELD, Value: token }]');
  });
});

describe('the published export', () => {
  it('resolves as <package>/client to the built, dependency-free module', () => {
    const script =
      "import { parseSignUpError, SIGN_UP_REFUSAL_CODES, SIGN_UP_REFUSAL_TEXTS } from 'cognito-pre-signup-trigger/client';" +
      "if (!SIGN_UP_REFUSAL_CODES.includes('DISPOSABLE_EMAIL')) throw new Error('codes missing');" +
      "if (!SIGN_UP_REFUSAL_TEXTS.DISPOSABLE_EMAIL) throw new Error('texts missing');" +
      "process.stdout.write(JSON.stringify([parseSignUpError('PreSignUp failed with error DISPOSABLE_EMAIL: Use a real address.'), SIGN_UP_REFUSAL_TEXTS]));";
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [parsed, texts] = JSON.parse(output) as [unknown, unknown];
    expect(parsed).toEqual({ code: 'DISPOSABLE_EMAIL', message: 'Use a real address' });
    // The build bundles the function's own table: the published texts are the function's, in its order.
    expect(JSON.stringify(texts)).toBe(JSON.stringify(REFUSAL_TEXTS));
    expect(readFileSync(path.join(ROOT, 'dist/client/index.js'), 'utf8')).not.toMatch(/\bimport\b|\brequire\(/);
  });
});
