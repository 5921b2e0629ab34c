/** Every environment variable the function reads; the names are its public interface. */
export const VARIABLES = [
  'AUTO_CONFIRM',
  'AUTO_CONFIRM_EMAIL_DOMAINS',
  'AUTO_VERIFY_EMAIL',
  'AUTO_VERIFY_PHONE',
  'ALLOWED_EMAIL_DOMAINS',
  'BLOCKED_EMAIL_DOMAINS',
  'MIN_USERNAME_LENGTH',
  'EXISTING_ACCOUNT_POLICY',
  'INVITE_REQUIRED',
  'INVITE_SECRET',
  'INVITE_TABLE',
  'BLOCK_DISPOSABLE_EMAILS',
  'FAIL_OPEN',
  'DRY_RUN',
] as const;

/** Prefix of the per-code refusal text overrides, e.g. `DENY_MESSAGE_EMAIL_DOMAIN_BLOCKED`. */
export const DENY_MESSAGE_PREFIX = 'DENY_MESSAGE_';
