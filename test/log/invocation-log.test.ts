import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvocationLog } from '../../src/log/invocation-log.js';

// writeLog reads AWS_LAMBDA_LOG_FORMAT once per container, so each test loads a fresh module.
beforeEach(() => {
  vi.resetModules();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const RECORD: InvocationLog = {
  level: 'WARN',
  message: 'Sign-up accepted',
  outcome: 'confirmed',
  code: undefined,
  rule: 'AUTO_CONFIRM',
  triggerSource: 'PreSignUp_SignUp',
  userPoolId: 'us-east-1_EXAMPLE',
  emailDomain: 'example.com',
  flags: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
  dryRun: undefined,
  lookupFailures: undefined,
  configProblems: undefined,
  warnings: ['a warning'],
};

describe('writeLog', () => {
  it('passes the record itself to console under the JSON log format, for Lambda to nest', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { writeLog } = await import('../../src/log/invocation-log.js');
    writeLog(RECORD);
    expect(warn).toHaveBeenCalledWith(RECORD);
  });

  it('writes one line of JSON under the text format, at the record’s level', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'Text');
    const spies = {
      info: vi.spyOn(console, 'info').mockImplementation(() => undefined),
      warn: vi.spyOn(console, 'warn').mockImplementation(() => undefined),
      error: vi.spyOn(console, 'error').mockImplementation(() => undefined),
    };
    const { writeLog } = await import('../../src/log/invocation-log.js');
    writeLog(RECORD);
    writeLog({ ...RECORD, level: 'INFO' });
    writeLog({ ...RECORD, level: 'ERROR' });
    const [line] = spies.warn.mock.calls[0] ?? [];
    expect(typeof line).toBe('string');
    expect(String(line)).not.toContain('\n');
    expect(JSON.parse(String(line))).toEqual(JSON.parse(JSON.stringify(RECORD)));
    expect([spies.info.mock.calls.length, spies.warn.mock.calls.length, spies.error.mock.calls.length]).toEqual([
      1, 1, 1,
    ]);
  });
});

describe('errorName', () => {
  it('gives an error’s name, and only the type of anything else thrown', async () => {
    const { errorName } = await import('../../src/log/error-name.js');
    expect(errorName(new RangeError('a@example.com'))).toBe('RangeError');
    expect(errorName('a@example.com')).toBe('string');
    expect(errorName(undefined)).toBe('undefined');
  });
});
