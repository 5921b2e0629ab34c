import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type CfnElement, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool, type UserPoolProps } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AttributeType, type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, type MockInstance, vi } from 'vitest';
import {
  type CaptchaSecretSource,
  environmentOf,
  PreSignUpTrigger,
  type PreSignUpTriggerProps,
  type PreSignUpTriggerSettings,
  SETTING_PROPS,
} from '../../src/cdk/index.js';
import { describeIssue } from '../../src/model/config-issue.js';
import { LINKING_WHILE_VERIFYING, loadConfig } from '../../src/config/load-config.js';
import { type CaptchaProvider, type SettingName, SETTING_REGISTRY, SETTINGS } from '../../src/config/settings.js';
import type { FactName } from '../../src/model/facts.js';
import { LOOKUPS } from '../../src/look-up/lazy/lookups.js';
import { PROJECT_ROOT } from '../../paths.mjs';
import { sampleOf as sampleOfSetting } from '../helpers/setting-samples.js';

// Template.fromStack synthesises; an App's own synth at exit (autoSynth, on while CDK_OUTDIR is set) is not wanted.
const newApp = () => new App({ autoSynth: false });

function synth(props: Omit<PreSignUpTriggerProps, 'userPool'>, poolProps: UserPoolProps = {}) {
  const stack = new Stack(newApp(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const userPool = new UserPool(stack, 'Pool', poolProps);
  const trigger = new PreSignUpTrigger(stack, 'PreSignUp', { userPool, ...props });
  return { stack, trigger, template: Template.fromStack(stack) };
}

/** The function's environment variables, as the template has them (one function per template). */
function variablesOf(template: Template): Record<string, unknown> {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
    Properties: { Environment?: { Variables?: Record<string, unknown> } };
  }[];
  return fn?.Properties.Environment?.Variables ?? {};
}

const actionsOf = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (
      policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }
    ).Properties.PolicyDocument.Statement.flatMap((statement) => statement.Action),
  );

// Every `new App()` without an outdir makes a new cdk.out* folder in the system's temporary folder
// and leaves it there. They all go into one folder instead, removed when the file's tests are done.
const cdkOutdir = mkdtempSync(path.join(tmpdir(), 'pre-signup-cdk-test-'));
const cdkOutdirBefore = process.env.CDK_OUTDIR;
beforeAll(() => {
  process.env.CDK_OUTDIR = cdkOutdir;
});
afterAll(() => {
  if (cdkOutdirBefore === undefined) delete process.env.CDK_OUTDIR;
  else process.env.CDK_OUTDIR = cdkOutdirBefore;
  rmSync(cdkOutdir, { recursive: true, force: true });
});

describe('PreSignUpTrigger', () => {
  it('deploys the prebuilt zip on Node 22 and attaches it as the pool’s pre sign-up trigger', () => {
    const { template } = synth({ allowedEmailDomains: ['example.com', '*.example.com'], dryRun: true });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 4,
      LoggingConfig: { LogFormat: 'JSON' },
      Environment: { Variables: { ALLOWED_EMAIL_DOMAINS: 'example.com,*.example.com', DRY_RUN: 'true' } },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreSignUp: { 'Fn::GetAtt': [Match.stringLikeRegexp('PreSignUpFunction'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Pool'), 'Arn'] },
    });
  });

  it('grants nothing beyond logging when no setting looks anything up', () => {
    const { template } = synth({ blockDisposableEmails: true });
    expect(actionsOf(template)).toEqual([]);
  });

  it('grants ListUsers on the pool only for an existing-account policy, without a circular dependency', () => {
    const { template } = synth({ existingAccountPolicy: 'deny' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'cognito-idp:ListUsers',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Pool'), 'Arn'] },
          },
        ],
      },
    });
    expect(actionsOf(synth({ existingAccountPolicy: 'ignore' }).template)).toEqual([]);
  });

  it('would make a dependency cycle with the role’s default policy, which synth catches', () => {
    // CDK's own template check finds the cycle; by default it only prints it, as a warning block on
    // stderr. Here it is asked to fail synth instead, so that the cycle is an error and nothing is printed.
    const app = new App({ autoSynth: false, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Cycle');
    const userPool = new UserPool(stack, 'Pool');
    const trigger = new PreSignUpTrigger(stack, 'PreSignUp', { userPool });
    trigger.function.addToRolePolicy(
      new PolicyStatement({ actions: ['cognito-idp:ListUsers'], resources: [userPool.userPoolArn] }),
    );
    // Synth refuses a template with a dependency cycle, as CloudFormation would.
    expect(() => Template.fromStack(stack)).toThrow(/Circular dependency with \[Pool\w+ -> PreSignUpFunction/);
  });

  it('grants ListUsers and AdminLinkProviderForUser on the pool only for LINK_FEDERATED_USERS', () => {
    const { template } = synth({ linkFederatedUsers: ['Google'], autoVerifyEmail: false });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminLinkProviderForUser'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Pool'), 'Arn'] },
          },
        ],
      },
    });
    expect(() => synth({ linkFederatedUsers: ['Cognito'], autoVerifyEmail: false })).toThrow(
      'LINK_FEDERATED_USERS: expected identity provider names',
    );
  });

  it('grants GetItem and UpdateItem (for rows with maxUses) on the invitation table, given as a Table or by name', () => {
    const stack = new Stack(newApp(), 'Tables', { env: { account: '123456789012', region: 'eu-west-1' } });
    const table = new Table(stack, 'Invites', { partitionKey: { name: 'email', type: AttributeType.STRING } });
    const userPool = new UserPool(stack, 'Pool');
    // aws-cdk-lib's types do not allow for exactOptionalPropertyTypes, which this project turns on.
    new PreSignUpTrigger(stack, 'PreSignUp', { userPool, inviteRequired: true, inviteTable: table as ITable });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { INVITE_TABLE: { Ref: Match.stringLikeRegexp('Invites') } } },
    });
    expect(actionsOf(template)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);

    const byName = synth({ inviteRequired: true, inviteTable: 'invites' }).template;
    byName.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':dynamodb:eu-west-1:123456789012:table/invites'])],
            },
          },
        ],
      },
    });
  });

  it('reads the invitation secret from SSM at run time, with GetParameter and Decrypt through SSM only', () => {
    const stack = new Stack(newApp(), 'Ssm', { env: { account: '123456789012', region: 'eu-west-1' } });
    const parameter = StringParameter.fromSecureStringParameterAttributes(stack, 'Secret', {
      parameterName: '/pre-signup/invite-secret',
    });
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      inviteRequired: true,
      inviteSecret: { parameter },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { INVITE_SECRET_PARAMETER: '/pre-signup/invite-secret' } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 'ssm:GetParameter' },
          { Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } } },
        ],
      },
    });
  });

  it('reads a rules document from an SSM parameter, granting GetParameter on it only then', () => {
    const stack = new Stack(newApp(), 'Rules', { env: { account: '123456789012', region: 'eu-west-1' } });
    const rulesParameter = StringParameter.fromStringParameterName(stack, 'Rules', '/pre-signup/rules');
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      rulesParameter,
      rulesRefreshSeconds: 60,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { RULES_PARAMETER: '/pre-signup/rules', RULES_REFRESH_SECONDS: '60' } },
    });
    expect(actionsOf(template)).toEqual(['ssm:GetParameter', 'kms:Decrypt']);
  });

  it('resolves a Secrets Manager secret into INVITE_SECRET at deploy time (never at synth)', () => {
    const stack = new Stack(newApp(), 'Sm', { env: { account: '123456789012', region: 'eu-west-1' } });
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      inviteRequired: true,
      inviteSecret: { secretsManager: new Secret(stack, 'Invite') as ISecret },
    });
    const variables = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(JSON.stringify(variables.Properties.Environment.Variables.INVITE_SECRET)).toContain(
      '{{resolve:secretsmanager:',
    );
  });

  it('reads the CAPTCHA secret from SSM at run time, with GetParameter on that parameter only and Decrypt through SSM', () => {
    const stack = new Stack(newApp(), 'CaptchaSsm', { env: { account: '123456789012', region: 'eu-west-1' } });
    const parameter = StringParameter.fromSecureStringParameterAttributes(stack, 'CaptchaSecret', {
      parameterName: '/pre-signup/captcha-secret',
    });
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      captcha: 'turnstile',
      captchaSecret: { parameter },
    });
    const template = Template.fromStack(stack);
    const variables = variablesOf(template);
    expect(variables).toMatchObject({ CAPTCHA: 'turnstile', CAPTCHA_SECRET_PARAMETER: '/pre-signup/captcha-secret' });
    expect(variables).not.toHaveProperty('CAPTCHA_SECRET');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'ssm:GetParameter',
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':ssm:eu-west-1:123456789012:parameter/pre-signup/captcha-secret'])],
            },
          },
          { Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } } },
        ],
      },
    });
    expect(actionsOf(template)).toEqual(['ssm:GetParameter', 'kms:Decrypt']);
  });

  it('resolves a Secrets Manager CAPTCHA secret into CAPTCHA_SECRET at deploy time, granting nothing', () => {
    const stack = new Stack(newApp(), 'CaptchaSm', { env: { account: '123456789012', region: 'eu-west-1' } });
    const captchaSecret: CaptchaSecretSource = { secretsManager: new Secret(stack, 'Captcha') as ISecret };
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      captcha: 'hcaptcha',
      captchaSecret,
    });
    const template = Template.fromStack(stack);
    const variables = variablesOf(template);
    expect(JSON.stringify(variables.CAPTCHA_SECRET)).toContain('{{resolve:secretsmanager:');
    expect(variables).not.toHaveProperty('CAPTCHA_SECRET_PARAMETER');
    expect(actionsOf(template)).toEqual([]);
  });

  it('grants UpdateItem and GetItem on the rate-limit table only, given as a Table or by name', () => {
    const stack = new Stack(newApp(), 'Limits', { env: { account: '123456789012', region: 'eu-west-1' } });
    const table = new Table(stack, 'Counts', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      rateLimits: ['email-domain:20/h', 'pool:2000/d'],
      rateLimitTable: table as ITable,
    });
    const template = Template.fromStack(stack);
    expect(variablesOf(template)).toMatchObject({
      RATE_LIMITS: 'email-domain:20/h,pool:2000/d',
      RATE_LIMIT_TABLE: { Ref: expect.stringMatching(/^Counts/) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Counts'), 'Arn'] },
          },
        ],
      },
    });

    const byName = synth({ rateLimits: ['client:500/h'], rateLimitTable: 'sign-up-counts' }).template;
    byName.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':dynamodb:eu-west-1:123456789012:table/sign-up-counts'])],
            },
          },
        ],
      },
    });
    expect(actionsOf(byName)).toEqual(['dynamodb:UpdateItem', 'dynamodb:GetItem']);
  });

  it('makes the rate-limit table on request (pk, TTL expiresAt, on demand) and counts in it', () => {
    const { template, trigger } = synth({ rateLimits: ['phone-country:10/h'], createRateLimitTable: true });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      },
      DeletionPolicy: 'Delete',
    });
    expect(trigger.rateLimitTable).toBeDefined();
    expect(variablesOf(template)).toMatchObject({
      RATE_LIMITS: 'phone-country:10/h',
      RATE_LIMIT_TABLE: { Ref: expect.stringMatching(/RateLimits/) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('RateLimits'), 'Arn'] },
          },
        ],
      },
    });
    expect(synth({}).trigger.rateLimitTable).toBeUndefined();
    expect(() => synth({ rateLimits: ['pool:1/h'], createRateLimitTable: true, rateLimitTable: 'counts' })).toThrow(
      'give rateLimitTable or createRateLimitTable, not both',
    );
  });

  it('makes the waitlist table on request (pk, TTL expiresAt, kept with the stack), with UpdateItem on it only', () => {
    const { template, trigger } = synth({
      inviteRequired: true,
      inviteTable: 'invites',
      inviteMatch: 'email',
      createWaitlistTable: true,
      waitlistDays: 30,
    });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      },
      DeletionPolicy: 'Retain',
    });
    expect(trigger.waitlistTable).toBeDefined();
    expect(variablesOf(template)).toMatchObject({
      WAITLIST_TABLE: { Ref: expect.stringMatching(/Waitlist/) },
      WAITLIST_DAYS: '30',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'dynamodb:UpdateItem',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Waitlist'), 'Arn'] },
          },
        ]),
      },
    });
    expect(synth({}).trigger.waitlistTable).toBeUndefined();
    expect(() =>
      synth({ inviteRequired: true, inviteTable: 'invites', createWaitlistTable: true, waitlistTable: 'waitlist' }),
    ).toThrow('give waitlistTable or createWaitlistTable, not both');
  });

  it('grants the waitlist what its lookup declares, on a table brought by name, and refuses it without inviteRequired', () => {
    const settings = { inviteRequired: true, inviteTable: 'invites', waitlistTable: 'waitlist' } as const;
    const { config, issues } = loadConfig(environmentOf(settings).toCheck);
    expect(issues).toEqual([]);
    expect(LOOKUPS.waitlist.permissions(config)).toEqual(['dynamodb:UpdateItem']);
    const { template } = synth(settings);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'dynamodb:UpdateItem',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                Match.arrayWith([Match.stringLikeRegexp(':dynamodb:eu-west-1:123456789012:table/waitlist')]),
              ],
            },
          },
        ]),
      },
    });
    expect(() => synth({ waitlistTable: 'waitlist' })).toThrow(/WAITLIST_TABLE/);
  });

  it('grants what each lookup declares it needs, for the settings that name a parameter or a table', () => {
    const stack = new Stack(newApp(), 'Declared', { env: { account: '123456789012', region: 'eu-west-1' } });
    const cases: [FactName, PreSignUpTriggerSettings][] = [
      [
        'captcha',
        {
          captcha: 'recaptcha',
          captchaSecret: {
            parameter: StringParameter.fromSecureStringParameterAttributes(stack, 'Secret', { parameterName: '/c' }),
          },
        },
      ],
      ['rateLimit', { rateLimits: ['pool:10/h'], rateLimitTable: 'counts' }],
      ['invitation', { inviteRequired: true, inviteTable: 'invites', inviteMatch: 'code-or-email' }],
    ];
    for (const [fact, settings] of cases) {
      const { config, issues } = loadConfig(environmentOf(settings).toCheck);
      expect(issues).toEqual([]);
      const declared = LOOKUPS[fact].permissions(config);
      expect(declared.length).toBeGreaterThan(0);
      expect(new Set(actionsOf(synth(settings).template))).toEqual(new Set(declared));
    }
  });

  it('passes a CAPTCHA_MIN_SCORE that CloudFormation resolves at deploy time, checking a stand-in at synth', () => {
    const stack = new Stack(newApp(), 'Score', { env: { account: '123456789012', region: 'eu-west-1' } });
    const minScore = new CfnParameter(stack, 'MinScore', { type: 'Number', default: 0.5 });
    new PreSignUpTrigger(stack, 'PreSignUp', {
      userPool: new UserPool(stack, 'Pool'),
      captcha: 'recaptcha',
      captchaSecret: { secretsManager: new Secret(stack, 'Captcha') as ISecret },
      captchaMinScore: minScore.valueAsNumber,
    });
    expect(variablesOf(Template.fromStack(stack)).CAPTCHA_MIN_SCORE).toEqual({ Ref: 'MinScore' });
  });

  it('fails synth for CAPTCHA and velocity settings the function would refuse, with its messages', () => {
    expect(() => synth({ captcha: 'turnstile' })).toThrow(
      'CAPTCHA: expected exactly one of CAPTCHA_SECRET or CAPTCHA_SECRET_PARAMETER (an SSM SecureString) to be set as well',
    );
    expect(() =>
      synth({
        captcha: 'recaptcha',
        captchaSecret: { secretsManager: new Secret(new Stack(newApp(), 'S'), 'C') as ISecret },
        captchaMinScore: 1.5,
        captchaVerifyUrl: 'http://captcha.example.com/siteverify',
      }),
    ).toThrow(/CAPTCHA_MIN_SCORE: .*\nCAPTCHA_VERIFY_URL: expected an https URL/);
    expect(() => synth({ rateLimits: ['pool:10/h'] })).toThrow('RATE_LIMIT_TABLE to be set as well');
    expect(() => synth({ rateLimits: ['ip:10/h'], rateLimitTable: 'counts' })).toThrow(/RATE_LIMITS: .*"ip:10\/h"/);
  });

  it('fails synth with the function’s own message for a bad setting, naming every problem', () => {
    expect(() =>
      synth({
        allowedEmailDomains: ['example..com'],
        minUsernameLength: -1,
        denyMessages: { ACCOUNT_EXISTS: 'Already registered.' },
      }),
    ).toThrow(
      /invalid settings:\nALLOWED_EMAIL_DOMAINS: expected .*\nMIN_USERNAME_LENGTH: expected a whole number .*\nDENY_MESSAGE_ACCOUNT_EXISTS: /,
    );
    expect(() => synth({ inviteRequired: true })).toThrow(
      'INVITE_REQUIRED: expected one of INVITE_SECRET, INVITE_SECRET_PARAMETER, INVITE_TABLE to be set as well',
    );
  });

  it('fails synth for linking while native emails are verified without a code, as the function refuses it', () => {
    const linkingIssue = describeIssue({
      variable: 'LINK_FEDERATED_USERS',
      kind: 'combination',
      ...LINKING_WHILE_VERIFYING,
    });
    // autoVerifyEmail unset is true (AUTO_VERIFY_EMAIL's default), as is autoConfirm.
    expect(() => synth({ linkFederatedUsers: ['Google'] })).toThrow(`invalid settings:\n${linkingIssue}`);
    expect(() => synth({ linkFederatedUsers: ['Google'], autoVerifyEmail: true })).toThrow(linkingIssue);
    const { template } = synth({ linkFederatedUsers: ['Google'], autoVerifyEmail: false });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LINK_FEDERATED_USERS: 'Google', AUTO_VERIFY_EMAIL: 'false' } },
    });
  });

  it('refuses an imported pool, which CloudFormation cannot attach a trigger to, and says what to do', () => {
    const stack = new Stack(newApp(), 'Imported');
    const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    expect(() => new PreSignUpTrigger(stack, 'PreSignUp', { userPool })).toThrow(
      'attach it in the console, or with `npm run attach` from a clone of this repository (see docs/deploy.md)',
    );
  });
});

describe('PreSignUpTrigger’s existingAccountPolicy, chosen from the pool', () => {
  let warnSpy: MockInstance<typeof console.warn>;
  const notes = () => warnSpy.mock.calls.map(([line]) => String(line)).filter((line) => line.includes(': note: '));
  beforeAll(() => {
    warnSpy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warnSpy.mockClear());
  afterAll(() => warnSpy.mockRestore());

  const policyOf = (template: Template): unknown => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }[];
    return fn?.Properties.Environment?.Variables?.EXISTING_ACCOUNT_POLICY;
  };
  const onThePool = (...actions: string[]) => ({
    PolicyDocument: {
      Statement: [
        {
          Action: actions.length === 1 ? actions[0] : actions,
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Pool'), 'Arn'] },
        },
      ],
    },
  });

  it('becomes no-verify, with AdminGetUser (and ListUsers) on the pool and a note, for a pool with an email alias', () => {
    const { template } = synth({}, { signInAliases: { username: true, email: true } });
    expect(policyOf(template)).toBe('no-verify');
    expect(variablesOf(template).SIGN_IN_ALIASES).toBe('email');
    template.hasResourceProperties('AWS::IAM::Policy', onThePool('cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'));
    expect(notes()).toEqual([
      expect.stringMatching(
        /^PreSignUpTrigger Test\/PreSignUp: note: existingAccountPolicy is not set, and Test\/Pool has email as a sign-in alias while the settings auto-verify it: using 'no-verify'.*AdminGetUser.*active for billing/,
      ),
    ]);
  });

  it('becomes no-verify for a pool with a phone alias, naming the phone number', () => {
    const { template } = synth({}, { signInAliases: { username: true, phone: true } });
    expect(policyOf(template)).toBe('no-verify');
    template.hasResourceProperties('AWS::IAM::Policy', onThePool('cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'));
    expect(notes()).toEqual([expect.stringContaining('has phone number as a sign-in alias')]);
    warnSpy.mockClear();

    // With both as aliases, the note names what is verified: here the phone number only.
    const both = synth({ autoVerifyEmail: false }, { signInAliases: { username: true, email: true, phone: true } });
    expect(policyOf(both.template)).toBe('no-verify');
    expect(variablesOf(both.template).SIGN_IN_ALIASES).toBe('email,phone_number');
    both.template.hasResourceProperties(
      'AWS::IAM::Policy',
      onThePool('cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'),
    );
    expect(notes()).toEqual([expect.stringContaining('Test/Pool has phone number as a sign-in alias')]);
  });

  it('takes signInAliases from the pool, and fails synth on one that names an alias the pool lacks', () => {
    const aliases: UserPoolProps = { signInAliases: { username: true, email: true, preferredUsername: true } };
    expect(variablesOf(synth({}, aliases).template).SIGN_IN_ALIASES).toBe('email,preferred_username');
    expect(variablesOf(synth({ signInAliases: ['email'] }, aliases).template).SIGN_IN_ALIASES).toBe('email');
    expect(() => synth({ signInAliases: ['email', 'phone_number'] }, aliases)).toThrow(
      'signInAliases must name the sign-in aliases Test/Pool has (email, preferred_username)',
    );
    expect(() => synth({ signInAliases: [] }, aliases)).toThrow(/signInAliases must name/);
    // No alias in the pool: nothing to say, no variable.
    expect(variablesOf(synth({}).template)).not.toHaveProperty('SIGN_IN_ALIASES');
  });

  it('stays unset for an alias the settings do not verify without a code', () => {
    for (const settings of [{ autoVerifyEmail: false }, { autoConfirm: false }]) {
      const { template } = synth(settings, { signInAliases: { username: true, email: true } });
      expect(policyOf(template)).toBeUndefined();
      expect(actionsOf(template)).toEqual([]);
    }
    expect(notes()).toEqual([]);
  });

  it('is ignore, with no lookup, for a pool whose users sign in with the email as user name', () => {
    const { template } = synth({}, { signInAliases: { email: true } });
    template.hasResourceProperties('AWS::Cognito::UserPool', { UsernameAttributes: ['email'] });
    expect(policyOf(template)).toBe('ignore');
    expect(actionsOf(template)).toEqual([]);
    expect(notes()).toEqual([]);
  });

  it('is ignore, with no lookup, for a pool with user names only (CDK’s default)', () => {
    const { template } = synth({});
    expect(policyOf(template)).toBe('ignore');
    expect(actionsOf(template)).toEqual([]);
  });

  it('keeps an explicit value, with no note: ignore stays ignore in a pool with an email alias', () => {
    const aliases: UserPoolProps = { signInAliases: { username: true, email: true, phone: true } };
    const ignored = synth({ existingAccountPolicy: 'ignore' }, aliases).template;
    expect(policyOf(ignored)).toBe('ignore');
    expect(actionsOf(ignored)).toEqual([]);
    const denied = synth({ existingAccountPolicy: 'deny' }, aliases).template;
    expect(policyOf(denied)).toBe('deny');
    expect(actionsOf(denied)).toEqual(['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers']);
    expect(notes()).toEqual([]);
  });

  it('refuses an imported pool, whose aliases it cannot see, before choosing anything', () => {
    const stack = new Stack(newApp(), 'Imported');
    const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    expect(() => new PreSignUpTrigger(stack, 'PreSignUp', { userPool })).toThrow(
      /must be a UserPool defined in this app/,
    );
    expect(notes()).toEqual([]);
  });
});

// Each setting's prop is its name in camelCase, computed here independently of the construct.
const camelCase = (name: string) =>
  name
    .toLowerCase()
    .split('_')
    .map((word, index) => (index === 0 ? word : `${word.charAt(0).toUpperCase()}${word.slice(1)}`))
    .join('');

/** A valid value for one setting, the text its variable must then hold, and props it needs beside it. */
interface Sample {
  readonly props: (stack: Stack) => PreSignUpTriggerSettings;
  readonly text: string | RegExp;
}

// The values are the settings' samples (test/helpers/setting-samples.ts), given as props here. A
// setting whose prop is not its plain value is given the way the construct takes it: INVITE_SECRET
// and CAPTCHA_SECRET only as a Secrets Manager secret (`{ secretsManager }`), never as text in the
// app's code, so their variable holds CloudFormation's dynamic reference; their _PARAMETER
// companions and RULES_PARAMETER as SSM parameters named by the sample.
const PROPS_NOT_PLAIN: {
  readonly [Name in SettingName]?: (stack: Stack, text: string) => PreSignUpTriggerSettings;
} = {
  INVITE_SECRET: (stack) => ({ inviteSecret: { secretsManager: new Secret(stack, 'Invite') as ISecret } }),
  INVITE_SECRET_PARAMETER: (stack, parameterName) => ({
    inviteSecret: {
      parameter: StringParameter.fromSecureStringParameterAttributes(stack, 'Invite', { parameterName }),
    },
  }),
  CAPTCHA_SECRET: (stack) => ({ captchaSecret: { secretsManager: new Secret(stack, 'Captcha') as ISecret } }),
  CAPTCHA_SECRET_PARAMETER: (stack, parameterName) => ({
    captchaSecret: {
      parameter: StringParameter.fromSecureStringParameterAttributes(stack, 'CaptchaSecret', { parameterName }),
    },
  }),
  RULES_PARAMETER: (stack, parameterName) => ({
    rulesParameter: StringParameter.fromStringParameterName(stack, 'Rules', parameterName),
  }),
};
const SECRETS_MANAGER_REFERENCES: { readonly [Name in SettingName]?: RegExp } = {
  INVITE_SECRET: /^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"Invite/,
  CAPTCHA_SECRET: /^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"Captcha/,
};

/** A setting's value, given as text, as the construct's prop: a list as an array, a number, a boolean. */
function propsOf(name: SettingName, text: string, stack: Stack): PreSignUpTriggerSettings {
  const notPlain = PROPS_NOT_PLAIN[name];
  if (notPlain !== undefined) return notPlain(stack, text);
  const { kind } = SETTING_REGISTRY[name];
  const value =
    kind === 'boolean' ? text === 'true' : kind === 'list' ? text.split(',') : kind === 'text' ? text : Number(text);
  return { [camelCase(name)]: value };
}

function sampleOf(name: SettingName): Sample {
  // The construct checks SIGN_IN_ALIASES against the pool, which here has no email or phone alias
  // (CDK's default): preferred_username agrees with it, the sample's email and phone would not.
  const { value, with: beside = {} } =
    name === 'SIGN_IN_ALIASES' ? { value: 'preferred_username' } : sampleOfSetting(name);
  return {
    props: (stack) =>
      Object.assign(
        {},
        ...Object.entries(beside).map(([other, text]) => propsOf(other as SettingName, text, stack)),
        propsOf(name, value, stack),
      ) as PreSignUpTriggerSettings,
    text: SECRETS_MANAGER_REFERENCES[name] ?? value,
  };
}

/**
 * Synthesises one stack with a trigger (and its own pool) for each setting, given only that
 * setting's sample, and returns each function's environment variables as the template has them.
 */
function environmentsThroughTheConstruct(): Map<SettingName, Record<string, unknown>> {
  const app = newApp();
  const functions = SETTINGS.map((name) => {
    const scope = new Stack(app, name.replaceAll('_', '-'), { env: { account: '123456789012', region: 'eu-west-1' } });
    const trigger = new PreSignUpTrigger(scope, 'PreSignUp', {
      userPool: new UserPool(scope, 'Pool'),
      ...sampleOf(name).props(scope),
    });
    return [name, scope, scope.getLogicalId(trigger.function.node.defaultChild as CfnElement)] as const;
  });
  return new Map(
    functions.map(([name, scope, logicalId]) => {
      const resources = Template.fromStack(scope).toJSON() as {
        Resources: Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
      };
      return [name, resources.Resources[logicalId]?.Properties.Environment.Variables ?? {}];
    }),
  );
}

/** The settings whose variable is missing, or holds other text than its sample's. */
function settingsNotReaching(environments: ReadonlyMap<SettingName, Record<string, unknown>>): string[] {
  return SETTINGS.filter((name) => {
    const value = environments.get(name)?.[name];
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const { text: expected } = sampleOf(name);
    return value === undefined || (typeof expected === 'string' ? text !== expected : !expected.test(text));
  }).map((name) => `${name} (${SETTING_PROPS[name]})`);
}

describe('PreSignUpTrigger’s settings props, derived from the settings registry', () => {
  let warnSpy: MockInstance<typeof console.warn>;
  beforeAll(() => {
    // "INVITE_TABLE has no effect while INVITE_REQUIRED is not true" and the like: expected here.
    warnSpy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => warnSpy.mockRestore());

  it('names each prop as its setting in camelCase, the public names unchanged', () => {
    for (const name of SETTINGS) {
      const shared = { INVITE_SECRET_PARAMETER: 'inviteSecret', CAPTCHA_SECRET_PARAMETER: 'captchaSecret' } as const;
      expect(SETTING_PROPS[name]).toBe(
        Object.hasOwn(shared, name) ? shared[name as keyof typeof shared] : camelCase(name),
      );
    }
    // The props are a public interface: a registry change that renames or drops one fails tsc here
    // (a new setting adds a prop, which breaks no one).
    expectTypeOf<
      | 'autoConfirm'
      | 'autoConfirmEmailDomains'
      | 'autoVerifyEmail'
      | 'autoVerifyPhone'
      | 'allowedEmailDomains'
      | 'blockedEmailDomains'
      | 'allowedEmails'
      | 'blockedEmails'
      | 'emailSubaddresses'
      | 'allowedPhonePrefixes'
      | 'blockedPhonePrefixes'
      | 'minUsernameLength'
      | 'existingAccountPolicy'
      | 'linkFederatedUsers'
      | 'inviteRequired'
      | 'inviteSecret'
      | 'inviteTable'
      | 'inviteMatch'
      | 'blockDisposableEmails'
      | 'captcha'
      | 'captchaSecret'
      | 'captchaMinScore'
      | 'captchaHostnames'
      | 'captchaAction'
      | 'captchaVerifyUrl'
      | 'rateLimitTable'
      | 'rateLimits'
      | 'failOpen'
      | 'dryRun'
      | 'metrics'
      | 'metricsNamespace'
      | 'rulesFile'
      | 'rulesParameter'
      | 'rulesRefreshSeconds'
      | 'denyMessages'
    >().toExtend<keyof PreSignUpTriggerSettings>();
    expectTypeOf<PreSignUpTriggerSettings['blockedEmails']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['dryRun']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['minUsernameLength']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['metricsNamespace']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['inviteTable']>().toEqualTypeOf<ITable | string | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['rateLimitTable']>().toEqualTypeOf<ITable | string | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['captchaSecret']>().toEqualTypeOf<CaptchaSecretSource | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['captcha']>().toEqualTypeOf<CaptchaProvider | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['captchaMinScore']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['rateLimits']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<PreSignUpTriggerSettings['inviteMatch']>().toEqualTypeOf<
      'code' | 'email' | 'code-or-email' | undefined
    >();
  });

  it('passes every setting in the registry to its variable, with the right text, through the construct', () => {
    const environments = environmentsThroughTheConstruct();
    expect(settingsNotReaching(environments)).toEqual([]);
    expect(environments.get('BLOCKED_EMAILS')).toMatchObject({ BLOCKED_EMAILS: 'spam@example.com,junk@example.org' });

    // A setting the construct failed to pass (as when BLOCKED_EMAILS' line was deleted from the
    // hand-written mapping) is caught, named with its prop.
    const withoutBlockedEmails = new Map(
      [...environments].map(([name, variables]) => {
        const { BLOCKED_EMAILS: _dropped, ...rest } = variables;
        return [name, rest] as const;
      }),
    );
    expect(settingsNotReaching(withoutBlockedEmails)).toEqual(['BLOCKED_EMAILS (blockedEmails)']);
  });

  it('passes each refusal code’s text to its DENY_MESSAGE_ variable', () => {
    const { template } = synth({
      denyMessages: { INVITE_REQUIRED: 'Ask us for a code', ACCOUNT_EXISTS: 'Sign in instead' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          DENY_MESSAGE_INVITE_REQUIRED: 'Ask us for a code',
          DENY_MESSAGE_ACCOUNT_EXISTS: 'Sign in instead',
        },
      },
    });
  });
});

describe('the published ./cdk export', () => {
  it('loads with require() from a CommonJS app, and checks the settings there too', () => {
    const script = [
      "const { App, Stack } = require('aws-cdk-lib');",
      "const { UserPool } = require('aws-cdk-lib/aws-cognito');",
      "const { PreSignUpTrigger } = require('cognito-pre-signup-trigger/cdk');",
      "const stack = new Stack(new App(), 'S');",
      "new PreSignUpTrigger(stack, 'T', { userPool: new UserPool(stack, 'P'), blockedEmailDomains: ['bad domain'] });",
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PreSignUpTrigger S/T: invalid settings:\nBLOCKED_EMAIL_DOMAINS: expected');
  });
});
