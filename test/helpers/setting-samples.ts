import { SETTING_REGISTRY, type SettingName } from '../../src/config/settings.js';

/**
 * A value of a setting other than its default, what else it needs to take effect (`with`), and
 * (`more`) other values the rules' properties draw besides it. A list's value has two entries or
 * more (the type says so): the reader's and the CDK construct's tests show how entries are split
 * and joined.
 */
interface Sample<Value extends string = string> {
  readonly value: Value;
  readonly with?: Readonly<Record<string, string>>;
  readonly more?: readonly string[];
}

/** A setting's sample, its value shaped by its kind. */
type SampleOf<Name extends SettingName> = Sample<
  (typeof SETTING_REGISTRY)[Name]['kind'] extends 'list' ? `${string},${string}` : string
>;

/** The settings whose value nothing in the registry gives: a list's or a free text's. */
type NeedsAValue = {
  [Name in SettingName]: (typeof SETTING_REGISTRY)[Name] extends { readonly kind: 'list' | 'text' }
    ? (typeof SETTING_REGISTRY)[Name] extends { readonly choices: readonly string[] }
      ? never
      : Name
    : never;
}[SettingName];

// The one table of example values of the settings, for every test that needs one: the registry's,
// the reader's (a list from an array and from text), the rules' properties and examples, the CDK
// construct's. A boolean, a choice and a number have a sample made from the registry (sampleOf); a
// list or a free text must have one here (the type says so), and any setting may have one here to
// say what it needs beside it or to add values to draw.
const SAMPLES: { readonly [Name in NeedsAValue]: SampleOf<Name> } & {
  readonly [Name in SettingName]?: SampleOf<Name>;
} = {
  AUTO_CONFIRM_EMAIL_DOMAINS: { value: 'corp.example,*.example.org', more: ['corp.example'] },
  ALLOWED_EMAIL_DOMAINS: { value: 'example.com,*.example.org', more: ['example.com', '*.example.org,example.net'] },
  // An internationalised domain, as its Unicode form: the reader keeps its ASCII form.
  BLOCKED_EMAIL_DOMAINS: { value: 'evil.example,Bücher.example', more: ['example.com', 'blocked.example'] },
  ALLOWED_EMAILS: { value: 'Kim@Example.com,lee@example.org', more: ['kim@example.com'] },
  BLOCKED_EMAILS: { value: 'spam@example.com,junk@example.org', more: ['k.i.m@gmail.com'] },
  ALLOWED_PHONE_PREFIXES: { value: '+1,+44', more: ['+44'] },
  BLOCKED_PHONE_PREFIXES: { value: '+7,+4930', more: ['+1'] },
  MIN_USERNAME_LENGTH: { value: '3', more: ['0', '9'] },
  EXISTING_ACCOUNT_POLICY: { value: 'deny', more: ['ignore', 'no-verify'] },
  SIGN_IN_ALIASES: { value: 'email,phone_number', more: ['preferred_username'] },
  LINK_FEDERATED_USERS: {
    value: 'Google,SignInWithApple',
    with: { AUTO_VERIFY_EMAIL: 'false' },
    more: ['Google', 'Google,Facebook'],
  },
  INVITE_REQUIRED: { value: 'true', with: { INVITE_TABLE: 'invites' }, more: ['false'] },
  INVITE_SECRET: { value: 'x'.repeat(40), with: { INVITE_REQUIRED: 'true' } },
  INVITE_SECRET_PARAMETER: { value: '/app/invite', with: { INVITE_REQUIRED: 'true' } },
  INVITE_TABLE: { value: 'invites', with: { INVITE_REQUIRED: 'true' } },
  INVITE_MATCH: { value: 'email', with: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' }, more: ['code-or-email'] },
  WAITLIST_TABLE: { value: 'waitlist', with: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' } },
  WAITLIST_DAYS: {
    value: '30',
    with: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', WAITLIST_TABLE: 'waitlist' },
  },
  CAPTCHA: { value: 'turnstile', with: { CAPTCHA_SECRET: 's' }, more: ['recaptcha'] },
  EMAIL_TYPO_DOMAINS: { value: 'mail.example,post.example', with: { EMAIL_TYPO_CHECK: 'true' } },
  // A server by IPv4 address (its port given) and by IPv6 address in brackets, on another port.
  DNS_SERVERS: { value: '10.0.0.2:53,[2001:db8::53]:5353', with: { EMAIL_DELIVERABILITY: 'true' } },
  CAPTCHA_SECRET: { value: 's', with: { CAPTCHA: 'turnstile' } },
  CAPTCHA_SECRET_PARAMETER: { value: '/app/captcha', with: { CAPTCHA: 'turnstile' } },
  CAPTCHA_MIN_SCORE: { value: '0.5', with: { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's' } },
  CAPTCHA_HOSTNAMES: { value: 'example.com,www.example.com', with: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' } },
  CAPTCHA_ACTION: { value: 'signup', with: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' } },
  CAPTCHA_VERIFY_URL: { value: 'https://verify.example/v', with: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' } },
  RATE_LIMIT_TABLE: { value: 'counts', with: { RATE_LIMITS: 'pool:10/d' } },
  RATE_LIMITS: {
    value: 'pool:10/d,phone-country:10/h',
    with: { RATE_LIMIT_TABLE: 'counts' },
    more: ['pool:10/d', 'email-domain:5/m,client:100/d'],
  },
  LOG_ONLY_RULES: {
    value: 'BLOCKED_EMAIL_DOMAINS,EMAIL_SUBADDRESSES',
    with: { BLOCKED_EMAIL_DOMAINS: 'evil.example', EMAIL_SUBADDRESSES: 'block' },
    more: ['BLOCKED_EMAIL_DOMAINS'],
  },
  METRICS_NAMESPACE: { value: 'Mine' },
  RULES_FILE: { value: 'rules.json' },
  RULES_PARAMETER: { value: '/app/rules' },
  RULES_REFRESH_SECONDS: { value: '60', with: { RULES_PARAMETER: '/app/rules' } },
};

/** A value the registry makes for a setting: a boolean's other value, a choice other than the default, a number within bounds. */
function madeFromTheRegistry(name: SettingName): string {
  const entry = SETTING_REGISTRY[name];
  if (entry.kind === 'boolean') return entry.default === 'true' ? 'false' : 'true';
  if ('choices' in entry) return entry.choices.find((choice) => choice !== entry.default) ?? '';
  if ('bounds' in entry) {
    const [min, max] = entry.bounds;
    const middle = entry.kind === 'decimal' ? (min + max) / 2 : Math.floor((min + max) / 2);
    return String(middle === Number(entry.default) ? max : middle);
  }
  throw new Error(`${name} (${entry.kind}) has no sample: add one to SAMPLES in test/helpers/setting-samples.ts`);
}

/** A setting's sample: SAMPLES' entry, or a value made from the registry. */
export function sampleOf(name: SettingName): Sample {
  const sample: Sample | undefined = (SAMPLES as { readonly [Name in SettingName]?: Sample })[name];
  if (sample !== undefined) return sample;
  // A property draws the other values too: a boolean's default, a choice's other words.
  const entry = SETTING_REGISTRY[name];
  const value = madeFromTheRegistry(name);
  if (entry.kind === 'boolean') return { value, more: [entry.default] };
  return { value, more: 'choices' in entry ? entry.choices.filter((choice) => choice !== value) : [] };
}

/** The settings a sample is: its value, and what it needs beside it. */
export function sampleSettingsOf(name: SettingName): Readonly<Record<string, string>> {
  const { value, with: beside = {} } = sampleOf(name);
  return { ...beside, [name]: value };
}
