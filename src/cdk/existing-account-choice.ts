// The construct sees the pool at synth time, so it can choose EXISTING_ACCOUNT_POLICY where the
// function cannot: a sign-up that auto-verifies an email or phone another user holds as a sign-in
// alias moves that alias to the new user (docs/existing-accounts.md).
import { Token } from 'aws-cdk-lib';
import { CfnUserPool, type UserPool } from 'aws-cdk-lib/aws-cognito';
import {
  type ExistingAccountPolicy,
  type SettingName,
  SETTING_DEFAULTS,
  SIGN_IN_ALIAS_ATTRIBUTES,
} from '../config/settings.js';
import type { PreSignUpTriggerSettings } from './settings-props.js';

/** Which of email and phone number are sign-in aliases of a pool (names besides the user name). */
interface SignInAliases {
  readonly email: boolean;
  readonly phone: boolean;
  /** The pool's alias attributes as `SIGN_IN_ALIASES` names them. */
  readonly names: readonly string[];
}

/**
 * The pool's email and phone aliases, as its CloudFormation resource has them; undefined when they
 * are not known at synth (a token). `UserPool` keeps its `signInAliases` prop to itself: it writes
 * them to `AliasAttributes` when users also have a user name, and to `UsernameAttributes` when the
 * email or phone is the user name itself, where no alias can move. An override made with
 * `addPropertyOverride` is not seen.
 */
function signInAliasesOf(pool: UserPool): SignInAliases | undefined {
  const resource = pool.node.defaultChild;
  if (!CfnUserPool.isCfnUserPool(resource)) return undefined;
  const aliases = resource.aliasAttributes ?? [];
  if (Token.isUnresolved(aliases) || aliases.some((alias) => Token.isUnresolved(alias))) return undefined;
  return {
    email: aliases.includes('email'),
    phone: aliases.includes('phone_number'),
    names: aliases.filter((alias) => (SIGN_IN_ALIAS_ATTRIBUTES as readonly string[]).includes(alias)),
  };
}

/** The construct's choice of `existingAccountPolicy`, and the note synth prints when it chose a lookup. */
interface ExistingAccountChoice {
  /** Undefined: left unset, for the function to apply its default. */
  readonly policy: ExistingAccountPolicy | undefined;
  readonly note?: string;
}

/**
 * `signInAliases` (SIGN_IN_ALIASES), which picks the guard's call: the pool's alias attributes when
 * known at synth and not given, the prop as given otherwise. A prop that disagrees with the pool on
 * email or phone number fails synth: naming an alias the pool lacks would have the guard ask
 * AdminGetUser for it and find nobody, a silent admit; leaving one out only costs ListUsers calls,
 * but says something untrue of the pool.
 */
export function signInAliasesFor(settings: PreSignUpTriggerSettings, pool: UserPool): readonly string[] | undefined {
  const aliases = signInAliasesOf(pool);
  const given = settings.signInAliases;
  if (aliases === undefined) return given;
  if (given === undefined) return aliases.names.length > 0 ? aliases.names : undefined;
  if (given.includes('email') !== aliases.email || given.includes('phone_number') !== aliases.phone) {
    throw new Error(
      `PreSignUpTrigger: signInAliases must name the sign-in aliases ${pool.node.path} has ` +
        `(${aliases.names.join(', ') || 'none'}); leave it out for the construct to read them from the pool.`,
    );
  }
  return given;
}

const DEFAULTS: Readonly<Record<SettingName, string>> = SETTING_DEFAULTS;
const flag = (value: boolean | undefined, name: 'AUTO_CONFIRM' | 'AUTO_VERIFY_EMAIL' | 'AUTO_VERIFY_PHONE') =>
  value ?? DEFAULTS[name] === 'true';

/**
 * An explicit `existingAccountPolicy` is kept. Unset, it becomes `no-verify` when the pool has email
 * (or phone) as a sign-in alias and the settings auto-verify it, and `ignore` when the pool has
 * neither as an alias (said explicitly, so that the function does not warn of a takeover that
 * cannot happen). Otherwise it stays unset: the aliases are not known, or nothing is verified now
 * (a rules document could still turn verification on, and the function then warns).
 */
export function chooseExistingAccountPolicy(settings: PreSignUpTriggerSettings, pool: UserPool): ExistingAccountChoice {
  if (settings.existingAccountPolicy !== undefined) return { policy: settings.existingAccountPolicy };
  const aliases = signInAliasesOf(pool);
  if (aliases === undefined) return { policy: undefined };
  if (!aliases.email && !aliases.phone) return { policy: 'ignore' };
  const confirms = flag(settings.autoConfirm, 'AUTO_CONFIRM');
  const atRisk = [
    aliases.email && confirms && flag(settings.autoVerifyEmail, 'AUTO_VERIFY_EMAIL') ? 'email' : undefined,
    aliases.phone && confirms && flag(settings.autoVerifyPhone, 'AUTO_VERIFY_PHONE') ? 'phone number' : undefined,
  ].filter((attribute) => attribute !== undefined);
  if (atRisk.length === 0) return { policy: undefined };
  const what = atRisk.join(' and ');
  return {
    policy: 'no-verify',
    note:
      `existingAccountPolicy is not set, and ${pool.node.path} has ${what} as a sign-in alias while the settings ` +
      `auto-verify it: using 'no-verify', so that a sign-up cannot take the alias from the user who holds it. ` +
      'It costs one cognito-idp:AdminGetUser call per sign-up for an alias (granted on the pool; it counts the ' +
      'user found as active for billing), and ListUsers for an address that is not one. Set existingAccountPolicy ' +
      "to choose otherwise ('deny', or 'ignore' to accept the takeover); see docs/existing-accounts.md.",
  };
}
