// The CDK construct, published as `<package>/cdk`. It deploys the prebuilt dist/pre-signup.zip,
// attaches it to a user pool, and grants only the permissions the settings need. Its settings are
// checked at synth time by the function's own reader, so a bad setting fails `cdk synth` with the
// message the function would log.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import { type IUserPool, UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { describeIssue } from '../config/env-reader.js';
import { loadConfig } from '../config/load-config.js';
import { DENY_MESSAGE_PREFIX, type ExistingAccountPolicy, type Setting } from '../config/settings.js';
import type { RefusalCode } from '../respond/refusals.js';

/**
 * Where the invitation secret comes from. An SSM parameter is read by the function at run time
 * (`INVITE_SECRET_PARAMETER`): nothing secret is in its configuration. A Secrets Manager secret is
 * resolved by CloudFormation at deploy time into `INVITE_SECRET`, where anyone who may read the
 * function's configuration can read it.
 */
export type InviteSecretSource = { readonly parameter: IParameter } | { readonly secretsManager: ISecret };

/** The function's settings, one prop for each, named as the setting in camelCase. See the README. */
export interface PreSignUpTriggerSettings {
  readonly autoConfirm?: boolean;
  readonly autoConfirmEmailDomains?: readonly string[];
  readonly autoVerifyEmail?: boolean;
  readonly autoVerifyPhone?: boolean;
  readonly allowedEmailDomains?: readonly string[];
  readonly blockedEmailDomains?: readonly string[];
  readonly allowedEmails?: readonly string[];
  readonly blockedEmails?: readonly string[];
  readonly emailSubaddresses?: 'allow' | 'block';
  /** E.164 prefixes, e.g. `['+1', '+44']`. */
  readonly allowedPhonePrefixes?: readonly string[];
  readonly blockedPhonePrefixes?: readonly string[];
  readonly minUsernameLength?: number;
  readonly existingAccountPolicy?: ExistingAccountPolicy;
  /** Identity provider names exactly as configured in the pool, e.g. `['Google', 'SignInWithApple']`. */
  readonly linkFederatedUsers?: readonly string[];
  readonly inviteRequired?: boolean;
  /** `INVITE_SECRET` or `INVITE_SECRET_PARAMETER`, depending on the source. */
  readonly inviteSecret?: InviteSecretSource;
  /** `INVITE_TABLE`: a table of this stack, or the name of one in the same account and region. */
  readonly inviteTable?: ITable | string;
  readonly blockDisposableEmails?: boolean;
  readonly failOpen?: boolean;
  readonly dryRun?: boolean;
  readonly metrics?: boolean;
  readonly metricsNamespace?: string;
  /**
   * `RULES_FILE`: a rules document inside the code (pass `code` built with `npm run build -- --rules`)
   * or an absolute path, e.g. in a layer. The document is read at run time, not at synth.
   */
  readonly rulesFile?: string;
  /** `RULES_PARAMETER`: an SSM parameter holding a rules document; the function may read it (and decrypt it). */
  readonly rulesParameter?: IParameter;
  readonly rulesRefreshSeconds?: number;
  /** `DENY_MESSAGE_<CODE>`: the text shown for a refusal code instead of the default. */
  readonly denyMessages?: Partial<Readonly<Record<RefusalCode, string>>>;
}

export interface PreSignUpTriggerProps extends PreSignUpTriggerSettings {
  /** The pool to attach to. It must be defined in this app (a `UserPool`): see the README for imported pools. */
  readonly userPool: IUserPool;
  /** Default: Node.js 22. */
  readonly runtime?: Runtime;
  /** Default: arm64. */
  readonly architecture?: Architecture;
  /** Default: 256 MB. */
  readonly memorySize?: number;
  /** The zip to deploy. Default: this package's prebuilt dist/pre-signup.zip. */
  readonly code?: Code;
}

/** The settings prop each environment variable comes from (the DENY_MESSAGE_ family aside). */
export const SETTING_PROPS = {
  AUTO_CONFIRM: 'autoConfirm',
  AUTO_CONFIRM_EMAIL_DOMAINS: 'autoConfirmEmailDomains',
  AUTO_VERIFY_EMAIL: 'autoVerifyEmail',
  AUTO_VERIFY_PHONE: 'autoVerifyPhone',
  ALLOWED_EMAIL_DOMAINS: 'allowedEmailDomains',
  BLOCKED_EMAIL_DOMAINS: 'blockedEmailDomains',
  ALLOWED_EMAILS: 'allowedEmails',
  BLOCKED_EMAILS: 'blockedEmails',
  EMAIL_SUBADDRESSES: 'emailSubaddresses',
  ALLOWED_PHONE_PREFIXES: 'allowedPhonePrefixes',
  BLOCKED_PHONE_PREFIXES: 'blockedPhonePrefixes',
  MIN_USERNAME_LENGTH: 'minUsernameLength',
  EXISTING_ACCOUNT_POLICY: 'existingAccountPolicy',
  LINK_FEDERATED_USERS: 'linkFederatedUsers',
  INVITE_REQUIRED: 'inviteRequired',
  INVITE_SECRET: 'inviteSecret',
  INVITE_SECRET_PARAMETER: 'inviteSecret',
  INVITE_TABLE: 'inviteTable',
  BLOCK_DISPOSABLE_EMAILS: 'blockDisposableEmails',
  FAIL_OPEN: 'failOpen',
  DRY_RUN: 'dryRun',
  METRICS: 'metrics',
  METRICS_NAMESPACE: 'metricsNamespace',
  RULES_FILE: 'rulesFile',
  RULES_PARAMETER: 'rulesParameter',
  RULES_REFRESH_SECONDS: 'rulesRefreshSeconds',
} as const satisfies Record<Setting, keyof PreSignUpTriggerSettings>;

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
    toCheck[name] = Token.isUnresolved(value) ? standIn : value;
  };
  const flag = (value: boolean | undefined) => (value === undefined ? undefined : String(value));
  const list = (value: readonly string[] | undefined) => value?.join(',');
  set('AUTO_CONFIRM', flag(settings.autoConfirm), 'true');
  set('AUTO_CONFIRM_EMAIL_DOMAINS', list(settings.autoConfirmEmailDomains), 'example.com');
  set('AUTO_VERIFY_EMAIL', flag(settings.autoVerifyEmail), 'true');
  set('AUTO_VERIFY_PHONE', flag(settings.autoVerifyPhone), 'true');
  set('ALLOWED_EMAIL_DOMAINS', list(settings.allowedEmailDomains), 'example.com');
  set('BLOCKED_EMAIL_DOMAINS', list(settings.blockedEmailDomains), 'example.com');
  set('ALLOWED_EMAILS', list(settings.allowedEmails), 'kim@example.com');
  set('BLOCKED_EMAILS', list(settings.blockedEmails), 'kim@example.com');
  set('EMAIL_SUBADDRESSES', settings.emailSubaddresses, 'allow');
  set('ALLOWED_PHONE_PREFIXES', list(settings.allowedPhonePrefixes), '+1');
  set('BLOCKED_PHONE_PREFIXES', list(settings.blockedPhonePrefixes), '+1');
  set('MIN_USERNAME_LENGTH', settings.minUsernameLength?.toString(), '0');
  set('EXISTING_ACCOUNT_POLICY', settings.existingAccountPolicy, 'ignore');
  set('LINK_FEDERATED_USERS', list(settings.linkFederatedUsers), 'Google');
  set('INVITE_REQUIRED', flag(settings.inviteRequired), 'true');
  const source = settings.inviteSecret;
  if (source !== undefined && 'parameter' in source) {
    set('INVITE_SECRET_PARAMETER', source.parameter.parameterName, '/stand-in');
  } else if (source !== undefined) {
    set('INVITE_SECRET', source.secretsManager.secretValue.unsafeUnwrap(), 'x'.repeat(32));
  }
  const table = settings.inviteTable;
  set('INVITE_TABLE', typeof table === 'string' || table === undefined ? table : table.tableName, 'stand-in');
  set('BLOCK_DISPOSABLE_EMAILS', flag(settings.blockDisposableEmails), 'false');
  set('FAIL_OPEN', flag(settings.failOpen), 'false');
  set('DRY_RUN', flag(settings.dryRun), 'false');
  set('METRICS', flag(settings.metrics), 'true');
  set('METRICS_NAMESPACE', settings.metricsNamespace, 'CognitoPreSignUp');
  set('RULES_FILE', settings.rulesFile, '');
  set('RULES_PARAMETER', settings.rulesParameter?.parameterName, '/stand-in');
  set('RULES_REFRESH_SECONDS', settings.rulesRefreshSeconds?.toString(), '300');
  for (const [code, text] of Object.entries(settings.denyMessages ?? {})) {
    set(`${DENY_MESSAGE_PREFIX}${code}`, text, 'Stand-in text');
  }
  return { environment, toCheck };
}

/** The prebuilt zip: next to this module's folder when installed, or the project's dist/ when run from source. */
function defaultZipPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '../pre-signup.zip'), path.join(here, '../../dist/pre-signup.zip')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`PreSignUpTrigger: the prebuilt zip was not found (looked for ${candidates.join(', ')})`);
  }
  return found;
}

/**
 * The pre sign-up trigger: a Lambda function running the prebuilt zip, attached to `userPool`, with
 * only the permissions its settings need.
 */
export class PreSignUpTrigger extends Construct {
  /** The function, e.g. to add alarms or a description. */
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: PreSignUpTriggerProps) {
    super(scope, id);
    const { environment, toCheck } = environmentOf(props);
    const { issues, warnings } = loadConfig(toCheck);
    if (issues.length > 0) {
      throw new Error(`PreSignUpTrigger ${this.node.path}: invalid settings:\n${issues.map(describeIssue).join('\n')}`);
    }
    for (const warning of warnings) console.warn(`PreSignUpTrigger ${this.node.path}: ${warning}`);
    const pool = props.userPool;
    if (!(pool instanceof UserPool)) {
      throw new Error(
        `PreSignUpTrigger ${this.node.path}: userPool must be a UserPool defined in this app. ` +
          'CloudFormation cannot add a trigger to a pool it does not manage: deploy the function with this ' +
          'construct and attach it with `npm run attach` (see the README).',
      );
    }

    this.function = new LambdaFunction(this, 'Function', {
      description: 'Cognito pre sign-up trigger',
      code: props.code ?? Code.fromAsset(defaultZipPath()),
      handler: 'index.handler',
      runtime: props.runtime ?? Runtime.NODEJS_22_X,
      architecture: props.architecture ?? Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      // Cognito waits 5 s for the trigger; the function plans its AWS calls inside its own timeout.
      timeout: Duration.seconds(4),
      loggingFormat: LoggingFormat.JSON,
      environment,
    });
    pool.addTrigger(UserPoolOperation.PRE_SIGN_UP, this.function);

    const statements = this.statementsFor(props, pool);
    if (statements.length > 0) {
      // A Policy of its own, not the role's default policy: the function must not depend on the
      // pool's ARN while the pool depends on the function's (a circular dependency).
      const policy = new Policy(this, 'LookupPolicy', { statements });
      this.function.role?.attachInlinePolicy(policy);
    }
  }

  private statementsFor(settings: PreSignUpTriggerSettings, pool: UserPool): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    const policy = settings.existingAccountPolicy ?? 'ignore';
    const links = (settings.linkFederatedUsers?.length ?? 0) > 0;
    if (policy !== 'ignore' || links) {
      const actions = ['cognito-idp:ListUsers', ...(links ? ['cognito-idp:AdminLinkProviderForUser'] : [])];
      statements.push(new PolicyStatement({ actions, resources: [pool.userPoolArn] }));
    }
    // A SecureString under a customer managed key needs Decrypt on that key, used through SSM only.
    const decryptThroughSsm = new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `ssm.${Stack.of(this).region}.amazonaws.com` } },
    });
    const parameters = [
      settings.rulesParameter,
      settings.inviteRequired === true && settings.inviteSecret !== undefined && 'parameter' in settings.inviteSecret
        ? settings.inviteSecret.parameter
        : undefined,
    ].filter((parameter) => parameter !== undefined);
    if (parameters.length > 0) {
      statements.push(
        new PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: parameters.map((parameter) => parameter.parameterArn),
        }),
        decryptThroughSsm,
      );
    }
    if (settings.inviteRequired !== true) return statements;
    const table = settings.inviteTable;
    if (table !== undefined) {
      const tableArn =
        typeof table === 'string'
          ? Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: table })
          : table.tableArn;
      statements.push(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [tableArn] }));
    }
    return statements;
  }
}
