import { MIN_INVITE_SECRET_LENGTH } from '../model/limits.js';
import { patternOnFirstUse } from '../read/pattern-on-first-use.js';
import {
  isRefusalCode,
  REFUSAL_TEXTS,
  type RefusalCode,
  type RefusalTexts,
  SUGGESTION_PLACEHOLDER,
} from '../model/refusal-codes.js';
import type { DomainList } from './domain-list.js';
import type { KeySet } from './key-set.js';
import { type ConfigIssue, describeReceived, type IssueKind, nameForLog } from '../model/config-issue.js';
import { EnvReader, type SettingValues } from './env-reader.js';
import { editDistance, findLikelyMisspellings } from './misspellings.js';
import { validateVerifyUrl } from './verify-url.js';
import { readDnsServer } from './dns-servers.js';
import { readDomain } from '../read/email-address.js';
import { parseRateLimits, type RateLimit } from './rate-limits.js';
import { CAPTCHA_SETTINGS } from './captcha-settings.js';
import {
  BOOLEAN_SETTINGS,
  type BooleanFields,
  camelCaseOf,
  type CaptchaProvider,
  DENY_MESSAGE_PREFIX,
  isDenyMessageVariable,
  type InviteMatch,
  type EmailSubaddressPolicy,
  SIGN_IN_ALIAS_ATTRIBUTES,
  type ExistingAccountPolicy,
  SETTING_DEFAULTS,
  ALWAYS_ENFORCED_BECAUSE,
  LOG_ONLY_RULE_NAMES,
  ruleOfPart,
  type RuleSettingName,
  type ChoiceOf,
  type ChoiceSetting,
  type ListSetting,
  type NumberSetting,
  type SettingName,
} from './settings.js';

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
// A parameter name (at most 15 levels deep, 2048 characters in all) or its ARN, as SSM accepts it.
const SSM_PARAMETER = /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?\/?[A-Za-z0-9_.\-/]{1,2048}$/;
/** The three places invitations can be checked against; exactly one is set when INVITE_REQUIRED is. */
const INVITE_SOURCES = ['INVITE_SECRET', 'INVITE_SECRET_PARAMETER', 'INVITE_TABLE'] as const;
const MAX_DENY_MESSAGE_LENGTH = 200;
// The text travels in an HTTP error message and the Hosted UI's URL: one plain line. U+0085 is a
// control character (Cc); U+2028 and U+2029 break lines in JavaScript and some log viewers.
// Format characters (U+202E and the other bidi controls, zero-width spaces and joiners) make a text
// display as another.
const CONTROL_OR_LINE_BREAK = patternOnFirstUse(
  String.raw`[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u115F\u3164\u2800\u2028\u2029]`,
  'u',
);

/** Where invitation codes are checked: a shared secret that signs them, or a DynamoDB table. */
type InviteSource =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'secret-parameter'; readonly parameter: string }
  | { readonly kind: 'table'; readonly table: string };

/** `CAPTCHA` and its settings: which provider verifies the token, with what secret, checking what. */
interface CaptchaSettings {
  readonly provider: CaptchaProvider;
  /** `CAPTCHA_SECRET`, or the SSM parameter `CAPTCHA_SECRET_PARAMETER` that holds it. */
  readonly secret:
    { readonly kind: 'text'; readonly value: string } | { readonly kind: 'parameter'; readonly name: string };
  readonly minScore: number | undefined;
  readonly hostnames: readonly string[] | undefined;
  readonly action: string | undefined;
  readonly verifyUrl: string | undefined;
}

/** `WAITLIST_TABLE` and `WAITLIST_DAYS`. */
interface WaitlistSettings {
  readonly table: string;
  /** How long a row is kept after the address last signed up (its `expiresAt`, DynamoDB's TTL). */
  readonly days: number;
}

/** `RATE_LIMIT_TABLE` and `RATE_LIMITS`. */
interface RateLimitSettings {
  readonly table: string;
  readonly limits: readonly RateLimit[];
}

/**
 * The settings of one cold start, each named after its variable. Defaults are in SETTING_DEFAULTS
 * (settings.ts); a domain list that is unset is `undefined`. Every boolean setting is a field named
 * after it in camelCase (`autoConfirm`, `dryRun`: BooleanFields), read from the registry alone; a
 * DRY_RUN whose own value is invalid reads as false.
 */
export interface Config extends BooleanFields {
  /** `AUTO_CONFIRM_EMAIL_DOMAINS`: confirm only emails in these domains; others stay unconfirmed. */
  readonly autoConfirmEmailDomains: DomainList | undefined;
  /** `ALLOWED_EMAIL_DOMAINS`: refuse emails outside the list, and sign-ups without email. */
  readonly allowedEmailDomains: DomainList | undefined;
  /** `BLOCKED_EMAIL_DOMAINS`: refuse emails in the list. */
  readonly blockedEmailDomains: DomainList | undefined;
  /** `ALLOWED_EMAILS`: addresses allowed whatever ALLOWED_EMAIL_DOMAINS says (and the only ones, without it). */
  readonly allowedEmails: KeySet | undefined;
  /** `BLOCKED_EMAILS`: addresses refused, with their variants (keys as blockKeyOf gives them). */
  readonly blockedEmails: KeySet | undefined;
  /** `EMAIL_SUBADDRESSES`: `block` refuses `local+tag@` addresses. */
  readonly emailSubaddresses: EmailSubaddressPolicy;
  /** `ALLOWED_PHONE_PREFIXES`: E.164 prefixes a phone number must start with. */
  readonly allowedPhonePrefixes: KeySet | undefined;
  /** `BLOCKED_PHONE_PREFIXES`: E.164 prefixes refused. */
  readonly blockedPhonePrefixes: KeySet | undefined;
  /** `MIN_USERNAME_LENGTH`: refuse shorter user names, counted in code points. */
  readonly minUsernameLength: number;
  /** `EXISTING_ACCOUNT_POLICY`: what to do when another user holds the email or phone. */
  readonly existingAccountPolicy: ExistingAccountPolicy;
  /**
   * `SIGN_IN_ALIASES`: whether the email and the phone number are sign-in aliases of the pool, as
   * far as the deployment says; unset, neither is known to be (the guard then lists users).
   */
  readonly signInAliases: SignInAliases;
  /** `LINK_FEDERATED_USERS`: identity providers, as configured in the pool, whose sign-ins join an existing account. */
  readonly linkFederatedUsers: readonly string[] | undefined;
  /** `INVITE_REQUIRED` with `INVITE_SECRET`, `INVITE_SECRET_PARAMETER` or `INVITE_TABLE`; undefined when no invitation is needed. */
  readonly invite: InviteSource | undefined;
  /** `INVITE_MATCH`: what admits a sign-up under INVITE_TABLE: a code, a row for the email, or either. */
  readonly inviteMatch: InviteMatch;
  /**
   * `WAITLIST_TABLE` with `WAITLIST_DAYS`: where a sign-up no invitation admits is recorded before it
   * is refused with WAITLISTED; undefined when off (it needs INVITE_REQUIRED).
   */
  readonly waitlist: WaitlistSettings | undefined;
  /** `CAPTCHA` with its settings; undefined when off. */
  readonly captcha: CaptchaSettings | undefined;
  /** `RATE_LIMITS` counted in `RATE_LIMIT_TABLE`; undefined when off. */
  readonly rateLimits: RateLimitSettings | undefined;
  /**
   * `EMAIL_TYPO_DOMAINS`: domains added to the typo library's list, as readDomain gives them;
   * undefined when unset.
   */
  readonly emailTypoDomains: readonly string[] | undefined;
  /** `DNS_SERVERS`: the resolvers asked instead of the system's, as setServers takes them; undefined for the system's. */
  readonly dnsServers: readonly string[] | undefined;
  /** `LOG_ONLY_RULES`: the rules whose refusals are logged (`wouldRefuse`) instead of made; undefined for none. */
  readonly logOnlyRules: ReadonlySet<RuleSettingName> | undefined;
  /** `DENY_MESSAGE_<CODE>`: the human text of each refusal code, as far as the overrides are valid. */
  readonly texts: RefusalTexts;
  /** `RULES_PARAMETER`: the SSM parameter holding a rules document, read after the environment. */
  readonly rulesParameter: string | undefined;
  /** `RULES_REFRESH_SECONDS`: how long a rules document read from SSM is kept before it is read again. */
  readonly rulesRefreshSeconds: number;
  /** `METRICS_NAMESPACE` when `METRICS` is on: where the log line's embedded metrics go; undefined for none. */
  readonly metricsNamespace: string | undefined;
}

/**
 * What loadConfig read, as a safe-parse gives it: the config (with defaults where a value was
 * unusable), every problem, and the warnings (likely misspellings, settings without effect).
 * The config is for use only when `issues` is empty; `dryRun` and `texts` are meaningful either way.
 */
export interface LoadedConfig {
  readonly config: Config;
  readonly issues: readonly ConfigIssue[];
  readonly warnings: readonly string[];
}

/**
 * Reads and validates every setting from the environment (merged with a rules document's), once
 * per cold start. Never throws: every problem is collected so that all can be fixed in one deploy.
 */
export function loadConfig(settings: SettingValues): LoadedConfig {
  const read = new EnvReader(settings);
  const warnings = findLikelyMisspellings(Object.keys(settings)).map(
    ({ variable, didYouMean }) => `${nameForLog(variable)} is set but not read: did you mean ${didYouMean}?`,
  );

  const booleans = Object.fromEntries(
    BOOLEAN_SETTINGS.map((name) => [camelCaseOf(name), read.boolean(name)]),
  ) as unknown as BooleanFields;
  if (!booleans.autoConfirm) {
    for (const key of ['AUTO_VERIFY_EMAIL', 'AUTO_VERIFY_PHONE', 'AUTO_CONFIRM_EMAIL_DOMAINS'] as const) {
      if (read.text(key) !== undefined) warnings.push(`${key} has no effect while AUTO_CONFIRM is false`);
    }
  }

  const config: Config = {
    ...booleans,
    autoConfirmEmailDomains: read.domainList('AUTO_CONFIRM_EMAIL_DOMAINS'),
    allowedEmailDomains: read.domainList('ALLOWED_EMAIL_DOMAINS'),
    blockedEmailDomains: read.domainList('BLOCKED_EMAIL_DOMAINS'),
    allowedEmails: read.emailList('ALLOWED_EMAILS'),
    blockedEmails: read.blockedEmailList('BLOCKED_EMAILS'),
    emailSubaddresses: read.choice('EMAIL_SUBADDRESSES'),
    allowedPhonePrefixes: read.phonePrefixList('ALLOWED_PHONE_PREFIXES'),
    blockedPhonePrefixes: read.phonePrefixList('BLOCKED_PHONE_PREFIXES'),
    minUsernameLength: read.wholeNumber('MIN_USERNAME_LENGTH'),
    existingAccountPolicy: read.choice('EXISTING_ACCOUNT_POLICY'),
    signInAliases: readGroup(read, SETTING_GROUPS.signInAliases, warnings),
    linkFederatedUsers: readGroup(read, SETTING_GROUPS.linkFederatedUsers, warnings),
    rulesParameter: readGroup(read, SETTING_GROUPS.rulesParameter, warnings),
    rulesRefreshSeconds: read.wholeNumber('RULES_REFRESH_SECONDS'),
    invite: readGroup(read, SETTING_GROUPS.invite, warnings),
    inviteMatch: readGroup(read, SETTING_GROUPS.inviteMatch, warnings),
    waitlist: readGroup(read, SETTING_GROUPS.waitlist, warnings),
    captcha: readGroup(read, SETTING_GROUPS.captcha, warnings),
    rateLimits: readGroup(read, SETTING_GROUPS.rateLimits, warnings),
    emailTypoDomains: readGroup(read, SETTING_GROUPS.emailTypoDomains, warnings),
    dnsServers: readGroup(read, SETTING_GROUPS.dnsServers, warnings),
    logOnlyRules: readGroup(read, SETTING_GROUPS.logOnlyRules, warnings),
    texts: readRefusalTexts(Object.keys(settings), read),
    metricsNamespace: readGroup(read, SETTING_GROUPS.metricsNamespace, warnings),
  };
  if (read.text('EXISTING_ACCOUNT_POLICY') === undefined && config.autoConfirm) {
    // The AWS sample's behaviour stays the default; an explicit `ignore` is the acknowledgement.
    if (config.autoVerifyEmail || config.autoVerifyPhone) warnings.push(ALIAS_TAKEOVER_WARNING);
  }
  if (config.linkFederatedUsers !== undefined && verifiesNativeEmailsWithoutCode(config)) {
    read.report(
      'LINK_FEDERATED_USERS',
      LINKING_WHILE_VERIFYING.received,
      LINKING_WHILE_VERIFYING.expected,
      'combination',
    );
  }
  return { config, issues: read.issues, warnings };
}

/**
 * The reader as a group of settings may use it: it reads, reports on and counts the problems of
 * only `Names`. A group reader typed with it cannot read a setting it does not declare, nor decide
 * by another setting's problems, which is what lets loadConfig skip the reader when none of them is
 * set (readGroup).
 */
interface ReaderOf<Names extends SettingName> {
  issueCount(...variables: Names[]): number;
  text(key: Names): string | undefined;
  entries(key: Names & ListSetting): readonly string[] | undefined;
  boolean(key: Names): boolean;
  wholeNumber(key: Names & NumberSetting): number;
  decimal(key: Names & NumberSetting): number | undefined;
  choice<Name extends Names & ChoiceSetting>(key: Name): ChoiceOf<Name>;
  report(variable: Names, received: string, expected: string, kind?: IssueKind): void;
}

/**
 * Settings read together into one field of the Config, by a reader that reads nothing else. When
 * none of them is set the field is `unset`, what the reader gives then (each group is run on an
 * empty environment by test/config/setting-groups.test.ts to check it): a function compiles and
 * runs only the readers of the settings it has, which is most of what a cold start spends reading
 * two domain lists (see docs/performance.md).
 */
interface SettingGroup<Names extends SettingName, Value> {
  readonly settings: readonly Names[];
  readonly unset: Value;
  readonly read: (read: ReaderOf<Names>, warnings: string[]) => Value;
}

function group<const Names extends SettingName, Value>(
  settings: readonly Names[],
  unset: Value,
  read: (read: ReaderOf<Names>, warnings: string[]) => Value,
): SettingGroup<Names, Value> {
  return { settings, unset, read };
}

/** A group's value: its reader's when one of its settings is set (blank is unset, as everywhere: EnvReader.isSet), else `unset`. */
function readGroup<Names extends SettingName, Value>(
  read: EnvReader,
  { settings, unset, read: readSettings }: SettingGroup<Names, Value>,
  warnings: string[],
): Value {
  return settings.some((name) => read.isSet(name)) ? readSettings(read, warnings) : unset;
}

/** Logged once per cold start while EXISTING_ACCOUNT_POLICY is unset and the function verifies emails or phones. */
const ALIAS_TAKEOVER_WARNING =
  'EXISTING_ACCOUNT_POLICY is not set while sign-ups get their email or phone verified: where email or phone is a sign-in alias of the pool, verifying an address another user holds moves the alias to the new user (alias takeover). Set EXISTING_ACCOUNT_POLICY=no-verify (the role then needs cognito-idp:ListUsers on the pool), or =ignore where users sign in with the email as user name and no alias can move';

/**
 * Whether a self sign-up's email can end up verified by this function, with no code sent: then a
 * verified email proves nothing, and linking a federated sign-in to it hands the account over.
 */
export function verifiesNativeEmailsWithoutCode(config: Config): boolean {
  return config.autoConfirm && config.autoVerifyEmail;
}

/** The problem of linking federated sign-ins to emails this function verified without a code. */
export const LINKING_WHILE_VERIFYING = {
  received:
    'set while AUTO_CONFIRM and AUTO_VERIFY_EMAIL are true, so self sign-ups get their email verified without a code',
  expected:
    "AUTO_VERIFY_EMAIL=false with linking, so that users prove their email by code: otherwise anyone can sign up first with someone else's email and receive that person's federated sign-in (account takeover)",
} as const;

// The rules' own parts that refuse in their name: each follows the rule it belongs to.
const FOLLOWERS: Readonly<Record<string, string>> = {
  UNREADABLE_EMAIL:
    'an unreadable address is refused for the rules that judge the address, and only logged when each of them is log-only',
  INVITATION_USE: "an invitation's use is part of INVITE_REQUIRED, and log-only with it",
};

/**
 * `LOG_ONLY_RULES`: rule names (RefusalRule.name, LOG_ONLY_RULE_NAMES). A name that is none of them
 * is an issue: a misspelling names the rule meant, a rule that is always enforced says why.
 */
function readLogOnlyRules(read: ReaderOf<'LOG_ONLY_RULES'>): ReadonlySet<RuleSettingName> | undefined {
  const names = (read.entries('LOG_ONLY_RULES') ?? []).map((name) => name.trim()).filter((name) => name !== '');
  // No set for none: the defaults are built into the entry as a literal, which a Set cannot be.
  if (names.length === 0) return undefined;
  const rules = new Set<RuleSettingName>();
  for (const name of names) {
    if ((LOG_ONLY_RULE_NAMES as readonly string[]).includes(name)) {
      rules.add(name as RuleSettingName);
      continue;
    }
    // Own keys only: `constructor` or `__proto__` is no rule's name, whatever Object.prototype has.
    const enforced = Object.hasOwn(ALWAYS_ENFORCED_BECAUSE, name)
      ? ALWAYS_ENFORCED_BECAUSE[name as keyof typeof ALWAYS_ENFORCED_BECAUSE]
      : Object.hasOwn(FOLLOWERS, name)
        ? FOLLOWERS[name]
        : undefined;
    // A setting a rule decides besides its name (the log's `rule` may give it): name the rule.
    const whole = ruleOfPart(name);
    const upper = name.toUpperCase();
    const near = LOG_ONLY_RULE_NAMES.find((rule) => editDistance(upper, rule) <= 2);
    read.report(
      'LOG_ONLY_RULES',
      `the entry ${describeReceived(name)}`,
      enforced !== undefined
        ? `a rule that may be log-only: ${name} cannot be, ${enforced}`
        : whole !== undefined
          ? `a rule's name: ${name} is decided by the rule ${whole}: name that`
          : near !== undefined
            ? `a rule's name: did you mean ${near}?`
            : `rule names, separated by commas, among ${LOG_ONLY_RULE_NAMES.join(', ')}`,
      'entry',
    );
  }
  return rules;
}

// CloudWatch's rule for a namespace: 1-255 of these characters, and not one of AWS's own.
const CLOUDWATCH_NAMESPACE = /^[A-Za-z0-9.\-_/#: ]{1,255}$/;

function readMetricsNamespace(read: ReaderOf<'METRICS' | 'METRICS_NAMESPACE'>): string | undefined {
  const metrics = read.boolean('METRICS');
  const namespace = read.text('METRICS_NAMESPACE') ?? SETTING_DEFAULTS.METRICS_NAMESPACE;
  if (CLOUDWATCH_NAMESPACE.test(namespace) && !namespace.startsWith('AWS/')) return metrics ? namespace : undefined;
  read.report(
    'METRICS_NAMESPACE',
    describeReceived(namespace),
    'a CloudWatch namespace: 1-255 of A-Z a-z 0-9 . - _ / # : and space, not starting with "AWS/"',
  );
  // Even with the setting wrong, the CONFIG_INVALID refusals it causes are counted where alarms look.
  return metrics ? SETTING_DEFAULTS.METRICS_NAMESPACE : undefined;
}

// A provider name as Cognito accepts it, as far as a federated userName (`<provider>_<id>`) can
// carry it: no "_" (the separator), no spaces, no comma (this list's separator).
const PROVIDER_NAME = /^[^_\s,]{1,32}$/u;

function readRulesParameter(read: ReaderOf<'RULES_PARAMETER' | 'RULES_FILE'>): string | undefined {
  const parameter = read.text('RULES_PARAMETER');
  if (parameter === undefined) return undefined;
  if (read.text('RULES_FILE') !== undefined) {
    read.report(
      'RULES_PARAMETER',
      describeReceived(parameter),
      'unset when RULES_FILE is set: one rules document',
      'combination',
    );
    return undefined;
  }
  if (SSM_PARAMETER.test(parameter)) return parameter;
  read.report('RULES_PARAMETER', describeReceived(parameter), 'an SSM parameter name (/path/name) or ARN');
  return undefined;
}

/** Which of the addresses the existing-account guard looks up are sign-in aliases of the pool. */
interface SignInAliases {
  readonly email: boolean;
  readonly phone: boolean;
}

function readSignInAliases(read: ReaderOf<'SIGN_IN_ALIASES'>): SignInAliases {
  const names = (read.entries('SIGN_IN_ALIASES') ?? []).map((name) => name.trim()).filter((name) => name !== '');
  const bad = names.find((name) => !(SIGN_IN_ALIAS_ATTRIBUTES as readonly string[]).includes(name));
  if (bad !== undefined) {
    read.report(
      'SIGN_IN_ALIASES',
      `the entry ${describeReceived(bad)}`,
      `the pool's alias attributes, separated by commas: ${SIGN_IN_ALIAS_ATTRIBUTES.map((name) => `"${name}"`).join(', ')}`,
      'entry',
    );
    return { email: false, phone: false };
  }
  return { email: names.includes('email'), phone: names.includes('phone_number') };
}

function readLinkedProviders(read: ReaderOf<'LINK_FEDERATED_USERS'>): readonly string[] | undefined {
  const entries = read.entries('LINK_FEDERATED_USERS');
  if (entries === undefined) return undefined;
  const names = entries.map((name) => name.trim()).filter((name) => name !== '');
  const bad = names.find((name) => !PROVIDER_NAME.test(name) || name.toLowerCase() === 'cognito');
  if (names.length > 0 && bad === undefined) return names;
  read.report(
    'LINK_FEDERATED_USERS',
    bad === undefined
      ? describeReceived(read.text('LINK_FEDERATED_USERS') ?? '')
      : `the entry ${describeReceived(bad)}`,
    'identity provider names exactly as configured in the user pool, separated by commas (e.g. "Google,SignInWithApple"): 1-32 characters each, no "_" or spaces, not "Cognito"',
  );
  return undefined;
}

function readInviteSource(
  read: ReaderOf<'INVITE_REQUIRED' | (typeof INVITE_SOURCES)[number]>,
  warnings: string[],
): InviteSource | undefined {
  const required = read.boolean('INVITE_REQUIRED');
  const given = INVITE_SOURCES.flatMap((source) => {
    const value = read.text(source);
    return value === undefined ? [] : [{ source, value }];
  });
  if (!required) {
    // An INVITE_REQUIRED that is itself invalid is already an error; "has no effect" would mislead.
    if (read.issueCount('INVITE_REQUIRED') > 0) return undefined;
    for (const { source } of given) warnings.push(`${source} has no effect while INVITE_REQUIRED is not true`);
    return undefined;
  }
  const [chosen, ...others] = given;
  if (chosen === undefined) {
    read.report('INVITE_REQUIRED', '"true"', `one of ${INVITE_SOURCES.join(', ')} to be set as well`, 'combination');
    return undefined;
  }
  for (const other of others) {
    // INVITE_SECRET is first in the list, so it is never the one reported, and never echoed.
    read.report(
      other.source,
      describeReceived(other.value),
      `unset when ${chosen.source} is set: use one source of invitations`,
      'combination',
    );
  }
  if (others.length > 0) return undefined;
  const { source: name, value } = chosen;
  switch (name) {
    case 'INVITE_SECRET':
      if (value.length >= MIN_INVITE_SECRET_LENGTH) return { kind: 'secret', secret: value };
      // Never echo a secret into the logs, not even a short one.
      read.report(name, `a secret of ${value.length} characters`, `at least ${MIN_INVITE_SECRET_LENGTH} characters`);
      return undefined;
    case 'INVITE_SECRET_PARAMETER':
      if (SSM_PARAMETER.test(value)) return { kind: 'secret-parameter', parameter: value };
      read.report(name, describeReceived(value), 'an SSM parameter name (/path/name) or ARN');
      return undefined;
    case 'INVITE_TABLE':
      if (TABLE_NAME.test(value)) return { kind: 'table', table: value };
      read.report(name, describeReceived(value), 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');
      return undefined;
  }
}

function readInviteMatch(read: ReaderOf<'INVITE_MATCH' | 'INVITE_TABLE' | 'INVITE_REQUIRED'>): InviteMatch {
  const match = read.choice('INVITE_MATCH');
  const table = read.text('INVITE_TABLE');
  if (match !== 'code' && read.boolean('INVITE_REQUIRED') && table === undefined) {
    read.report(
      'INVITE_MATCH',
      describeReceived(match),
      '"code" unless INVITE_TABLE is set: only a table can hold invitations by email',
      'combination',
    );
  }
  return match;
}

function readWaitlist(
  read: ReaderOf<
    'WAITLIST_TABLE' | 'WAITLIST_DAYS' | 'INVITE_REQUIRED' | (typeof INVITE_SOURCES)[number] | 'INVITE_MATCH'
  >,
  warnings: string[],
): WaitlistSettings | undefined {
  const table = read.text('WAITLIST_TABLE');
  const days = read.wholeNumber('WAITLIST_DAYS');
  if (table === undefined) {
    if (read.text('WAITLIST_DAYS') !== undefined)
      warnings.push('WAITLIST_DAYS has no effect while WAITLIST_TABLE is not set');
    return undefined;
  }
  if (!TABLE_NAME.test(table)) {
    read.report('WAITLIST_TABLE', describeReceived(table), 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');
  }
  // The waitlist is what an uninvited sign-up meets instead of INVITE_REQUIRED: without the
  // requirement every sign-up is admitted, and a table that records nobody is a mistake to say.
  // The text, not read.boolean: an INVITE_REQUIRED that is itself invalid is reported once, by its reader.
  if (read.text('INVITE_REQUIRED')?.toLowerCase() !== 'true') {
    read.report(
      'WAITLIST_TABLE',
      describeReceived(table),
      'unset unless INVITE_REQUIRED is true: the waitlist records the sign-ups no invitation admits',
      'combination',
    );
  }
  if (read.issueCount('WAITLIST_TABLE', 'WAITLIST_DAYS') > 0) return undefined;
  if (read.text('INVITE_SECRET') !== undefined || read.text('INVITE_SECRET_PARAMETER') !== undefined) {
    warnings.push(WAITLIST_WITH_SIGNED_CODES_WARNING);
  } else if (
    read.text('INVITE_TABLE') !== undefined &&
    (read.text('INVITE_MATCH') ?? SETTING_DEFAULTS.INVITE_MATCH).toLowerCase() === 'code'
  ) {
    warnings.push(WAITLIST_BY_CODE_WARNING);
  }
  return { table, days };
}

/**
 * Logged once per cold start: signed codes are the function's one source of invitations (never with
 * INVITE_TABLE), so the rows `--from-waitlist` writes are never read, and the row it deleted is made again.
 */
const WAITLIST_WITH_SIGNED_CODES_WARNING =
  'WAITLIST_TABLE is set with signed invitation codes: the invitations `npm run invite -- --from-waitlist` writes are rows of an INVITE_TABLE table, which this function does not read, so the people it invites would be WAITLISTED again. Invite the people waiting with codes (`npm run invite -- --email ADDRESS`)';

/** Logged once per cold start: the invitations made from the waitlist would admit nobody. */
const WAITLIST_BY_CODE_WARNING =
  'WAITLIST_TABLE is set while INVITE_MATCH=code: the invitations `npm run invite -- --from-waitlist` writes are by email, which INVITE_MATCH=code does not read. Set INVITE_MATCH=code-or-email, or invite the people waiting with codes';

function readCaptcha(
  read: ReaderOf<(typeof CAPTCHA_SETTINGS)[number]>,
  warnings: string[],
): CaptchaSettings | undefined {
  const provider = read.text('CAPTCHA') === undefined ? undefined : read.choice('CAPTCHA');
  if (provider === undefined) {
    for (const key of CAPTCHA_SETTINGS) {
      if (key !== 'CAPTCHA' && read.text(key) !== undefined)
        warnings.push(`${key} has no effect while CAPTCHA is not set`);
    }
    return undefined;
  }
  const text = read.text('CAPTCHA_SECRET');
  const parameter = read.text('CAPTCHA_SECRET_PARAMETER');
  const minScore = read.decimal('CAPTCHA_MIN_SCORE');
  const hostnames = read
    .entries('CAPTCHA_HOSTNAMES')
    ?.map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const action = read.text('CAPTCHA_ACTION');
  const verifyUrl = read.text('CAPTCHA_VERIFY_URL');
  const issuesBefore = read.issueCount(...CAPTCHA_SETTINGS);
  if ((text === undefined) === (parameter === undefined)) {
    // Never echo a secret into the logs.
    read.report(
      'CAPTCHA',
      `"${provider}" with ${text === undefined ? 'neither' : 'both'} CAPTCHA_SECRET and CAPTCHA_SECRET_PARAMETER`,
      'exactly one of CAPTCHA_SECRET or CAPTCHA_SECRET_PARAMETER (an SSM SecureString) to be set as well',
      'combination',
    );
  }
  if (parameter !== undefined && !SSM_PARAMETER.test(parameter)) {
    read.report('CAPTCHA_SECRET_PARAMETER', describeReceived(parameter), 'an SSM parameter name (/path/name) or ARN');
  }
  if (action !== undefined && provider === 'hcaptcha') {
    read.report(
      'CAPTCHA_ACTION',
      describeReceived(action),
      'unset with CAPTCHA=hcaptcha, whose answer has no action',
      'combination',
    );
  }
  if (minScore !== undefined && provider === 'turnstile') {
    warnings.push('CAPTCHA_MIN_SCORE has no effect with CAPTCHA=turnstile, whose answer has no score');
  }
  const urlProblem = verifyUrl === undefined ? undefined : validateVerifyUrl(verifyUrl);
  if (verifyUrl !== undefined && urlProblem !== undefined) {
    // A URL with a password in it is not echoed.
    read.report(
      'CAPTCHA_VERIFY_URL',
      verifyUrl.includes('@') ? 'a URL with an @ in it' : describeReceived(verifyUrl),
      urlProblem,
    );
  }
  if (read.issueCount(...CAPTCHA_SETTINGS) > issuesBefore) return undefined;
  return {
    provider,
    secret: text === undefined ? { kind: 'parameter', name: parameter ?? '' } : { kind: 'text', value: text },
    minScore,
    hostnames: hostnames === undefined || hostnames.length === 0 ? undefined : hostnames,
    action,
    verifyUrl,
  };
}

/**
 * `EMAIL_TYPO_DOMAINS`: domains the operator vouches for, which the typo check takes as real (and
 * suggests for their own typos) and the DNS check does not look up; `used`: either check is on.
 */
function readEmailTypoDomains(
  read: ReaderOf<'EMAIL_TYPO_DOMAINS' | 'EMAIL_TYPO_CHECK' | 'EMAIL_DELIVERABILITY'>,
  warnings: string[],
): readonly string[] | undefined {
  const entries = read.entries('EMAIL_TYPO_DOMAINS');
  if (entries === undefined) return undefined;
  const used = read.boolean('EMAIL_TYPO_CHECK') || read.boolean('EMAIL_DELIVERABILITY');
  const domains: string[] = [];
  for (const entry of entries) {
    if (entry.trim() === '') continue;
    const domain = readDomain(entry.trim());
    if (domain === undefined) {
      read.report(
        'EMAIL_TYPO_DOMAINS',
        `the entry ${describeReceived(entry.trim())}`,
        'domain names like "example.com"',
        'entry',
      );
    } else domains.push(domain);
  }
  if (!used) {
    warnings.push('EMAIL_TYPO_DOMAINS has no effect while neither EMAIL_TYPO_CHECK nor EMAIL_DELIVERABILITY is true');
  }
  return domains;
}

function readDnsServers(
  read: ReaderOf<'DNS_SERVERS' | 'EMAIL_DELIVERABILITY'>,
  warnings: string[],
): readonly string[] | undefined {
  const entries = read.entries('DNS_SERVERS');
  if (entries === undefined) return undefined;
  const deliverability = read.boolean('EMAIL_DELIVERABILITY');
  const servers: string[] = [];
  for (const entry of entries) {
    if (entry.trim() === '') continue;
    const server = readDnsServer(entry);
    if (server === undefined) {
      read.report(
        'DNS_SERVERS',
        `the entry ${describeReceived(entry.trim())}`,
        'IP addresses with an optional port, separated by commas: "10.0.0.2", "10.0.0.2:53", "[2001:db8::53]:53"',
        'entry',
      );
    } else servers.push(server);
  }
  if (!deliverability) warnings.push('DNS_SERVERS has no effect while EMAIL_DELIVERABILITY is not true');
  return servers.length === 0 ? undefined : servers;
}

function readRateLimits(
  read: ReaderOf<'RATE_LIMIT_TABLE' | 'RATE_LIMITS'>,
  warnings: string[],
): RateLimitSettings | undefined {
  const table = read.text('RATE_LIMIT_TABLE');
  const entries = read.entries('RATE_LIMITS');
  if (entries === undefined) {
    if (table !== undefined) warnings.push('RATE_LIMIT_TABLE has no effect while RATE_LIMITS is not set');
    return undefined;
  }
  const { limits, problems } = parseRateLimits(entries);
  for (const { entry, expected } of problems)
    read.report('RATE_LIMITS', `the entry ${describeReceived(entry)}`, expected, 'entry');
  if (table === undefined) {
    read.report(
      'RATE_LIMITS',
      `${String(limits.length)} limit(s)`,
      'RATE_LIMIT_TABLE to be set as well: the table that counts',
      'combination',
    );
    return undefined;
  }
  if (!TABLE_NAME.test(table)) {
    read.report('RATE_LIMIT_TABLE', describeReceived(table), 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');
    return undefined;
  }
  if (problems.length > 0 || limits.length === 0) return undefined;
  return { table, limits };
}

/**
 * The refusal texts with `DENY_MESSAGE_<CODE>` overrides applied. An override for a code that
 * does not exist is most likely a typo that would otherwise be silently ignored, so it is an error.
 */
function readRefusalTexts(keys: readonly string[], read: EnvReader): RefusalTexts {
  const texts: Record<RefusalCode, string> = { ...REFUSAL_TEXTS };
  for (const key of keys) {
    if (!isDenyMessageVariable(key)) continue;
    const code = key.slice(DENY_MESSAGE_PREFIX.length);
    const text = read.text(key) ?? '';
    if (!isRefusalCode(code)) {
      read.report(
        nameForLog(key),
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
        `one line of at most ${MAX_DENY_MESSAGE_LENGTH} characters, without tabs, control or invisible format characters`,
      );
    } else if (code === 'EMAIL_DOMAIN_TYPO' && text.split(SUGGESTION_PLACEHOLDER).length !== 2) {
      // The user must see what to type instead, and the client helper finds it there.
      read.report(
        key,
        describeReceived(text),
        `a text holding ${SUGGESTION_PLACEHOLDER} once, where the suggested domain goes (it becomes "...@gmail.com")`,
      );
    } else {
      texts[code] = text;
    }
  }
  return texts;
}

/**
 * Every group loadConfig reads, by the Config field it gives: loadConfig reads each from here, and
 * test/config/setting-groups.test.ts runs each on an empty environment.
 */
export const SETTING_GROUPS = {
  signInAliases: group(['SIGN_IN_ALIASES'], { email: false, phone: false }, readSignInAliases),
  linkFederatedUsers: group(['LINK_FEDERATED_USERS'], undefined, readLinkedProviders),
  rulesParameter: group(['RULES_PARAMETER', 'RULES_FILE'], undefined, readRulesParameter),
  invite: group(['INVITE_REQUIRED', ...INVITE_SOURCES], undefined, readInviteSource),
  inviteMatch: group(['INVITE_MATCH', 'INVITE_TABLE', 'INVITE_REQUIRED'], 'code', readInviteMatch),
  waitlist: group(
    ['WAITLIST_TABLE', 'WAITLIST_DAYS', 'INVITE_REQUIRED', ...INVITE_SOURCES, 'INVITE_MATCH'],
    undefined,
    readWaitlist,
  ),
  captcha: group(CAPTCHA_SETTINGS, undefined, readCaptcha),
  rateLimits: group(['RATE_LIMIT_TABLE', 'RATE_LIMITS'], undefined, readRateLimits),
  emailTypoDomains: group(
    ['EMAIL_TYPO_DOMAINS', 'EMAIL_TYPO_CHECK', 'EMAIL_DELIVERABILITY'],
    undefined,
    readEmailTypoDomains,
  ),
  dnsServers: group(['DNS_SERVERS', 'EMAIL_DELIVERABILITY'], undefined, readDnsServers),
  logOnlyRules: group(['LOG_ONLY_RULES'], undefined, readLogOnlyRules),
  metricsNamespace: group(['METRICS', 'METRICS_NAMESPACE'], SETTING_DEFAULTS.METRICS_NAMESPACE, readMetricsNamespace),
} as const;
