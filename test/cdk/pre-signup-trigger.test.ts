import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AttributeType, type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentOf, PreSignUpTrigger, type PreSignUpTriggerProps, SETTING_PROPS } from '../../src/cdk/index.js';
import { SETTINGS } from '../../src/config/settings.js';
import { PROJECT_ROOT } from '../../paths.mjs';
import { nodeBinaryFor } from '../../tools/local/lambda-runtimes.js';

function synth(props: Omit<PreSignUpTriggerProps, 'userPool'>) {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const userPool = new UserPool(stack, 'Pool');
  const trigger = new PreSignUpTrigger(stack, 'PreSignUp', { userPool, ...props });
  return { stack, trigger, template: Template.fromStack(stack) };
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
    const stack = new Stack(new App(), 'Cycle');
    const userPool = new UserPool(stack, 'Pool');
    const trigger = new PreSignUpTrigger(stack, 'PreSignUp', { userPool });
    trigger.function.addToRolePolicy(
      new PolicyStatement({ actions: ['cognito-idp:ListUsers'], resources: [userPool.userPoolArn] }),
    );
    // Template.fromStack refuses a template with a dependency cycle, as CloudFormation would.
    expect(() => Template.fromStack(stack)).toThrow(/dependency cycle/);
  });

  it('grants ListUsers and AdminLinkProviderForUser on the pool only for LINK_FEDERATED_USERS', () => {
    const { template } = synth({ linkFederatedUsers: ['Google'] });
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
    expect(() => synth({ linkFederatedUsers: ['Cognito'] })).toThrow(
      'LINK_FEDERATED_USERS: expected identity provider names',
    );
  });

  it('grants GetItem on the invitation table, given as a Table or by name', () => {
    const stack = new Stack(new App(), 'Tables', { env: { account: '123456789012', region: 'eu-west-1' } });
    const table = new Table(stack, 'Invites', { partitionKey: { name: 'email', type: AttributeType.STRING } });
    const userPool = new UserPool(stack, 'Pool');
    // aws-cdk-lib's types do not allow for exactOptionalPropertyTypes, which this project turns on.
    new PreSignUpTrigger(stack, 'PreSignUp', { userPool, inviteRequired: true, inviteTable: table as ITable });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { INVITE_TABLE: { Ref: Match.stringLikeRegexp('Invites') } } },
    });
    expect(actionsOf(template)).toEqual(['dynamodb:GetItem']);

    const byName = synth({ inviteRequired: true, inviteTable: 'invites' }).template;
    byName.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'dynamodb:GetItem',
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':dynamodb:eu-west-1:123456789012:table/invites'])],
            },
          },
        ],
      },
    });
  });

  it('reads the invitation secret from SSM at run time, with GetParameter and Decrypt through SSM only', () => {
    const stack = new Stack(new App(), 'Ssm', { env: { account: '123456789012', region: 'eu-west-1' } });
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
    const stack = new Stack(new App(), 'Rules', { env: { account: '123456789012', region: 'eu-west-1' } });
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
    const stack = new Stack(new App(), 'Sm', { env: { account: '123456789012', region: 'eu-west-1' } });
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

  it('refuses an imported pool, which CloudFormation cannot attach a trigger to, and says what to do', () => {
    const stack = new Stack(new App(), 'Imported');
    const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    expect(() => new PreSignUpTrigger(stack, 'PreSignUp', { userPool })).toThrow(/npm run attach/);
  });

  it('has one prop for every setting, and passes each to its variable', () => {
    expect(Object.keys(SETTING_PROPS).sort()).toEqual([...SETTINGS].sort());
    const { environment } = environmentOf({
      autoConfirm: false,
      autoConfirmEmailDomains: ['a.example'],
      autoVerifyEmail: false,
      autoVerifyPhone: false,
      allowedEmailDomains: ['a.example'],
      blockedEmailDomains: ['b.example'],
      minUsernameLength: 3,
      existingAccountPolicy: 'no-verify',
      linkFederatedUsers: ['Google', 'SignInWithApple'],
      inviteRequired: true,
      inviteTable: 'invites',
      blockDisposableEmails: true,
      failOpen: true,
      dryRun: true,
      metrics: false,
      metricsNamespace: 'Mine',
      denyMessages: { INVITE_REQUIRED: 'Ask us for a code' },
    });
    expect(environment).toEqual({
      AUTO_CONFIRM: 'false',
      AUTO_CONFIRM_EMAIL_DOMAINS: 'a.example',
      AUTO_VERIFY_EMAIL: 'false',
      AUTO_VERIFY_PHONE: 'false',
      ALLOWED_EMAIL_DOMAINS: 'a.example',
      BLOCKED_EMAIL_DOMAINS: 'b.example',
      MIN_USERNAME_LENGTH: '3',
      EXISTING_ACCOUNT_POLICY: 'no-verify',
      LINK_FEDERATED_USERS: 'Google,SignInWithApple',
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: 'invites',
      BLOCK_DISPOSABLE_EMAILS: 'true',
      FAIL_OPEN: 'true',
      DRY_RUN: 'true',
      METRICS: 'false',
      METRICS_NAMESPACE: 'Mine',
      DENY_MESSAGE_INVITE_REQUIRED: 'Ask us for a code',
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

describe('examples/cdk', () => {
  // Run as a user runs it: `node app.ts` on Node 22 (which strips the types), importing the
  // package's built `/cdk` export, synthesising offline into a temporary folder.
  it('synthesises offline, with the trigger attached and the settings checked', async () => {
    const node = await nodeBinaryFor('22');
    const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
    try {
      execFileSync(node, ['app.ts'], {
        cwd: path.join(PROJECT_ROOT, 'examples/cdk'),
        env: { PATH: process.env.PATH ?? '', HOME: outdir, CDK_OUTDIR: outdir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const template = JSON.parse(readFileSync(path.join(outdir, 'PreSignUpExample.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const resources = Object.values(template.Resources);
      const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function');
      expect(fn?.Properties).toMatchObject({
        Handler: 'index.handler',
        Environment: {
          Variables: {
            ALLOWED_EMAIL_DOMAINS: 'example.com,*.example.com',
            EXISTING_ACCOUNT_POLICY: 'deny',
            INVITE_SECRET_PARAMETER: '/pre-signup/invite-secret',
          },
        },
      });
      const pool = resources.find((resource) => resource.Type === 'AWS::Cognito::UserPool');
      expect(pool?.Properties.LambdaConfig).toHaveProperty('PreSignUp');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
