import type { SettingName } from '../../src/config/settings.js';

// For every setting, a value other than its default, and what else it needs to take effect. The
// type makes a new setting without a sample fail to compile.
export const SAMPLES: {
  readonly [Name in SettingName]: { readonly value: string; readonly with?: Record<string, string> };
} = {
  AUTO_CONFIRM: { value: 'false' },
  AUTO_CONFIRM_EMAIL_DOMAINS: { value: 'corp.example' },
  AUTO_VERIFY_EMAIL: { value: 'false' },
  AUTO_VERIFY_PHONE: { value: 'false' },
  ALLOWED_EMAIL_DOMAINS: { value: 'example.com' },
  BLOCKED_EMAIL_DOMAINS: { value: 'evil.example' },
  ALLOWED_EMAILS: { value: 'kim@example.com' },
  BLOCKED_EMAILS: { value: 'spam@example.com' },
  EMAIL_SUBADDRESSES: { value: 'block' },
  ALLOWED_PHONE_PREFIXES: { value: '+1' },
  BLOCKED_PHONE_PREFIXES: { value: '+7' },
  MIN_USERNAME_LENGTH: { value: '3' },
  EXISTING_ACCOUNT_POLICY: { value: 'deny' },
  LINK_FEDERATED_USERS: { value: 'Google', with: { AUTO_VERIFY_EMAIL: 'false' } },
  INVITE_REQUIRED: { value: 'true', with: { INVITE_TABLE: 'invites' } },
  INVITE_SECRET: { value: 'x'.repeat(40), with: { INVITE_REQUIRED: 'true' } },
  INVITE_SECRET_PARAMETER: { value: '/app/invite', with: { INVITE_REQUIRED: 'true' } },
  INVITE_TABLE: { value: 'invites', with: { INVITE_REQUIRED: 'true' } },
  INVITE_MATCH: { value: 'email', with: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' } },
  BLOCK_DISPOSABLE_EMAILS: { value: 'true' },
  CAPTCHA: { value: 'turnstile', with: { CAPTCHA_SECRET: 's' } },
  CAPTCHA_SECRET: { value: 's', with: { CAPTCHA: 'turnstile' } },
  CAPTCHA_SECRET_PARAMETER: { value: '/app/captcha', with: { CAPTCHA: 'turnstile' } },
  CAPTCHA_MIN_SCORE: { value: '0.5', with: { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's' } },
  CAPTCHA_HOSTNAMES: { value: 'example.com', with: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' } },
  CAPTCHA_ACTION: { value: 'signup', with: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' } },
  CAPTCHA_VERIFY_URL: { value: 'https://verify.example/v', with: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' } },
  RATE_LIMIT_TABLE: { value: 'counts', with: { RATE_LIMITS: 'pool:10/d' } },
  RATE_LIMITS: { value: 'pool:10/d', with: { RATE_LIMIT_TABLE: 'counts' } },
  FAIL_OPEN: { value: 'true' },
  DRY_RUN: { value: 'true' },
  METRICS: { value: 'false' },
  METRICS_NAMESPACE: { value: 'Mine' },
  RULES_FILE: { value: 'rules.json' },
  RULES_PARAMETER: { value: '/app/rules' },
  RULES_REFRESH_SECONDS: { value: '60', with: { RULES_PARAMETER: '/app/rules' } },
};
