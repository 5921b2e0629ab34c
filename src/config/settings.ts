import { MAX_USERNAME_LENGTH } from '../model/limits.js';

/**
 * What a setting's value is. A rules document must give it as the matching JSON type (a boolean,
 * a whole number, a string, an array of strings); the environment gives text of that shape.
 */
type SettingKind = 'boolean' | 'whole-number' | 'decimal' | 'text' | 'list';

/**
 * How an app client's value in a rules document combines with the top-level (or environment) one:
 * - `replace`: the client's value is used (and a value that admits more is warned about, see
 *   client-overrides.ts);
 * - `add`: a block list: the client's entries are added to the top level's, never replace them;
 * - `no-loosening`: the client may make it stricter, never looser (BLOCK_DISPOSABLE_EMAILS on, DRY_RUN off);
 * - `environment-only`: not in a document at all (it says where the document is).
 */
type OverrideRule = 'replace' | 'add' | 'no-loosening' | 'environment-only';

interface EntryOfAnyKind {
  /** The default as the text an environment variable would hold ('' = unset). */
  readonly default: string;
  readonly override: OverrideRule;
  /**
   * A secret, or where one is kept: its value is never quoted in a problem or a log (a secret
   * pasted into its `_PARAMETER` companion is a plausible slip), only described.
   */
  readonly secret?: true;
  /**
   * This setting is a refusal rule's name (RefusalRule.name, src/decide/rules/): `may-log-only`
   * when LOG_ONLY_RULES may name the rule, `always-enforced` when it may not (see
   * ALWAYS_ENFORCED_BECAUSE). The type of a rule's name requires the mark, and decide.ts checks
   * that every marked setting names a rule.
   */
  readonly refusalRule?: 'may-log-only' | 'always-enforced';
  /**
   * This setting is decided by another setting's refusal rule (its name): the rule's refusals may
   * name this setting in the log's `rule` field, LOG_ONLY_RULES names the rule, and a client
   * making the rule log-only drops this setting's check too. test/config/log-only-rules.test.ts checks the
   * marks against the rule units' `settings`.
   */
  readonly partOf?: string;
}

/**
 * One setting. What its kind needs is required by the type, so that a new setting cannot leave
 * out what the reader, the client overrides, the docs and template.yaml derive from it:
 * - a boolean says which value admits fewer sign-ups (`stricter`; `neither` when it admits the
 *   same either way): a client override to the other value, where the top level has this one,
 *   loosens it (warned about under `replace`, refused under `no-loosening`, see
 *   client-overrides.ts). It is read into the Config field named after it (`autoConfirm`).
 * - a number gives its bounds, inclusive; a text read as one of a few words gives them (`choices`).
 */
type SettingEntry = EntryOfAnyKind &
  (
    | { readonly kind: 'boolean'; readonly default: 'true' | 'false'; readonly stricter: 'true' | 'false' | 'neither' }
    | { readonly kind: 'whole-number' | 'decimal'; readonly bounds: readonly [number, number] }
    | { readonly kind: 'text'; readonly choices?: readonly string[] }
    | { readonly kind: 'list' }
  );

export const EXISTING_ACCOUNT_POLICIES = ['ignore', 'no-verify', 'deny'] as const;
/** What SIGN_IN_ALIASES may name: the pool's `AliasAttributes` values. */
export const SIGN_IN_ALIAS_ATTRIBUTES = ['email', 'phone_number', 'preferred_username'] as const;
const INVITE_MATCHES = ['code', 'email', 'code-or-email'] as const;
export type InviteMatch = (typeof INVITE_MATCHES)[number];
const CAPTCHA_PROVIDERS = ['turnstile', 'recaptcha', 'hcaptcha'] as const;
export type CaptchaProvider = (typeof CAPTCHA_PROVIDERS)[number];
const EMAIL_SUBADDRESS_POLICIES = ['allow', 'block'] as const;
export type EmailSubaddressPolicy = (typeof EMAIL_SUBADDRESS_POLICIES)[number];
export type ExistingAccountPolicy = (typeof EXISTING_ACCOUNT_POLICIES)[number];

/**
 * Every setting the function reads. The names are the public interface; this table is the one
 * place each default, kind and override rule is written. The settings reference and template.yaml's
 * parameter defaults are checked against it by tests.
 */
export const SETTING_REGISTRY = {
  AUTO_CONFIRM: { default: 'true', kind: 'boolean', override: 'replace', stricter: 'false' },
  AUTO_CONFIRM_EMAIL_DOMAINS: { default: '', kind: 'list', override: 'replace' },
  AUTO_VERIFY_EMAIL: { default: 'true', kind: 'boolean', override: 'replace', stricter: 'false' },
  AUTO_VERIFY_PHONE: { default: 'true', kind: 'boolean', override: 'replace', stricter: 'false' },
  ALLOWED_EMAIL_DOMAINS: { default: '', kind: 'list', override: 'replace', refusalRule: 'may-log-only' },
  BLOCKED_EMAIL_DOMAINS: { default: '', kind: 'list', override: 'add', refusalRule: 'may-log-only' },
  ALLOWED_EMAILS: { default: '', kind: 'list', override: 'replace', partOf: 'ALLOWED_EMAIL_DOMAINS' },
  BLOCKED_EMAILS: { default: '', kind: 'list', override: 'add', refusalRule: 'may-log-only' },
  EMAIL_SUBADDRESSES: {
    default: 'allow',
    kind: 'text',
    override: 'replace',
    choices: EMAIL_SUBADDRESS_POLICIES,
    refusalRule: 'may-log-only',
  },
  ALLOWED_PHONE_PREFIXES: { default: '', kind: 'list', override: 'replace', refusalRule: 'may-log-only' },
  BLOCKED_PHONE_PREFIXES: { default: '', kind: 'list', override: 'add', partOf: 'ALLOWED_PHONE_PREFIXES' },
  MIN_USERNAME_LENGTH: {
    default: '0',
    kind: 'whole-number',
    override: 'replace',
    bounds: [0, MAX_USERNAME_LENGTH],
    refusalRule: 'may-log-only',
  },
  EXISTING_ACCOUNT_POLICY: {
    default: 'ignore',
    kind: 'text',
    override: 'replace',
    choices: EXISTING_ACCOUNT_POLICIES,
    refusalRule: 'may-log-only',
  },
  // A fact of the pool, not a policy: it goes with the deployment (the CDK construct reads it from
  // the pool), never per app client in a rules document.
  SIGN_IN_ALIASES: { default: '', kind: 'list', override: 'environment-only' },
  LINK_FEDERATED_USERS: { default: '', kind: 'list', override: 'replace', refusalRule: 'always-enforced' },
  INVITE_REQUIRED: {
    default: 'false',
    kind: 'boolean',
    override: 'replace',
    stricter: 'true',
    refusalRule: 'may-log-only',
  },
  INVITE_SECRET: { default: '', kind: 'text', override: 'replace', secret: true, partOf: 'INVITE_REQUIRED' },
  INVITE_SECRET_PARAMETER: {
    default: '',
    kind: 'text',
    override: 'replace',
    secret: true,
    partOf: 'INVITE_REQUIRED',
  },
  INVITE_TABLE: { default: '', kind: 'text', override: 'replace', partOf: 'INVITE_REQUIRED' },
  INVITE_MATCH: {
    default: 'code',
    kind: 'text',
    override: 'replace',
    choices: INVITE_MATCHES,
    partOf: 'INVITE_REQUIRED',
  },
  WAITLIST_TABLE: { default: '', kind: 'text', override: 'replace', refusalRule: 'always-enforced' },
  // Ten years at most: a row kept longer is no longer a waitlist.
  WAITLIST_DAYS: {
    default: '90',
    kind: 'whole-number',
    override: 'replace',
    bounds: [1, 3650],
    partOf: 'WAITLIST_TABLE',
  },
  BLOCK_DISPOSABLE_EMAILS: {
    default: 'false',
    kind: 'boolean',
    override: 'no-loosening',
    stricter: 'true',
    refusalRule: 'may-log-only',
  },
  EMAIL_TYPO_CHECK: {
    default: 'false',
    kind: 'boolean',
    override: 'replace',
    stricter: 'true',
    refusalRule: 'may-log-only',
  },
  EMAIL_TYPO_DOMAINS: { default: '', kind: 'list', override: 'replace' },
  EMAIL_DELIVERABILITY: {
    default: 'false',
    kind: 'boolean',
    override: 'replace',
    stricter: 'true',
    refusalRule: 'may-log-only',
  },
  // Where DNS is asked goes with the deployment's network (a VPC's resolver), never per app client.
  DNS_SERVERS: { default: '', kind: 'list', override: 'environment-only' },
  CAPTCHA: { default: '', kind: 'text', override: 'replace', choices: CAPTCHA_PROVIDERS, refusalRule: 'may-log-only' },
  CAPTCHA_SECRET: { default: '', kind: 'text', override: 'replace', secret: true, partOf: 'CAPTCHA' },
  CAPTCHA_SECRET_PARAMETER: { default: '', kind: 'text', override: 'replace', secret: true, partOf: 'CAPTCHA' },
  CAPTCHA_MIN_SCORE: { default: '', kind: 'decimal', override: 'replace', bounds: [0, 1], partOf: 'CAPTCHA' },
  CAPTCHA_HOSTNAMES: { default: '', kind: 'list', override: 'replace', partOf: 'CAPTCHA' },
  CAPTCHA_ACTION: { default: '', kind: 'text', override: 'replace', partOf: 'CAPTCHA' },
  CAPTCHA_VERIFY_URL: { default: '', kind: 'text', override: 'replace', partOf: 'CAPTCHA' },
  RATE_LIMIT_TABLE: { default: '', kind: 'text', override: 'replace', partOf: 'RATE_LIMITS' },
  RATE_LIMITS: { default: '', kind: 'list', override: 'replace', refusalRule: 'may-log-only' },
  FAIL_OPEN: { default: 'false', kind: 'boolean', override: 'replace', stricter: 'false' },
  DRY_RUN: { default: 'false', kind: 'boolean', override: 'no-loosening', stricter: 'false' },
  LOG_ONLY_RULES: { default: '', kind: 'list', override: 'replace' },
  METRICS: { default: 'true', kind: 'boolean', override: 'environment-only', stricter: 'neither' },
  METRICS_NAMESPACE: { default: 'CognitoPreSignUp', kind: 'text', override: 'environment-only' },
  RULES_FILE: { default: '', kind: 'text', override: 'environment-only' },
  RULES_PARAMETER: { default: '', kind: 'text', override: 'environment-only' },
  RULES_REFRESH_SECONDS: { default: '300', kind: 'whole-number', override: 'environment-only', bounds: [0, 86_400] },
} as const satisfies Readonly<Record<string, SettingEntry>>;

export type SettingName = keyof typeof SETTING_REGISTRY;

export const SETTINGS = Object.keys(SETTING_REGISTRY) as readonly SettingName[];

/** Each setting's default, as the text an environment variable would hold ('' = unset). */
export const SETTING_DEFAULTS = Object.fromEntries(SETTINGS.map((name) => [name, SETTING_REGISTRY[name].default])) as {
  readonly [Name in SettingName]: (typeof SETTING_REGISTRY)[Name]['default'];
};

type SettingsOfKind<Kind extends SettingKind> = {
  [Name in SettingName]: (typeof SETTING_REGISTRY)[Name]['kind'] extends Kind ? Name : never;
}[SettingName];

/**
 * The settings whose value is a list: comma-separated in the environment, an array in a rules
 * document. `npm run build -- --rules` sorts these arrays (tools/prepare-rules-document.ts).
 */
export const LIST_SETTINGS = SETTINGS.filter(
  (name) => SETTING_REGISTRY[name].kind === 'list',
) as readonly ListSetting[];

export type ListSetting = SettingsOfKind<'list'>;

/** The settings whose value is `true` or `false`. */
export type BooleanSetting = SettingsOfKind<'boolean'>;

export const BOOLEAN_SETTINGS = SETTINGS.filter(
  (name) => SETTING_REGISTRY[name].kind === 'boolean',
) as readonly BooleanSetting[];

/** `AUTO_CONFIRM` → `autoConfirm`. */
export type CamelCase<Name extends string> = Name extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}`
  : Lowercase<Name>;

export function camelCaseOf<Name extends string>(name: Name): CamelCase<Name> {
  return name.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()) as CamelCase<Name>;
}

/** Each boolean setting as the configuration holds it: its name in camelCase (`autoConfirm`). */
export type BooleanFields = { readonly [Name in BooleanSetting as CamelCase<Name>]: boolean };

/** The settings read as one of a few words (`choices` in the registry), and those words. */
export type ChoiceSetting = {
  [Name in SettingName]: (typeof SETTING_REGISTRY)[Name] extends { readonly choices: readonly string[] } ? Name : never;
}[SettingName];

export type ChoiceOf<Name extends ChoiceSetting> = (typeof SETTING_REGISTRY)[Name]['choices'][number];

/** The settings whose value is a number, with their bounds (inclusive) in the registry. */
export type NumberSetting = SettingsOfKind<'whole-number' | 'decimal'>;

/** The settings whose client override combines by this rule (see OverrideRule). */
export type SettingsOverridden<Rule extends OverrideRule> = {
  [Name in SettingName]: (typeof SETTING_REGISTRY)[Name]['override'] extends Rule ? Name : never;
}[SettingName];

/**
 * The settings a refusal rule decides: its name and those marked `partOf` it (not the settings it
 * only reads, such as FAIL_OPEN). LOG_ONLY_RULES naming the rule makes all of these log-only.
 */
export function settingsOfRule(rule: RuleSettingName): readonly SettingName[] {
  return SETTINGS.filter((name) => name === rule || (SETTING_REGISTRY[name] as SettingEntry).partOf === rule);
}

/** The rule that decides a setting marked `partOf` one (ALLOWED_EMAILS → ALLOWED_EMAIL_DOMAINS). */
export function ruleOfPart(name: string): RuleSettingName | undefined {
  return Object.hasOwn(SETTING_REGISTRY, name)
    ? ((SETTING_REGISTRY[name as SettingName] as SettingEntry).partOf as RuleSettingName | undefined)
    : undefined;
}

/** The settings that are a refusal rule's name (see SettingEntry's `refusalRule`). */
export type RuleSettingName = {
  [Name in SettingName]: (typeof SETTING_REGISTRY)[Name] extends { readonly refusalRule: string } ? Name : never;
}[SettingName];

/** The rules LOG_ONLY_RULES may name: their names, in the registry's order. */
export const LOG_ONLY_RULE_NAMES = SETTINGS.filter(
  (name) => (SETTING_REGISTRY[name] as SettingEntry).refusalRule === 'may-log-only',
) as readonly RuleSettingName[];

/**
 * Why a rule LOG_ONLY_RULES may not name is always enforced: the text of the CONFIG_INVALID that
 * naming it gives. Keyed by every `always-enforced` rule (one without an entry does not compile).
 */
export const ALWAYS_ENFORCED_BECAUSE: {
  readonly [
    Name in SettingName as (typeof SETTING_REGISTRY)[Name] extends { readonly refusalRule: 'always-enforced' }
      ? Name
      : never
  ]: string;
} = {
  WAITLIST_TABLE:
    'it follows INVITE_REQUIRED: while INVITE_REQUIRED is log-only nobody is recorded on the waitlist (a log-only waitlist would list people who are then admitted)',
  LINK_FEDERATED_USERS:
    'its lookup links the accounts, and its refusal (ACCOUNT_LINKED) is how the link takes effect: admitting the sign-up would make a second account besides the linked one (DRY_RUN watches it without linking)',
};

/** The settings whose values are never quoted (see SettingEntry's `secret`). */
export const SECRET_SETTINGS = SETTINGS.filter((name) => (SETTING_REGISTRY[name] as SettingEntry).secret === true);

/** A setting's kind, as a document must give it; DENY_MESSAGE_<CODE> texts are text. */
export function kindOfSetting(name: string): SettingKind | undefined {
  if (name.startsWith(DENY_MESSAGE_PREFIX)) return 'text';
  return Object.hasOwn(SETTING_REGISTRY, name) ? SETTING_REGISTRY[name as SettingName].kind : undefined;
}

/** How a client's override of this setting combines with the top level's. */
export function overrideRuleOf(name: string): OverrideRule {
  return Object.hasOwn(SETTING_REGISTRY, name) ? SETTING_REGISTRY[name as SettingName].override : 'replace';
}

/** Prefix of the per-code refusal text overrides, e.g. `DENY_MESSAGE_EMAIL_DOMAIN_BLOCKED`. */
export const DENY_MESSAGE_PREFIX = 'DENY_MESSAGE_';

/** A refusal text's variable, `DENY_MESSAGE_<CODE>`. */
export type DenyMessageVariable = `${typeof DENY_MESSAGE_PREFIX}${string}`;

export function isDenyMessageVariable(name: string): name is DenyMessageVariable {
  return name.startsWith(DENY_MESSAGE_PREFIX);
}
