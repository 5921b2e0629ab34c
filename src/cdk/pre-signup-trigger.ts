// The CDK construct, published as `<package>/cdk`. It deploys the prebuilt dist/pre-signup.zip,
// attaches it to a user pool, and grants only the permissions the settings need. Its settings are
// checked at synth time by the function's own reader, so a bad setting fails `cdk synth` with the
// message the function would log.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type IUserPool, UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { describeIssue } from '../model/config-issue.js';
import { loadConfig } from '../config/load-config.js';
import { SETTING_DEFAULTS } from '../config/settings.js';
import { addDashboard } from './dashboard.js';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { chooseExistingAccountPolicy, signInAliasesFor } from './existing-account-choice.js';
import { warnWherePoolDoesNotFit } from './pool-fit.js';
import { environmentOf, type PreSignUpTriggerSettings } from './settings-props.js';

export interface PreSignUpTriggerProps extends PreSignUpTriggerSettings {
  /**
   * The pool to attach to. It must be defined in this app (a `UserPool`): an imported pool is
   * refused (see docs/deploy.md). Its sign-in aliases choose `existingAccountPolicy` when that is unset.
   */
  readonly userPool: IUserPool;
  /** Default: Node.js 22. */
  readonly runtime?: Runtime;
  /** Default: arm64. */
  readonly architecture?: Architecture;
  /** Default: 256 MB. */
  readonly memorySize?: number;
  /** The zip to deploy. Default: this package's prebuilt dist/pre-signup.zip. */
  readonly code?: Code;
  /**
   * Make the table `rateLimits` counts in (`RATE_LIMIT_TABLE`): string partition key `pk`, TTL
   * attribute `expiresAt`, on-demand, removed with the stack (it holds only counts that expire).
   * Not with `rateLimitTable`. Default: false.
   */
  readonly createRateLimitTable?: boolean;
  /**
   * Make the table the waitlist records in (`WAITLIST_TABLE`): string partition key `pk`, TTL
   * attribute `expiresAt`, on-demand, kept when the stack is deleted (it holds the people waiting).
   * Not with `waitlistTable`. Default: false.
   */
  readonly createWaitlistTable?: boolean;
  /**
   * Make a CloudWatch dashboard of the function (sign-ups by outcome, refusals and would-refuse by
   * code, lookup failures, duration, errors, throttles) and Logs Insights saved queries. Its
   * metrics need `metrics` (the default). Default: true.
   */
  readonly dashboard?: boolean;
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
  /** The table made by `createRateLimitTable`, e.g. to add alarms; undefined otherwise. */
  readonly rateLimitTable: ITable | undefined;
  /** The table made by `createWaitlistTable`, e.g. for `npm run invite -- --from-waitlist`; undefined otherwise. */
  readonly waitlistTable: ITable | undefined;
  /** The dashboard, e.g. to add widgets; undefined with `dashboard: false`. */
  readonly dashboard: Dashboard | undefined;

  constructor(scope: Construct, id: string, props: PreSignUpTriggerProps) {
    super(scope, id);
    const pool = props.userPool;
    if (!(pool instanceof UserPool)) {
      throw new Error(
        `PreSignUpTrigger ${this.node.path}: userPool must be a UserPool defined in this app. ` +
          'CloudFormation cannot add a trigger to a pool it does not manage: deploy the function with this ' +
          'construct, then attach it in the console, or with `npm run attach` from a clone of this repository ' +
          '(see docs/deploy.md).',
      );
    }
    if (props.createRateLimitTable === true && props.rateLimitTable !== undefined) {
      throw new Error(
        `PreSignUpTrigger ${this.node.path}: give rateLimitTable or createRateLimitTable, not both: ` +
          'createRateLimitTable makes the table rateLimitTable would name.',
      );
    }
    if (props.createWaitlistTable === true && props.waitlistTable !== undefined) {
      throw new Error(
        `PreSignUpTrigger ${this.node.path}: give waitlistTable or createWaitlistTable, not both: ` +
          'createWaitlistTable makes the table waitlistTable would name.',
      );
    }
    this.rateLimitTable = props.createRateLimitTable === true ? this.makeRateLimitTable() : undefined;
    this.waitlistTable = props.createWaitlistTable === true ? this.makeWaitlistTable() : undefined;
    const choice = chooseExistingAccountPolicy(props, pool);
    const signInAliases = signInAliasesFor(props, pool);
    const settings: PreSignUpTriggerSettings = {
      ...props,
      ...(choice.policy === undefined ? {} : { existingAccountPolicy: choice.policy }),
      ...(signInAliases === undefined ? {} : { signInAliases }),
      ...(this.rateLimitTable === undefined ? {} : { rateLimitTable: this.rateLimitTable }),
      ...(this.waitlistTable === undefined ? {} : { waitlistTable: this.waitlistTable }),
    };
    const { environment, toCheck } = environmentOf(settings);
    const { issues, warnings } = loadConfig(toCheck);
    if (issues.length > 0) {
      throw new Error(`PreSignUpTrigger ${this.node.path}: invalid settings:\n${issues.map(describeIssue).join('\n')}`);
    }
    for (const warning of warnings) console.warn(`PreSignUpTrigger ${this.node.path}: ${warning}`);
    if (choice.note !== undefined) console.warn(`PreSignUpTrigger ${this.node.path}: note: ${choice.note}`);
    warnWherePoolDoesNotFit(this, pool, settings);

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
    this.dashboard =
      props.dashboard === false
        ? undefined
        : addDashboard(this, this.function, settings.metricsNamespace ?? SETTING_DEFAULTS.METRICS_NAMESPACE);

    const statements = this.statementsFor(settings, pool);
    if (statements.length > 0) {
      // A Policy of its own, not the role's default policy: the function must not depend on the
      // pool's ARN while the pool depends on the function's (a circular dependency).
      const policy = new Policy(this, 'LookupPolicy', { statements });
      this.function.role?.attachInlinePolicy(policy);
    }
  }

  private makeRateLimitTable(): ITable {
    // aws-cdk-lib's types do not allow for exactOptionalPropertyTypes (Table's tableStreamArn).
    return new Table(this, 'RateLimits', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      billingMode: BillingMode.PAY_PER_REQUEST,
      // Only counts of windows that expire (30 days at most): nothing worth keeping after the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    }) as ITable;
  }

  private makeWaitlistTable(): ITable {
    return new Table(this, 'Waitlist', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The people waiting for an invitation: not lost with a stack deleted by mistake.
      removalPolicy: RemovalPolicy.RETAIN,
    }) as ITable;
  }

  /** The ARN of a table given as a table of this app, or by name in the stack's account and region. */
  private tableArnOf(table: ITable | string): string {
    return typeof table === 'string'
      ? Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: table })
      : table.tableArn;
  }

  private statementsFor(settings: PreSignUpTriggerSettings, pool: UserPool): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    const policy = settings.existingAccountPolicy ?? 'ignore';
    const links = (settings.linkFederatedUsers?.length ?? 0) > 0;
    // The guard asks AdminGetUser for an address that is a sign-in alias, ListUsers for any other
    // (and for an alias when AdminGetUser finds a user by another name).
    const aliases = settings.signInAliases ?? [];
    const byAlias = aliases.includes('email') || aliases.includes('phone_number');
    const guardActions =
      policy === 'ignore' ? [] : [...(byAlias ? ['cognito-idp:AdminGetUser'] : []), 'cognito-idp:ListUsers'];
    const actions = [
      ...new Set([
        ...guardActions,
        ...(links ? ['cognito-idp:ListUsers', 'cognito-idp:AdminLinkProviderForUser'] : []),
      ]),
    ];
    if (actions.length > 0) statements.push(new PolicyStatement({ actions, resources: [pool.userPoolArn] }));
    // A SecureString under a customer managed key needs Decrypt on that key, used through SSM only.
    const decryptThroughSsm = new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `ssm.${Stack.of(this).region}.amazonaws.com` } },
    });
    // The CAPTCHA secret's parameter is read whenever its variable is set: a rules document may turn
    // CAPTCHA on at run time.
    const parameters = [
      settings.rulesParameter,
      settings.inviteRequired === true && settings.inviteSecret !== undefined && 'parameter' in settings.inviteSecret
        ? settings.inviteSecret.parameter
        : undefined,
      settings.captchaSecret !== undefined && 'parameter' in settings.captchaSecret
        ? settings.captchaSecret.parameter
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
    // Counted whenever the table is named: a rules document may set RATE_LIMITS at run time.
    if (settings.rateLimitTable !== undefined) {
      statements.push(
        new PolicyStatement({
          actions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
          resources: [this.tableArnOf(settings.rateLimitTable)],
        }),
      );
    }
    if (settings.inviteRequired === true && settings.inviteTable !== undefined) {
      // UpdateItem records the uses of a row with maxUses.
      statements.push(
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: [this.tableArnOf(settings.inviteTable)],
        }),
      );
    }
    if (settings.inviteRequired === true && settings.waitlistTable !== undefined) {
      // One UpdateItem per uninvited sign-up; nothing is read.
      statements.push(
        new PolicyStatement({
          actions: ['dynamodb:UpdateItem'],
          resources: [this.tableArnOf(settings.waitlistTable)],
        }),
      );
    }
    return statements;
  }
}
