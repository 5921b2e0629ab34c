import { domainListMatches, type DomainList, parentDomainsOf } from './domain-list.js';
import { type ConfigIssue, nameForLog } from '../model/config-issue.js';
import type { SettingValues } from './env-reader.js';
import type { Config } from './load-config.js';
import { emailKeyOf, readEmailAddress } from '../read/email-address.js';
import {
  type BooleanSetting,
  camelCaseOf,
  EXISTING_ACCOUNT_POLICIES,
  type InviteMatch,
  LOG_ONLY_RULE_NAMES,
  overrideRuleOf,
  type RuleSettingName,
  SETTING_REGISTRY,
  type SettingName,
  type SettingsOverridden,
  settingsOfRule,
} from './settings.js';

/**
 * How an app client's overrides in a rules document meet the top level (see SETTING_REGISTRY's
 * `override`). App client ids are public: anyone can sign up through any client of the pool. So a
 * client's settings are not an access boundary: a block must hold for every client, and anything
 * a client admits beyond the top level is said out loud.
 */

/** The entries of a list setting's value: a document's array, or the environment's text split at commas. */
function entriesOf(value: SettingValues[string]): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? (value.trim() === '' ? [] : value.split(',')) : value;
}

/**
 * The settings for one client: the top level's with the client's overrides, where a block list
 * (`add`) keeps the top level's entries and adds the client's, and a `no-loosening` setting turned
 * off where the top level has it on is an issue (named under `where`).
 */
export function settingsForClient(
  top: SettingValues,
  overrides: SettingValues,
  topConfig: Config,
  where: string,
  issues: ConfigIssue[],
): SettingValues {
  const combined: Record<string, SettingValues[string]> = { ...top, ...overrides };
  // A client that turns the invitation requirement off has no waitlist (it records the sign-ups the
  // requirement refuses): the top level's is not its own mistake. One it names itself is.
  if (
    Object.hasOwn(overrides, 'INVITE_REQUIRED') &&
    String(overrides.INVITE_REQUIRED).trim().toLowerCase() !== 'true' &&
    !Object.hasOwn(overrides, 'WAITLIST_TABLE')
  ) {
    delete combined.WAITLIST_TABLE;
    delete combined.WAITLIST_DAYS;
  }
  for (const [key, value] of Object.entries(overrides)) {
    const rule = overrideRuleOf(key);
    if (rule === 'add') {
      const base = entriesOf(top[key]);
      combined[key] = base.length === 0 ? value : [...base, ...entriesOf(value)];
    } else if (rule === 'no-loosening') {
      const problem = noLooseningProblem(key as SettingsOverridden<'no-loosening'>, topConfig, value);
      if (problem !== undefined) issues.push({ variable: `${where}.${key}`, ...problem, kind: 'combination' });
    }
  }
  for (const problem of logOnlyLooseningProblems(top, overrides, topConfig)) {
    issues.push({ variable: `${where}.LOG_ONLY_RULES`, ...problem, kind: 'combination' });
  }
  return combined;
}

/**
 * A client's LOG_ONLY_RULES may make a rule log-only that the top level enforces only where the
 * client could loosen the rule's own settings itself (and is warned about, see looseningWarnings):
 * a rule that decides a block list (`add`) or a `no-loosening` setting the top level has on stays
 * enforced for every client, as turning the setting off in the client would be refused.
 */
function logOnlyLooseningProblems(
  top: SettingValues,
  overrides: SettingValues,
  topConfig: Config,
): readonly { received: string; expected: string }[] {
  if (!Object.hasOwn(overrides, 'LOG_ONLY_RULES')) return [];
  const enforcedAtTop = (name: string): boolean => topConfig.logOnlyRules?.has(name as RuleSettingName) !== true;
  return entriesOf(overrides.LOG_ONLY_RULES)
    .map((entry) => entry.trim())
    .filter((name) => (LOG_ONLY_RULE_NAMES as readonly string[]).includes(name) && enforcedAtTop(name))
    .flatMap((name) => {
      const held = settingsOfRule(name as RuleSettingName).find((setting) => topHolds(setting, top, topConfig));
      if (held === undefined) return [];
      return [
        {
          received: `${name}, which the top level enforces through ${held}`,
          expected: `rules the top level makes log-only, or rules whose settings a client may loosen: a client may make ${held} stricter, never looser, so it may not make ${name} log-only (app client ids are public: anyone can sign up through any client); name it in the top level's LOG_ONLY_RULES to watch it for every client`,
        },
      ];
    });
}

/**
 * Whether the top level's value of a setting holds for every client: a block list (`add`) with
 * entries, or a `no-loosening` boolean at its stricter value.
 */
function topHolds(setting: SettingName, top: SettingValues, topConfig: Config): boolean {
  const entry = SETTING_REGISTRY[setting];
  if (entry.override === 'add') return entriesOf(top[setting]).some((item) => item.trim() !== '');
  if (entry.override !== 'no-loosening') return false;
  const name = setting as SettingsOverridden<'no-loosening'> & BooleanSetting;
  return topConfig[camelCaseOf(name)] === (SETTING_REGISTRY[name].stricter === 'true');
}

/**
 * Whether a client's value of a boolean setting is the looser one while the top level's is the
 * stricter (the registry's `stricter`): the one place a boolean's loosening is decided.
 */
function loosensBoolean(name: BooleanSetting, top: Config, clientValue: boolean): boolean {
  const { stricter } = SETTING_REGISTRY[name];
  if (stricter === 'neither') return false;
  const strict = stricter === 'true';
  return top[camelCaseOf(name)] === strict && clientValue !== strict;
}

/**
 * The problem of a client's value of a `no-loosening` setting that loosens the top level's. Every
 * such setting is a boolean (the type says so): its registry entry's `stricter` decides.
 */
function noLooseningProblem(
  name: SettingsOverridden<'no-loosening'> & BooleanSetting,
  top: Config,
  value: SettingValues[string],
): { received: string; expected: string } | undefined {
  const given = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (given !== 'true' && given !== 'false') return undefined;
  if (!loosensBoolean(name, top, given === 'true')) return undefined;
  const strict = SETTING_REGISTRY[name].stricter;
  return {
    received: `${given}, where the top level says ${strict}`,
    expected: `${strict} or no value: a client may make ${name} stricter, never looser (app client ids are public: anyone can sign up through any client)`,
  };
}

/** What each INVITE_MATCH takes as an invitation: a code, a row for the email, or either. */
const INVITE_PROOFS: Readonly<Record<InviteMatch, readonly ('code' | 'email')[]>> = {
  code: ['code'],
  email: ['email'],
  'code-or-email': ['code', 'email'],
};

const POLICY_STRENGTH = Object.fromEntries(EXISTING_ACCOUNT_POLICIES.map((policy, rank) => [policy, rank]));

/** A setting a client's value replaces that cannot admit more sign-ups than the top level's. */
const CANNOT_LOOSEN = 'cannot loosen';

/**
 * For each `replace` setting but the booleans (the registry says which; one without an entry does
 * not compile): whether a client's value admits more sign-ups (or trusts more) than the top
 * level's, or CANNOT_LOOSEN. Lists the client gives are checked entry by entry: a narrower allow
 * list is fine. A boolean's loosening follows from its registry entry's `stricter` (loosensBoolean).
 */
const LOOSENS: {
  readonly [Name in Exclude<SettingsOverridden<'replace'>, BooleanSetting>]:
    ((top: Config, client: Config, given: readonly string[]) => boolean) | typeof CANNOT_LOOSEN;
} = {
  AUTO_CONFIRM_EMAIL_DOMAINS: (top, client, given) =>
    top.autoConfirmEmailDomains !== undefined && !domainsWithin(given, top.autoConfirmEmailDomains),
  // The two allow lists admit together (an address on either passes), so a client's list of one
  // kind widens a top level that allows through the other kind alone.
  ALLOWED_EMAIL_DOMAINS: (top, client, given) =>
    hasAllowList(top) && (top.allowedEmailDomains === undefined || !domainsWithin(given, top.allowedEmailDomains)),
  ALLOWED_EMAILS: (top, client, given) => hasAllowList(top) && !addressesWithin(given, top),
  EMAIL_SUBADDRESSES: (top, client) => top.emailSubaddresses === 'block' && client.emailSubaddresses === 'allow',
  ALLOWED_PHONE_PREFIXES: (top, client, given) =>
    top.allowedPhonePrefixes !== undefined && !prefixesWithin(given, top.allowedPhonePrefixes),
  MIN_USERNAME_LENGTH: (top, client) => client.minUsernameLength < top.minUsernameLength,
  EXISTING_ACCOUNT_POLICY: (top, client) =>
    (POLICY_STRENGTH[client.existingAccountPolicy] ?? 0) < (POLICY_STRENGTH[top.existingAccountPolicy] ?? 0),
  // A client admits more when it takes a proof the top level does not (`code-or-email` over either
  // alone, or the other one); narrowing `code-or-email` to one of them admits fewer.
  INVITE_MATCH: (top, client) =>
    top.invite !== undefined &&
    INVITE_PROOFS[client.inviteMatch].some((proof) => !INVITE_PROOFS[top.inviteMatch].includes(proof)),
  // Where a check is made, or with what secret, is the check itself: another table has other rows
  // and counts, another secret may be a test key that passes everything, another URL another answer.
  INVITE_SECRET: (top, client) => differs(top.invite, client.invite),
  INVITE_SECRET_PARAMETER: (top, client) => differs(top.invite, client.invite),
  INVITE_TABLE: (top, client) => differs(top.invite, client.invite),
  CAPTCHA_SECRET: (top, client) => differs(top.captcha?.secret, client.captcha?.secret),
  CAPTCHA_SECRET_PARAMETER: (top, client) => differs(top.captcha?.secret, client.captcha?.secret),
  CAPTCHA_VERIFY_URL: (top, client) => top.captcha !== undefined && top.captcha.verifyUrl !== client.captcha?.verifyUrl,
  RATE_LIMIT_TABLE: (top, client) => top.rateLimits !== undefined && top.rateLimits.table !== client.rateLimits?.table,
  CAPTCHA: (top, client) => top.captcha !== undefined && client.captcha === undefined,
  CAPTCHA_MIN_SCORE: (top, client) => (client.captcha?.minScore ?? 0) < (top.captcha?.minScore ?? 0),
  CAPTCHA_HOSTNAMES: (top, client) =>
    top.captcha?.hostnames !== undefined &&
    (client.captcha?.hostnames === undefined ||
      client.captcha.hostnames.some((name) => !(top.captcha?.hostnames ?? []).includes(name))),
  CAPTCHA_ACTION: (top, client) => top.captcha?.action !== undefined && client.captcha?.action === undefined,
  RATE_LIMITS: (top, client) =>
    (top.rateLimits?.limits ?? []).some(
      (limit) =>
        !(client.rateLimits?.limits ?? []).some(
          (other) =>
            other.scope === limit.scope && other.windowSeconds === limit.windowSeconds && other.limit <= limit.limit,
        ),
    ),
  // A client's EMAIL_TYPO_DOMAINS may name a domain the top level takes for a typo, or one whose
  // DNS check it skips.
  EMAIL_TYPO_DOMAINS: (top, client) =>
    (top.emailTypoCheck || top.emailDeliverability) &&
    (client.emailTypoDomains ?? []).some((domain) => !top.emailTypoDomains?.includes(domain)),
  // A rule the top level enforces, log-only for this client, refuses nobody who picks the client.
  // (Which rules are on is the rules' to say, a layer up: a rule the top level has off is warned about too.)
  // A rule deciding a block list or a no-loosening setting the top level holds is refused instead
  // (logOnlyLooseningProblems).
  LOG_ONLY_RULES: (top, client) =>
    [...(client.logOnlyRules ?? [])].some((name) => top.logOnlyRules?.has(name) !== true),
  // Linking finds an account the sign-in already has: it admits nobody.
  LINK_FEDERATED_USERS: CANNOT_LOOSEN,
  // A waitlist refuses whom the invitation requirement refuses, in other words: it admits nobody.
  WAITLIST_TABLE: CANNOT_LOOSEN,
  WAITLIST_DAYS: CANNOT_LOOSEN,
};

/**
 * A warning for each setting a client overrides so that it admits more than the top level. It is
 * allowed (a test client may auto-confirm), but it is not a boundary: anyone can pick that client.
 */
export function looseningWarnings(
  top: Config,
  client: Config,
  overrides: SettingValues,
  clientId: string,
): readonly string[] {
  const loosened = Object.keys(overrides).filter((key): key is SettingName => {
    if (Object.hasOwn(SETTING_REGISTRY, key) && SETTING_REGISTRY[key as SettingName].kind === 'boolean') {
      const name = key as BooleanSetting;
      return loosensBoolean(name, top, client[camelCaseOf(name)]);
    }
    const check = Object.hasOwn(LOOSENS, key) ? LOOSENS[key as keyof typeof LOOSENS] : CANNOT_LOOSEN;
    return (
      check !== CANNOT_LOOSEN &&
      check(
        top,
        client,
        entriesOf(overrides[key]).map((entry) => entry.trim()),
      )
    );
  });
  if (loosened.length === 0) return [];
  return [
    `clients.${nameForLog(clientId)} admits more than the top level through ${loosened.join(', ')}: app client ids are public, so anyone can sign up through this client; per-client rules are not an access boundary`,
  ];
}

/** Whether a client's source of a check (a table, a secret) is another than the top level's. */
function differs(top: object | undefined, client: object | undefined): boolean {
  return top !== undefined && JSON.stringify(top) !== JSON.stringify(client);
}

/** Whether every entry of a client's domain list is covered by the top level's list. */
function domainsWithin(entries: readonly string[], top: DomainList): boolean {
  if (entries.length === 0) return false;
  return entries.every((entry) => {
    if (!entry.startsWith('*.')) return domainListMatches(top, entry.toLowerCase());
    const base = entry.slice(2).toLowerCase();
    return [base, ...parentDomainsOf(base)].some((domain) => top.subdomainsOf.has(domain));
  });
}

/** Whether the top level allows only some addresses (ALLOWED_EMAILS, ALLOWED_EMAIL_DOMAINS, or both). */
function hasAllowList(top: Config): boolean {
  return top.allowedEmails !== undefined || top.allowedEmailDomains !== undefined;
}

/** Whether the top level's allow lists admit every address of a client's list already. */
function addressesWithin(entries: readonly string[], top: Config): boolean {
  if (entries.length === 0) return false;
  return entries.every((entry) => {
    const address = readEmailAddress(entry);
    if (address === undefined) return false;
    if (top.allowedEmails?.has(emailKeyOf(address)) === true) return true;
    return top.allowedEmailDomains !== undefined && domainListMatches(top.allowedEmailDomains, address.domain);
  });
}

/** Whether every prefix of a client's list starts with one of the top level's. */
function prefixesWithin(entries: readonly string[], top: { has(key: string): boolean }): boolean {
  if (entries.length === 0) return false;
  return entries.every((entry) => {
    for (let length = 2; length <= entry.length; length++) if (top.has(entry.slice(0, length))) return true;
    return false;
  });
}
