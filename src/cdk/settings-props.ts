// The construct's settings props and the environment they give the function, both derived from the
// settings registry (src/config/settings.ts): each setting's prop is its name in camelCase, typed by
// its kind, and reaches its variable through one loop. Only the props that carry something other
// than their kind's plain value (a construct, a choice) are written here.
import { Token, Tokenization } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IParameter } from 'aws-cdk-lib/aws-ssm';
import {
  type CamelCase,
  camelCaseOf,
  type ChoiceOf,
  type ChoiceSetting,
  DENY_MESSAGE_PREFIX,
  type ExistingAccountPolicy,
  type SettingName,
  SETTING_REGISTRY,
  SETTINGS,
} from '../config/settings.js';
import type { RefusalCode } from '../model/refusal-codes.js';

/**
 * Where the invitation secret comes from. An SSM parameter is read by the function at run time
 * (`INVITE_SECRET_PARAMETER`): nothing secret is in its configuration. A Secrets Manager secret is
 * resolved by CloudFormation at deploy time into `INVITE_SECRET`, where anyone who may read the
 * function's configuration can read it.
 */
export type InviteSecretSource = { readonly parameter: IParameter } | { readonly secretsManager: ISecret };

/**
 * Where the CAPTCHA provider's secret key comes from, as for `inviteSecret`: an SSM parameter read by
 * the function at run time (`CAPTCHA_SECRET_PARAMETER`; only that parameter may be read), or a
 * Secrets Manager secret resolved by CloudFormation at deploy time into `CAPTCHA_SECRET`.
 */
export type CaptchaSecretSource = { readonly parameter: IParameter } | { readonly secretsManager: ISecret };

/** The prop's type for each kind of setting, where the prop carries the plain value. */
interface ValueOfKind {
  boolean: boolean;
  'whole-number': number;
  decimal: number;
  list: readonly string[];
  text: string;
}

/**
 * Props that carry more than their kind's plain value (a choice's type is one of its registry
 * `choices`, derived below). `inviteSecret` gives `INVITE_SECRET` or `INVITE_SECRET_PARAMETER`,
 * whichever its source is, so that a secret never sits in the app's code; `captchaSecret` likewise
 * gives `CAPTCHA_SECRET` or `CAPTCHA_SECRET_PARAMETER`.
 */
interface TypedProps {
  readonly inviteSecret: InviteSecretSource;
  readonly inviteTable: ITable | string;
  readonly waitlistTable: ITable | string;
  readonly captchaSecret: CaptchaSecretSource;
  readonly rateLimitTable: ITable | string;
  readonly rulesParameter: IParameter;
}

/**
 * Settings with no prop of their own: `INVITE_SECRET_PARAMETER` comes from `inviteSecret`,
 * `CAPTCHA_SECRET_PARAMETER` from `captchaSecret`.
 */
type SharedProp = 'INVITE_SECRET_PARAMETER' | 'CAPTCHA_SECRET_PARAMETER';

/** The prop each shared setting comes from. */
const SHARED_PROPS = {
  INVITE_SECRET_PARAMETER: 'inviteSecret',
  CAPTCHA_SECRET_PARAMETER: 'captchaSecret',
} as const satisfies Readonly<Record<SharedProp, string>>;

type PropName<Name extends SettingName> = Name extends SharedProp ? (typeof SHARED_PROPS)[Name] : CamelCase<Name>;

type DerivedSettings = {
  readonly [Name in Exclude<SettingName, SharedProp> as CamelCase<Name>]?: CamelCase<Name> extends keyof TypedProps
    ? TypedProps[CamelCase<Name>]
    : Name extends ChoiceSetting
      ? ChoiceOf<Name>
      : ValueOfKind[(typeof SETTING_REGISTRY)[Name]['kind']];
};

/**
 * The function's settings, one prop for each, named as the setting in camelCase (derived from the
 * settings registry). See docs/settings.md for what each does.
 */
export interface PreSignUpTriggerSettings extends DerivedSettings {
  /** E.164 prefixes, e.g. `['+1', '+44']`. */
  readonly allowedPhonePrefixes?: readonly string[];
  /**
   * Default: chosen from the pool (see docs/existing-accounts.md). `no-verify` when email or phone is
   * a sign-in alias and the settings auto-verify it; `ignore` when neither is an alias (users sign in
   * with a user name, or with the email or phone as the user name); otherwise unset (the function's
   * default, `ignore`). A value given here is kept.
   */
  readonly existingAccountPolicy?: ExistingAccountPolicy;
  /** Identity provider names exactly as configured in the pool, e.g. `['Google', 'SignInWithApple']`. */
  readonly linkFederatedUsers?: readonly string[];
  /** `INVITE_SECRET` or `INVITE_SECRET_PARAMETER`, depending on the source. */
  readonly inviteSecret?: InviteSecretSource;
  /**
   * `INVITE_TABLE`: a table of this stack, or the name of one in the same account and region. The
   * function may GetItem and UpdateItem on it (a row with `maxUses` records its uses).
   */
  readonly inviteTable?: ITable | string;
  /**
   * `WAITLIST_TABLE`: the table uninvited sign-ups are recorded in (string partition key `pk`, TTL
   * attribute `expiresAt`), a table of this stack or the name of one in the same account and
   * region; or let the construct make one with `createWaitlistTable`. The function may UpdateItem
   * on it only (see docs/waitlist.md).
   */
  readonly waitlistTable?: ITable | string;
  /**
   * `CAPTCHA_SECRET` or `CAPTCHA_SECRET_PARAMETER`, depending on the source (see docs/captcha.md).
   * With a parameter, the function may read (and decrypt) that parameter only.
   */
  readonly captchaSecret?: CaptchaSecretSource;
  /**
   * `RATE_LIMIT_TABLE`: the table that counts sign-ups for `rateLimits` (string partition key `pk`,
   * TTL attribute `expiresAt`), a table of this stack or the name of one in the same account and
   * region; or let the construct make one with `createRateLimitTable`. The function may UpdateItem
   * and GetItem on it only (see docs/velocity-limits.md).
   */
  readonly rateLimitTable?: ITable | string;
  /** `RATE_LIMITS`, e.g. `['email-domain:20/h', 'pool:2000/d']` (see docs/velocity-limits.md). */
  readonly rateLimits?: readonly string[];
  /**
   * `RULES_FILE`: a rules document inside the code (pass `code` built with `npm run build -- --rules`)
   * or an absolute path, e.g. in a layer. The document is read at run time, not at synth.
   */
  readonly rulesFile?: string;
  /** `RULES_PARAMETER`: an SSM parameter holding a rules document; the function may read it (and decrypt it). */
  readonly rulesParameter?: IParameter;
  /** `DENY_MESSAGE_<CODE>`: the text shown for a refusal code instead of the default. */
  readonly denyMessages?: Partial<Readonly<Record<RefusalCode, string>>>;
}

/**
 * The settings prop a setting comes from: its name in camelCase, `inviteSecret` for both invitation
 * secrets and `captchaSecret` for both CAPTCHA secrets.
 */
function propNameOf<Name extends SettingName>(name: Name): PropName<Name> {
  if (Object.hasOwn(SHARED_PROPS, name)) return SHARED_PROPS[name as SharedProp] as PropName<Name>;
  return camelCaseOf(name) as PropName<Name>;
}

/** The settings prop each environment variable comes from (the DENY_MESSAGE_ family aside). */
export const SETTING_PROPS = Object.fromEntries(SETTINGS.map((name) => [name, propNameOf(name)])) as {
  readonly [Name in SettingName]: PropName<Name>;
};

function tableNameOf(table: ITable | string | undefined): string | undefined {
  return typeof table === 'string' || table === undefined ? table : table.tableName;
}

/** The variables whose prop is not the plain value: how each is read from the props. */
const FROM_TYPED_PROPS: {
  readonly [Name in SettingName]?: (settings: PreSignUpTriggerSettings) => string | undefined;
} = {
  INVITE_SECRET: ({ inviteSecret }) =>
    inviteSecret !== undefined && 'secretsManager' in inviteSecret
      ? inviteSecret.secretsManager.secretValue.unsafeUnwrap()
      : undefined,
  INVITE_SECRET_PARAMETER: ({ inviteSecret }) =>
    inviteSecret !== undefined && 'parameter' in inviteSecret ? inviteSecret.parameter.parameterName : undefined,
  INVITE_TABLE: ({ inviteTable }) => tableNameOf(inviteTable),
  WAITLIST_TABLE: ({ waitlistTable }) => tableNameOf(waitlistTable),
  CAPTCHA_SECRET: ({ captchaSecret }) =>
    captchaSecret !== undefined && 'secretsManager' in captchaSecret
      ? captchaSecret.secretsManager.secretValue.unsafeUnwrap()
      : undefined,
  CAPTCHA_SECRET_PARAMETER: ({ captchaSecret }) =>
    captchaSecret !== undefined && 'parameter' in captchaSecret ? captchaSecret.parameter.parameterName : undefined,
  RATE_LIMIT_TABLE: ({ rateLimitTable }) => tableNameOf(rateLimitTable),
  RULES_PARAMETER: ({ rulesParameter }) => rulesParameter?.parameterName,
};

// A value CloudFormation resolves only at deploy time (a token) is checked at synth as a valid
// stand-in of its kind: the setting's default where that is a value, otherwise one of these. A
// setting with neither is left out of the check when it is a token.
const TOKEN_STAND_INS: { readonly [Name in SettingName]?: string } = {
  AUTO_CONFIRM_EMAIL_DOMAINS: 'example.com',
  ALLOWED_EMAIL_DOMAINS: 'example.com',
  BLOCKED_EMAIL_DOMAINS: 'example.com',
  ALLOWED_EMAILS: 'kim@example.com',
  BLOCKED_EMAILS: 'kim@example.com',
  ALLOWED_PHONE_PREFIXES: '+1',
  BLOCKED_PHONE_PREFIXES: '+1',
  LINK_FEDERATED_USERS: 'Google',
  INVITE_SECRET: 'x'.repeat(32),
  INVITE_SECRET_PARAMETER: '/stand-in',
  INVITE_TABLE: 'stand-in',
  WAITLIST_TABLE: 'stand-in',
  CAPTCHA: 'turnstile',
  CAPTCHA_SECRET: 'stand-in',
  CAPTCHA_SECRET_PARAMETER: '/stand-in',
  CAPTCHA_MIN_SCORE: '0.5',
  CAPTCHA_HOSTNAMES: 'example.com',
  CAPTCHA_ACTION: 'signup',
  CAPTCHA_VERIFY_URL: 'https://example.com/siteverify',
  RATE_LIMIT_TABLE: 'stand-in',
  RATE_LIMITS: 'pool:1000/h',
  RULES_FILE: '/opt/stand-in.json',
  RULES_PARAMETER: '/stand-in',
};

/** A plain prop as its variable's text: lists joined by commas, booleans and numbers as written. */
function textOf(name: SettingName, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(',');
  // A number CloudFormation resolves at deploy time (Token.asNumber) becomes a string token, not its
  // encoding as a very large number.
  if (typeof value === 'number') return Tokenization.stringifyNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  throw new Error(`PreSignUpTrigger: ${propNameOf(name)} must be a ${SETTING_REGISTRY[name].kind} value`);
}

/**
 * The environment a set of props gives the function, and the same environment with every value
 * CloudFormation resolves only at deploy time (a token) replaced by a valid stand-in, to check.
 */
export function environmentOf(settings: PreSignUpTriggerSettings): {
  environment: Record<string, string>;
  toCheck: Record<string, string>;
} {
  const environment: Record<string, string> = {};
  const toCheck: Record<string, string> = {};
  const set = (name: string, value: string | undefined, standIn: string) => {
    if (value === undefined) return;
    environment[name] = value;
    if (!Token.isUnresolved(value)) toCheck[name] = value;
    else if (standIn !== '') toCheck[name] = standIn;
  };
  const props = settings as Readonly<Record<string, unknown>>;
  for (const name of SETTINGS) {
    const fromTyped = FROM_TYPED_PROPS[name];
    const value = fromTyped === undefined ? textOf(name, props[propNameOf(name)]) : fromTyped(settings);
    set(name, value, TOKEN_STAND_INS[name] ?? SETTING_REGISTRY[name].default);
  }
  for (const [code, text] of Object.entries(settings.denyMessages ?? {})) {
    set(`${DENY_MESSAGE_PREFIX}${code}`, text, 'Stand-in text');
  }
  return { environment, toCheck };
}
