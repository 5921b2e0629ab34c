// Settings that cannot work with the pool the construct is given (docs/cognito-sign-up-paths.md).
// The construct sees the pool and, at synth, the app clients, domains and identity providers made
// for it in the same app; it does not see how an app calls Cognito, nor a rules document (read at
// run time). So it warns, never fails: each warning has an id that
// `Annotations.of(trigger).acknowledgeWarning(id)` silences.
import { Annotations, Aspects, Token } from 'aws-cdk-lib';
import {
  CfnUserPool,
  CfnUserPoolClient,
  CfnUserPoolDomain,
  CfnUserPoolIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IConstruct } from 'constructs';
import { type SettingName, SETTING_DEFAULTS } from '../config/settings.js';
import type { PreSignUpTriggerSettings } from './settings-props.js';

/** What synth shows of the pool; undefined where a value is known only at deploy time (a token). */
interface PoolView {
  /** Whether users may sign themselves up (`SignUp`, managed login's sign-up page). */
  readonly selfSignUp: boolean | undefined;
  /** The pool's first sign-in factors (`EMAIL_OTP`, `SMS_OTP`… for passwordless sign-in). */
  readonly firstFactors: readonly string[] | undefined;
  /** The app clients (construct paths) that offer managed login's sign-up page: a domain, OAuth, COGNITO. */
  readonly managedLoginClients: readonly string[];
  /** Whether users can sign in through an external identity provider. */
  readonly federated: boolean;
}

const known = <T>(value: T): T | undefined => (Token.isUnresolved(value) ? undefined : value);

/** The pool's own settings, as its CloudFormation resource has them. */
function poolSettingsOf(pool: UserPool): Pick<PoolView, 'selfSignUp' | 'firstFactors'> {
  const resource = pool.node.defaultChild;
  if (!CfnUserPool.isCfnUserPool(resource)) return { selfSignUp: undefined, firstFactors: undefined };
  // Unset, AllowAdminCreateUserOnly is false: users may sign themselves up.
  const adminOnly = Token.isUnresolved(resource.adminCreateUserConfig)
    ? undefined
    : known(
        (resource.adminCreateUserConfig as CfnUserPool.AdminCreateUserConfigProperty | undefined)
          ?.allowAdminCreateUserOnly ?? false,
      );
  const policies = known(resource.policies) as CfnUserPool.PoliciesProperty | undefined;
  const signIn = known(policies?.signInPolicy) as CfnUserPool.SignInPolicyProperty | undefined;
  const factors = known(signIn?.allowedFirstAuthFactors);
  return {
    selfSignUp: typeof adminOnly === 'boolean' ? !adminOnly : undefined,
    firstFactors: factors?.some((factor) => Token.isUnresolved(factor)) === true ? undefined : (factors ?? []),
  };
}

const listOf = (value: unknown): readonly string[] =>
  Array.isArray(value) && !Token.isUnresolved(value) ? value.filter((item) => typeof item === 'string') : [];

/** The pool, its app clients, domains and identity providers anywhere in the app, once it is complete. */
function viewOf(pool: UserPool): PoolView {
  const ofThisPool = pool.node.root.node
    .findAll()
    .filter(
      (node): node is CfnUserPoolClient | CfnUserPoolDomain | CfnUserPoolIdentityProvider =>
        (CfnUserPoolClient.isCfnUserPoolClient(node) ||
          CfnUserPoolDomain.isCfnUserPoolDomain(node) ||
          CfnUserPoolIdentityProvider.isCfnUserPoolIdentityProvider(node)) &&
        node.userPoolId === pool.userPoolId,
    );
  const clients = ofThisPool.filter((node) => CfnUserPoolClient.isCfnUserPoolClient(node));
  const hasDomain = ofThisPool.some((node) => CfnUserPoolDomain.isCfnUserPoolDomain(node));
  const managedLoginClients = clients
    .filter(
      (client) =>
        hasDomain &&
        known(client.allowedOAuthFlowsUserPoolClient) === true &&
        listOf(client.supportedIdentityProviders).includes('COGNITO') &&
        listOf(client.allowedOAuthFlows).some((flow) => flow === 'code' || flow === 'implicit'),
    )
    // An L2 client's resource is its child "Resource": name the client as the app made it.
    .map((client) => (client.node.id === 'Resource' ? client.node.scope : undefined)?.node.path ?? client.node.path);
  const federated =
    ofThisPool.some((node) => CfnUserPoolIdentityProvider.isCfnUserPoolIdentityProvider(node)) ||
    clients.some((client) => listOf(client.supportedIdentityProviders).some((name) => name !== 'COGNITO'));
  return { ...poolSettingsOf(pool), managedLoginClients, federated };
}

const DEFAULTS: Readonly<Record<SettingName, string>> = SETTING_DEFAULTS;
const flag = (value: boolean | undefined, name: SettingName) => value ?? DEFAULTS[name] === 'true';

interface PoolFitWarning {
  readonly id: string;
  readonly message: string;
}

const PAGE = 'see docs/cognito-sign-up-paths.md';

/** The warnings for these settings on a pool seen so. */
function warningsFor(settings: PreSignUpTriggerSettings, pool: UserPool, view: PoolView): PoolFitWarning[] {
  const warnings: PoolFitWarning[] = [];
  const poolPath = pool.node.path;
  const inviteByCode = settings.inviteRequired === true && (settings.inviteMatch ?? DEFAULTS.INVITE_MATCH) === 'code';
  const captcha = settings.captcha !== undefined && known(settings.captcha) !== undefined;
  if (view.selfSignUp !== false && view.managedLoginClients.length > 0) {
    const clients = view.managedLoginClients.join(', ');
    const preamble =
      `${clients} offer${view.managedLoginClients.length === 1 ? 's' : ''} managed login on ${poolPath}, ` +
      'whose sign-ups carry no validationData or clientMetadata';
    if (captcha) {
      warnings.push({
        id: 'captchaWithManagedLogin',
        message:
          `${preamble}: CAPTCHA refuses every one of them with CAPTCHA_REQUIRED, unless a rules document turns ` +
          'CAPTCHA off for those clients. Protect managed login with AWS WAF instead (waf.yaml has a CAPTCHA ' +
          `action for it); ${PAGE}.`,
      });
    }
    if (inviteByCode) {
      warnings.push({
        id: 'inviteCodeWithManagedLogin',
        message:
          `${preamble}: inviteRequired with inviteMatch 'code' refuses every one of them with INVITE_REQUIRED. ` +
          `Invite them by email (inviteMatch 'email' or 'code-or-email', with an inviteTable); ${PAGE}.`,
      });
    }
  }
  if (inviteByCode && view.federated) {
    warnings.push({
      id: 'inviteCodeWithFederation',
      message:
        `${poolPath} signs users in through external identity providers, whose first sign-ins carry no code: ` +
        "inviteRequired with inviteMatch 'code' refuses every one of them with INVITE_REQUIRED. Invite them by " +
        `email (inviteMatch 'email' or 'code-or-email', with an inviteTable); ${PAGE}.`,
    });
  }
  const confirms = flag(settings.autoConfirm, 'AUTO_CONFIRM');
  const factors = view.firstFactors ?? [];
  const unproven = [
    factors.includes('EMAIL_OTP') && confirms && flag(settings.autoVerifyEmail, 'AUTO_VERIFY_EMAIL') ? 'email' : '',
    factors.includes('SMS_OTP') && confirms && flag(settings.autoVerifyPhone, 'AUTO_VERIFY_PHONE')
      ? 'phone number'
      : '',
  ].filter((attribute) => attribute !== '');
  if (view.selfSignUp !== false && unproven.length > 0) {
    const what = unproven.join(' and ');
    warnings.push({
      id: 'autoVerifyWithPasswordless',
      message:
        `${poolPath} lets users sign up without a password and sign in with a one-time code to their ${what}, ` +
        `and these settings confirm sign-ups and mark the ${what} verified without a code: whoever types ` +
        `someone else's ${what} gets an account where it is verified, and skips ConfirmSignUp, whose session ` +
        'would have signed a real user straight in. The function cannot tell a passwordless sign-up from ' +
        `another. Set autoConfirm: false, so that the code Cognito sends proves the ${what}; ${PAGE}.`,
    });
  }
  return warnings;
}

/**
 * Warns, at synth, about settings that cannot work with `pool`: a check that needs validationData
 * (CAPTCHA, an invitation code) on a pool whose app clients offer managed login or whose users
 * federate, and auto-verification on a pool with passwordless sign-in. Looked at once the app is
 * complete, so that app clients and domains added after the trigger count.
 */
export function warnWherePoolDoesNotFit(scope: IConstruct, pool: UserPool, settings: PreSignUpTriggerSettings): void {
  let done = false;
  Aspects.of(scope).add({
    visit(node) {
      if (node !== scope || done) return;
      done = true;
      for (const { id, message } of warningsFor(settings, pool, viewOf(pool))) {
        Annotations.of(scope).addWarningV2(`cognito-pre-signup-trigger:${id}`, message);
      }
    },
  });
}
