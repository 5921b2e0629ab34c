import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, type Tags } from 'yaml';
import { PROJECT_ROOT } from '../paths.mjs';

// waf.yaml: the per-IP half of the velocity limits (docs/velocity-limits.md).

const WAF = path.join(PROJECT_ROOT, 'waf.yaml');
const hasCfnLint = spawnSync('cfn-lint', ['--version']).error === undefined;

// CloudFormation's short forms, read as the long forms they stand for.
const intrinsic = (tag: string, name: string, collection?: 'seq'): Tags[number] => ({
  tag,
  ...(collection === undefined ? {} : { collection: 'seq' as const }),
  resolve: (value: unknown) => ({
    [name]:
      typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value,
  }),
});
const TAGS: Tags = [
  intrinsic('!Ref', 'Ref'),
  intrinsic('!Sub', 'Fn::Sub'),
  intrinsic('!GetAtt', 'Fn::GetAtt'),
  intrinsic('!If', 'Fn::If', 'seq'),
  intrinsic('!Not', 'Fn::Not', 'seq'),
  intrinsic('!Equals', 'Fn::Equals', 'seq'),
  intrinsic('!Join', 'Fn::Join', 'seq'),
];
type Node = Record<string, unknown>;
const template = parse(readFileSync(WAF, 'utf8'), { customTags: TAGS }) as Node;
const resources = template.Resources as Record<string, { Type: string; Properties: Node }>;
const acl = resources.WebAcl?.Properties as Node;
const rules = acl.Rules as Node[];

/** A rule, unwrapped from the Fn::If that makes it optional, and the condition's name. */
function ruleNamed(name: string): { rule: Node; condition?: string } {
  for (const entry of rules) {
    const optional = entry['Fn::If'] as [string, Node, unknown] | undefined;
    const rule = optional === undefined ? entry : optional[1];
    if (rule.Name === name) return optional === undefined ? { rule } : { rule, condition: optional[0] };
  }
  throw new Error(`no rule ${name}`);
}

describe('waf.yaml', () => {
  it.skipIf(!hasCfnLint)('is clean under cfn-lint', () => {
    const result = spawnSync('cfn-lint', ['waf.yaml'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('associates a regional web ACL with the user pool given as a parameter', () => {
    expect(acl.Scope).toBe('REGIONAL');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(resources.WebAclAssociation?.Properties).toEqual({
      ResourceArn: { Ref: 'UserPoolArn' },
      WebACLArn: { 'Fn::GetAtt': 'WebAcl.Arn' },
    });
    const pattern = new RegExp((template.Parameters as Record<string, Node>).UserPoolArn?.AllowedPattern as string);
    expect(pattern.test('arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123')).toBe(true);
    expect(pattern.test('arn:aws:lambda:us-east-1:123456789012:function:f')).toBe(false);
  });

  it('limits SignUp API calls and sign-up form posts per IP address', () => {
    const { rule, condition } = ruleNamed('sign-ups-per-ip');
    expect(condition).toBeUndefined();
    expect(rule.Action).toEqual({ Block: {} });
    const rate = (rule.Statement as Node).RateBasedStatement as Node;
    expect(rate).toMatchObject({ AggregateKeyType: 'IP', Limit: { Ref: 'SignUpsPerIp' } });
    const scopeDown = JSON.stringify(rate.ScopeDownStatement);
    expect(scopeDown).toContain('"SingleHeader":{"Name":"x-amz-target"}');
    expect(scopeDown).toContain('"SearchString":"AWSCognitoIdentityProviderService.SignUp"');
    expect(scopeDown).toContain('"PositionalConstraint":"EXACTLY"');
    expect(scopeDown).toContain('"SearchString":"/signup"');
  });

  it('blocks sign-ups from the countries given, and has no such rule when none are', () => {
    const { rule, condition } = ruleNamed('block-countries');
    expect(condition).toBe('BlocksCountries');
    expect((template.Conditions as Node).BlocksCountries).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'BlockedCountries' }] }, ''] }],
    });
    expect((template.Parameters as Record<string, Node>).BlockedCountries?.Default).toBe('');
    expect(JSON.stringify(rule.Statement)).toContain('"GeoMatchStatement":{"CountryCodes":{"Ref":"BlockedCountries"}}');
  });

  it('asks for a CAPTCHA on the managed login sign-up page, unless turned off', () => {
    const { rule, condition } = ruleNamed('captcha-on-managed-login-sign-up');
    expect(condition).toBe('AsksCaptcha');
    expect(rule.Action).toEqual({ Captcha: {} });
    expect(acl.CaptchaConfig).toEqual({ ImmunityTimeProperty: { ImmunityTime: { Ref: 'CaptchaImmunitySeconds' } } });
  });

  it('gives every rule its own priority and metric', () => {
    const all = ['block-countries', 'sign-ups-per-ip', 'captcha-on-managed-login-sign-up'].map(
      (name) => ruleNamed(name).rule,
    );
    expect(new Set(all.map((rule) => rule.Priority)).size).toBe(3);
    expect(new Set(all.map((rule) => JSON.stringify((rule.VisibilityConfig as Node).MetricName))).size).toBe(3);
  });
});
