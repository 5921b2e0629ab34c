import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFUSAL_TEXTS } from '../src/model/refusal-codes.js';
import { SETTING_DEFAULTS, SETTINGS } from '../src/config/settings.js';
import { allowedValuesOf, pascalCaseOf, withTemplateSettings } from '../tools/template-settings.js';
import { PROJECT_ROOT } from '../paths.mjs';
import { loadTemplate, type Node } from './helpers/template.js';

const { template, resources, parameters, fn, variables } = loadTemplate();
// CloudFormation's own ${…} placeholders, not JavaScript's.
const POOL_ARN = {
  'Fn::Sub': 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${UserPoolId}',
};

/**
 * The parameter an environment variable is set from: `!Ref Parameter`, or `!If [Condition, a resource the
 * stack creates, !Ref Parameter]` (RATE_LIMIT_TABLE, whose table the stack can create).
 */
function parameterOf(value: unknown): string | undefined {
  const node = value as { Ref?: string; 'Fn::If'?: [string, unknown, { Ref?: string }] } | undefined;
  return node?.Ref ?? node?.['Fn::If']?.[2].Ref;
}

describe('template.yaml', () => {
  it('deploys the built zip on nodejs22.x, arm64, index.handler, with a timeout under Cognito’s 5 s', () => {
    expect(resources.PreSignUpFunction?.Type).toBe('AWS::Serverless::Function');
    expect(fn).toMatchObject({
      CodeUri: 'dist/pre-signup.zip',
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
    expect(fn.Timeout).toBeLessThan(5);
  });

  it('has the settings’ parameters, variables and groups the registry and tools/setting-docs.ts make (npm run docs writes them)', () => {
    const text = readFileSync(path.join(PROJECT_ROOT, 'template.yaml'), 'utf8');
    expect(withTemplateSettings(text)).toBe(text);
  });

  // The one check of the settings' rows: each default is written once, in the registry.
  it.each(SETTINGS)(
    '%s is set from a parameter of its own, named after it in PascalCase, described, with the registry’s default and values',
    (variable) => {
      const parameter = parameterOf(variables[variable]);
      expect(parameter).toBe(pascalCaseOf(variable));
      expect(String(parameters[parameter ?? '']?.Description)).toContain(variable);
      expect(parameters[parameter ?? '']?.Default).toBe(SETTING_DEFAULTS[variable]);
      const allowed = allowedValuesOf(variable);
      if (allowed !== undefined) expect(parameters[parameter ?? '']?.AllowedValues).toEqual(allowed);
    },
  );

  it('hides the secrets it is given', () => {
    expect(parameters.InviteSecret?.NoEcho).toBe(true);
    expect(parameters.CaptchaSecret?.NoEcho).toBe(true);
  });

  it('sets DENY_MESSAGE_<CODE> only when a text is given, for every code', () => {
    for (const code of Object.keys(REFUSAL_TEXTS)) {
      const value = variables[`DENY_MESSAGE_${code}`] as { 'Fn::If'?: unknown[] } | undefined;
      expect(value?.['Fn::If']?.[2], code).toEqual({ Ref: 'AWS::NoValue' });
    }
  });

  it('keeps logs in a log group with retention, in Lambda’s JSON format', () => {
    expect(resources.PreSignUpLogGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(resources.PreSignUpLogGroup?.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionInDays' });
    expect(fn.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: 'PreSignUpLogGroup' } });
  });

  it('lets only Cognito, on behalf of the one pool, invoke the function', () => {
    const permission = resources.CognitoInvokePermission;
    expect(permission?.Type).toBe('AWS::Lambda::Permission');
    expect(permission?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: POOL_ARN,
    });
  });

  it('grants ListUsers, AdminGetUser and GetItem only when the rules that need them are on', () => {
    const conditions = template.Conditions as Node;
    expect(conditions.ChecksExistingAccounts).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExistingAccountPolicy' }, 'ignore'] }],
    });
    expect(conditions.ReadsInviteTable).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'InviteTable' }, ''] }] });
    const policies = fn.Policies as { 'Fn::If': [string, { Statement: Node[] }, unknown] }[];
    const byCondition = Object.fromEntries(policies.map((policy) => [policy['Fn::If'][0], policy['Fn::If']]));
    // The guard's call follows SignInAliases (test/iam.test.ts evaluates the conditions).
    expect(byCondition.ChecksExistingAccounts?.[1].Statement).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:ListUsers', Resource: POOL_ARN },
    ]);
    expect(byCondition.ChecksExistingAccountsByAlias?.[1].Statement).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:AdminGetUser', Resource: POOL_ARN },
    ]);
    expect(byCondition.ReadsInviteTable?.[1].Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    });
    expect(byCondition.ChecksExistingAccounts?.[2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(byCondition.ChecksExistingAccountsByAlias?.[2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(byCondition.ReadsInviteTable?.[2]).toEqual({ Ref: 'AWS::NoValue' });
  });

  it('creates the rate-limit table only when asked to, as the function counts in it, and points RATE_LIMIT_TABLE at it', () => {
    const table = resources.RateLimitCountTable as { Condition?: string; Properties: Node } | undefined;
    expect(table?.Condition).toBe('CreatesRateLimitTable');
    expect(table?.Properties).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(variables.RATE_LIMIT_TABLE).toEqual({
      'Fn::If': ['CreatesRateLimitTable', { Ref: 'RateLimitCountTable' }, { Ref: 'RateLimitTable' }],
    });
  });

  it('alarms on CONFIG_INVALID and on the share of SERVICE_UNAVAILABLE, from the metrics, only when they are on', () => {
    const configInvalid = resources.ConfigInvalidAlarm as { Condition?: string; Properties: Node } | undefined;
    const unavailable = resources.ServiceUnavailableAlarm as { Condition?: string; Properties: Node } | undefined;
    expect(configInvalid?.Condition).toBe('EmitsMetrics');
    expect(unavailable?.Condition).toBe('EmitsMetrics');
    expect(configInvalid?.Properties).toMatchObject({
      Namespace: { Ref: 'MetricsNamespace' },
      MetricName: 'SignUps',
      Dimensions: [
        { Name: 'outcome', Value: 'refused' },
        { Name: 'code', Value: 'CONFIG_INVALID' },
      ],
      AlarmActions: { 'Fn::If': ['NotifiesTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] },
    });
    expect(JSON.stringify(unavailable?.Properties)).toContain('"Value":"SERVICE_UNAVAILABLE"');
    expect(unavailable?.Properties.Threshold).toEqual({ Ref: 'ServiceUnavailableRateThreshold' });
  });
  it('groups every parameter in the console, each exactly once', () => {
    const metadata = template.Metadata as
      { 'AWS::CloudFormation::Interface'?: { ParameterGroups?: { Parameters?: string[] }[] } } | undefined;
    const grouped = (metadata?.['AWS::CloudFormation::Interface']?.ParameterGroups ?? []).flatMap(
      (group) => group.Parameters ?? [],
    );
    expect([...grouped].sort()).toEqual(Object.keys(parameters).sort());
  });

  it('says what to set in a pool with sign-in aliases, where the existing-account policy is chosen', () => {
    const description = String(parameters.ExistingAccountPolicy?.Description);
    expect(description).toMatch(/sign-in alias/);
    expect(description).toContain('no-verify');
    expect(description).toContain('AdminGetUser');
    expect(description).toContain('ListUsers');
    expect(String(parameters.SignInAliases?.Description)).toContain('cognito-idp:AdminGetUser');
  });

  it('points to docs that exist', () => {
    const text = readFileSync(path.join(PROJECT_ROOT, 'template.yaml'), 'utf8');
    expect(text).not.toContain('the README');
    for (const [page = ''] of text.matchAll(/docs\/[a-z-]+\.md/g)) {
      expect(existsSync(path.join(PROJECT_ROOT, page)), page).toBe(true);
    }
  });
});
