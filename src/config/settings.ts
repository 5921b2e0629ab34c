/**
 * Every setting the function reads, with its default as the text an environment variable would
 * hold ('' = unset). The names are the public interface; this table is the one place each default
 * is written. The README's configuration table and template.yaml's parameter defaults are checked
 * against it by test/settings-agree.test.ts.
 */
export const SETTING_DEFAULTS = {
  AUTO_CONFIRM: 'true',
  AUTO_CONFIRM_EMAIL_DOMAINS: '',
  AUTO_VERIFY_EMAIL: 'true',
  AUTO_VERIFY_PHONE: 'true',
  ALLOWED_EMAIL_DOMAINS: '',
  BLOCKED_EMAIL_DOMAINS: '',
  ALLOWED_EMAILS: '',
  BLOCKED_EMAILS: '',
  EMAIL_SUBADDRESSES: 'allow',
  ALLOWED_PHONE_PREFIXES: '',
  BLOCKED_PHONE_PREFIXES: '',
  MIN_USERNAME_LENGTH: '0',
  EXISTING_ACCOUNT_POLICY: 'ignore',
  LINK_FEDERATED_USERS: '',
  INVITE_REQUIRED: 'false',
  INVITE_SECRET: '',
  INVITE_SECRET_PARAMETER: '',
  INVITE_TABLE: '',
  BLOCK_DISPOSABLE_EMAILS: 'false',
  FAIL_OPEN: 'false',
  DRY_RUN: 'false',
  METRICS: 'true',
  METRICS_NAMESPACE: 'CognitoPreSignUp',
  RULES_FILE: '',
  RULES_PARAMETER: '',
  RULES_REFRESH_SECONDS: '300',
} as const;

export type Setting = keyof typeof SETTING_DEFAULTS;

export const SETTINGS = Object.keys(SETTING_DEFAULTS) as readonly Setting[];

/**
 * The settings whose value is a list: comma-separated in the environment, an array in a rules
 * document. `npm run build -- --rules` sorts these arrays (tools/prepare-rules-document.ts).
 */
export const LIST_SETTINGS = [
  'AUTO_CONFIRM_EMAIL_DOMAINS',
  'ALLOWED_EMAIL_DOMAINS',
  'BLOCKED_EMAIL_DOMAINS',
  'ALLOWED_EMAILS',
  'BLOCKED_EMAILS',
  'ALLOWED_PHONE_PREFIXES',
  'BLOCKED_PHONE_PREFIXES',
  'LINK_FEDERATED_USERS',
] as const satisfies readonly Setting[];

export type ListSetting = (typeof LIST_SETTINGS)[number];

/** Prefix of the per-code refusal text overrides, e.g. `DENY_MESSAGE_EMAIL_DOMAIN_BLOCKED`. */
export const DENY_MESSAGE_PREFIX = 'DENY_MESSAGE_';

export const EXISTING_ACCOUNT_POLICIES = ['ignore', 'no-verify', 'deny'] as const;
export const EMAIL_SUBADDRESS_POLICIES = ['allow', 'block'] as const;
export type EmailSubaddressPolicy = (typeof EMAIL_SUBADDRESS_POLICIES)[number];
export type ExistingAccountPolicy = (typeof EXISTING_ACCOUNT_POLICIES)[number];
