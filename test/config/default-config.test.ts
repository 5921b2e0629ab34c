import { describe, expect, it } from 'vitest';
import { DEFAULT_LOADED_CONFIG } from '../../src/config/default-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { firstVariableToRead, isRuntimeVariable } from '../../src/config/runtime-variables.js';
import { DENY_MESSAGE_PREFIX, SETTINGS } from '../../src/config/settings.js';

// What Lambda's Node.js runtime sets (its "Defined runtime environment variables"), with X-Ray's.
const LAMBDA_ENVIRONMENT = {
  _HANDLER: 'index.handler',
  _X_AMZN_TRACE_ID: 'Root=1-00000000-000000000000000000000000',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'PreSignUp',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/PreSignUp',
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/30/[$LATEST]0123456789abcdef',
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
  AWS_ACCESS_KEY: 'key',
  AWS_ACCESS_KEY_ID: 'key',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'token',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
  _AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129',
  _AWS_XRAY_DAEMON_PORT: '2000',
  LAMBDA_TASK_ROOT: '/var/task',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
  LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64',
  NODE_PATH: '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules',
  NODE_EXTRA_CA_CERTS: '/etc/pki/tls/certs/ca-bundle.crt',
  PWD: '/var/task',
  SHLVL: '0',
};

describe('the settings of an environment with none', () => {
  it('are what the reader reads from the runtime’s own variables', () => {
    expect(firstVariableToRead(LAMBDA_ENVIRONMENT)).toBeUndefined();
    expect(DEFAULT_LOADED_CONFIG).toEqual(loadConfig(LAMBDA_ENVIRONMENT));
    expect(DEFAULT_LOADED_CONFIG.issues).toEqual([]);
  });

  it('are plain data, which the build writes into the entry as a literal', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_LOADED_CONFIG))).toEqual(DEFAULT_LOADED_CONFIG);
  });

  it('never stand for an environment with one of ours behind a runtime prefix, which the reader warns about', () => {
    // Attacker's review (#29): AWS_LAMBDA_ (and any stack of prefixes) hid a setting with no warning.
    for (const name of [
      'AWS_AUTO_CONFIRM',
      '_BLOCKED_EMAILS',
      'LAMBDA_DRY_RUN',
      'aws__min_username_length',
      'AWS_LAMBDA_BLOCKED_EMAIL_DOMAINS',
      '_AWS_LAMBDA_DRY_RUN',
      'LAMBDA_AWS__INVITE_REQUIRED',
    ]) {
      expect(firstVariableToRead({ ...LAMBDA_ENVIRONMENT, [name]: 'x' }), name).toBe(name);
      expect(loadConfig({ [name]: 'x' }).warnings, name).toContainEqual(
        expect.stringMatching(new RegExp(`^${name} is set but not read: did you mean [A-Z_]+\\?$`)),
      );
    }
  });

  it('never stand for an environment with a setting, a refusal text or a possible misspelling of one', () => {
    for (const name of [...SETTINGS, `${DENY_MESSAGE_PREFIX}EMAIL_DOMAIN_BLOCKED`, 'ALLOWED_DOMAINS', 'auto_confirm']) {
      expect(isRuntimeVariable(name.toUpperCase()), name).toBe(false);
      expect(firstVariableToRead({ ...LAMBDA_ENVIRONMENT, [name]: 'x' }), name).toBe(name);
    }
  });
});
