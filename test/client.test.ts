import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSignUpError } from '../src/client/index.js';

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

describe('the published export', () => {
  it('resolves as <package>/client to the built, dependency-free module', () => {
    const script =
      "import { parseSignUpError } from 'cognito-pre-signup-trigger/client';" +
      "process.stdout.write(JSON.stringify(parseSignUpError('PreSignUp failed with error DISPOSABLE_EMAIL: Use a real address.')));";
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({ code: 'DISPOSABLE_EMAIL', message: 'Use a real address' });
    expect(readFileSync(path.join(ROOT, 'dist/client/index.js'), 'utf8')).not.toMatch(/\bimport\b|\brequire\(/);
  });
});
