import { isRefusalCode, REFUSAL_TEXTS, type RefusalCode, type RefusalTexts } from '../codes.js';
import { ConfigError } from '../errors.js';
import { type Config, EXISTING_ACCOUNT_POLICIES, type InviteSource } from './config.js';
import { describeReceived, type Env, EnvReader } from './env-readers.js';
import { findLikelyMisspellings } from './misspellings.js';
import { DENY_MESSAGE_PREFIX } from './variables.js';

// Cognito user names are at most 128 characters; a larger minimum would refuse everyone.
const MAX_USERNAME_LENGTH = 128;
// HMAC-SHA256 wants a key of at least its output size: 32 bytes.
const MIN_INVITE_SECRET_LENGTH = 32;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const MAX_DENY_MESSAGE_LENGTH = 200;
// The text travels in an HTTP error message and the Hosted UI's URL: one plain line. U+0085 is a
// control character (Cc); U+2028 and U+2029 break lines in JavaScript and some log viewers.
const CONTROL_OR_LINE_BREAK = /[\p{Cc}\u2028\u2029]/u;

export type LoadedConfig =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly string[] }
  | {
      readonly ok: false;
      readonly error: ConfigError;
      /** Whether `DRY_RUN` itself was valid and on: then nobody is refused even now. */
      readonly dryRun: boolean;
      /** Refusal texts as far as their own overrides were valid, for the CONFIG_INVALID refusal. */
      readonly texts: RefusalTexts;
      readonly warnings: readonly string[];
    };

/**
 * Reads and validates every setting from the environment, once per cold start.
 * Never throws: every problem is collected into one ConfigError so that all can be fixed at once.
 */
export function loadConfig(env: Env): LoadedConfig {
  const read = new EnvReader(env);
  const warnings = findLikelyMisspellings(Object.keys(env)).map(
    ({ variable, didYouMean }) => `${variable} is set but not read: did you mean ${didYouMean}?`,
  );

  const dryRun = read.boolean('DRY_RUN', false);
  const dryRunValid = read.issues.length === 0;

  const autoConfirm = read.boolean('AUTO_CONFIRM', true);
  const autoVerifyEmail = read.boolean('AUTO_VERIFY_EMAIL', true);
  const autoVerifyPhone = read.boolean('AUTO_VERIFY_PHONE', true);
  if (!autoConfirm) {
    for (const key of ['AUTO_VERIFY_EMAIL', 'AUTO_VERIFY_PHONE', 'AUTO_CONFIRM_EMAIL_DOMAINS']) {
      if (read.raw(key) !== undefined) warnings.push(`${key} has no effect while AUTO_CONFIRM is false`);
    }
  }

  const config: Config = {
    autoConfirm,
    autoConfirmEmailDomains: read.domainList('AUTO_CONFIRM_EMAIL_DOMAINS'),
    autoVerifyEmail,
    autoVerifyPhone,
    allowedEmailDomains: read.domainList('ALLOWED_EMAIL_DOMAINS'),
    blockedEmailDomains: read.domainList('BLOCKED_EMAIL_DOMAINS'),
    minUsernameLength: read.wholeNumber('MIN_USERNAME_LENGTH', 0, 0, MAX_USERNAME_LENGTH),
    existingAccountPolicy: read.choice('EXISTING_ACCOUNT_POLICY', EXISTING_ACCOUNT_POLICIES, 'ignore'),
    invite: readInviteSource(read, warnings),
    blockDisposableEmails: read.boolean('BLOCK_DISPOSABLE_EMAILS', false),
    failOpen: read.boolean('FAIL_OPEN', false),
    dryRun,
    texts: readRefusalTexts(env, read),
  };

  if (read.issues.length === 0) return { ok: true, config, warnings };
  return {
    ok: false,
    error: new ConfigError(read.issues),
    dryRun: dryRunValid && dryRun,
    texts: config.texts,
    warnings,
  };
}

function readInviteSource(read: EnvReader, warnings: string[]): InviteSource | undefined {
  const issuesBefore = read.issues.length;
  const required = read.boolean('INVITE_REQUIRED', false);
  const requiredIsValid = read.issues.length === issuesBefore;
  const secret = read.raw('INVITE_SECRET');
  const table = read.raw('INVITE_TABLE');
  // An INVITE_REQUIRED that is itself invalid is already an error; "has no effect" would mislead.
  if (!required && !requiredIsValid) return undefined;
  if (!required) {
    if (secret !== undefined) warnings.push('INVITE_SECRET has no effect while INVITE_REQUIRED is not true');
    if (table !== undefined) warnings.push('INVITE_TABLE has no effect while INVITE_REQUIRED is not true');
    return undefined;
  }
  if (secret !== undefined && table !== undefined) {
    read.report(
      'INVITE_TABLE',
      describeReceived(table),
      'unset when INVITE_SECRET is set: use one source of invitations',
    );
    return undefined;
  }
  if (secret !== undefined) {
    if (secret.length >= MIN_INVITE_SECRET_LENGTH) return { kind: 'secret', secret };
    // Never echo a secret into the logs, not even a short one.
    read.report(
      'INVITE_SECRET',
      `a secret of ${secret.length} characters`,
      `at least ${MIN_INVITE_SECRET_LENGTH} characters`,
    );
    return undefined;
  }
  if (table !== undefined) {
    if (TABLE_NAME.test(table)) return { kind: 'table', table };
    read.report('INVITE_TABLE', describeReceived(table), 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');
    return undefined;
  }
  read.report('INVITE_REQUIRED', '"true"', 'INVITE_SECRET or INVITE_TABLE to be set as well');
  return undefined;
}

/**
 * The refusal texts with `DENY_MESSAGE_<CODE>` overrides applied. An override for a code that
 * does not exist is most likely a typo that would otherwise be silently ignored, so it is an error.
 */
function readRefusalTexts(env: Env, read: EnvReader): RefusalTexts {
  const texts: Record<RefusalCode, string> = { ...REFUSAL_TEXTS };
  for (const key of Object.keys(env)) {
    if (!key.startsWith(DENY_MESSAGE_PREFIX)) continue;
    const code = key.slice(DENY_MESSAGE_PREFIX.length);
    const text = env[key]?.trim() ?? '';
    if (!isRefusalCode(code)) {
      read.report(
        key,
        describeReceived(text),
        `a refusal code after ${DENY_MESSAGE_PREFIX}, one of ${Object.keys(REFUSAL_TEXTS).join(', ')}`,
      );
    } else if (text === '') {
      read.report(key, '""', 'a non-empty text');
    } else if (text.endsWith('.')) {
      read.report(key, describeReceived(text), 'a text without a final period (Cognito adds one)');
    } else if (text.length > MAX_DENY_MESSAGE_LENGTH || CONTROL_OR_LINE_BREAK.test(text)) {
      read.report(
        key,
        describeReceived(text),
        `one line of at most ${MAX_DENY_MESSAGE_LENGTH} characters, without tabs or control characters`,
      );
    } else {
      texts[code] = text;
    }
  }
  return texts;
}
