import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import type { FactName } from '../src/model/facts.js';
import { LOOKUPS } from '../src/look-up/lazy/lookups.js';
import { loadTemplate, type Node } from './helpers/template.js';

// Each lookup's descriptor (src/look-up/lazy/lookups.ts) says which IAM actions it needs under a
// configuration; template.yaml grants them through conditions on its parameters. This checks the one
// against the other: for a configuration that needs each lookup, the template's policies, with the
// parameters that configuration is deployed with, grant every action the descriptor names, on the
// resource the setting names; and with no setting on, they grant nothing.

const { template, parameters, fn, variables } = loadTemplate();
const conditions = template.Conditions as Node;

interface Case {
  readonly name: string;
  readonly lookup: FactName;
  /** The function's settings, as loadConfig reads them (and as the template's parameters pass them on). */
  readonly env: Readonly<Record<string, string>>;
  /** Parameters of the template that are no function setting. */
  readonly extra?: Readonly<Record<string, string>>;
  /** What each action's statement must name in its Resource (after the template's own Fn::If). */
  readonly resources: Readonly<Record<string, string>>;
}

const POOL = 'userpool/${UserPoolId}';
const KMS = '"*"';

const CASES: readonly Case[] = [
  { name: 'the disposable list', lookup: 'disposableEmail', env: { BLOCK_DISPOSABLE_EMAILS: 'true' }, resources: {} },
  { name: 'the typo check', lookup: 'emailDomainTypo', env: { EMAIL_TYPO_CHECK: 'true' }, resources: {} },
  // DNS needs no permission: the function asks its resolvers (the VPC's, or DNS_SERVERS).
  { name: 'the DNS check', lookup: 'emailDomainMail', env: { EMAIL_DELIVERABILITY: 'true' }, resources: {} },
  {
    name: 'signed invitation codes',
    lookup: 'invitation',
    env: { INVITE_REQUIRED: 'true', INVITE_SECRET: 'a-secret-of-at-least-thirty-two-characters' },
    resources: {},
  },
  {
    name: 'the invitation secret in SSM',
    lookup: 'invitation',
    env: { INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: '/pre-signup/invite-secret' },
    resources: { 'ssm:GetParameter': 'parameter${InviteSecretParameter}', 'kms:Decrypt': KMS },
  },
  {
    name: 'an invitation table, with maxUses rows',
    lookup: 'invitation',
    env: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' },
    resources: { 'dynamodb:GetItem': 'table/${InviteTable}', 'dynamodb:UpdateItem': 'table/${InviteTable}' },
  },
  {
    name: 'invitations by email',
    lookup: 'invitation',
    env: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_MATCH: 'email' },
    resources: { 'dynamodb:GetItem': 'table/${InviteTable}', 'dynamodb:UpdateItem': 'table/${InviteTable}' },
  },
  {
    name: 'spending a use of an invitation row with maxUses',
    lookup: 'invitationUse',
    env: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_MATCH: 'code-or-email' },
    resources: { 'dynamodb:GetItem': 'table/${InviteTable}', 'dynamodb:UpdateItem': 'table/${InviteTable}' },
  },
  {
    name: 'a CAPTCHA secret in the environment',
    lookup: 'captcha',
    env: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 'a-captcha-secret' },
    resources: {},
  },
  {
    name: 'a CAPTCHA secret in SSM',
    lookup: 'captcha',
    env: { CAPTCHA: 'recaptcha', CAPTCHA_SECRET_PARAMETER: '/pre-signup/captcha-secret' },
    resources: { 'ssm:GetParameter': 'parameter${CaptchaSecretParameter}', 'kms:Decrypt': KMS },
  },
  {
    name: 'a rate-limit table of your own',
    lookup: 'rateLimit',
    env: { RATE_LIMITS: 'email-domain:20/h,pool:2000/d', RATE_LIMIT_TABLE: 'counts' },
    resources: { 'dynamodb:UpdateItem': 'table/${RateLimitTable}', 'dynamodb:GetItem': 'table/${RateLimitTable}' },
  },
  {
    name: 'the rate-limit table the stack creates',
    lookup: 'rateLimit',
    // RATE_LIMIT_TABLE is then the created table's name, not a parameter.
    env: { RATE_LIMITS: 'client:500/h', RATE_LIMIT_TABLE: 'created-by-the-stack' },
    extra: { CreateRateLimitTable: 'true', RateLimitTable: '' },
    resources: { 'dynamodb:UpdateItem': 'RateLimitCountTable', 'dynamodb:GetItem': 'RateLimitCountTable' },
  },
  {
    name: 'a waitlist table of your own',
    lookup: 'waitlist',
    env: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_MATCH: 'email', WAITLIST_TABLE: 'waitlist' },
    resources: { 'dynamodb:UpdateItem': 'table/${WaitlistTable}' },
  },
  {
    name: 'the waitlist table the stack creates',
    lookup: 'waitlist',
    // WAITLIST_TABLE is then the created table's name, not a parameter.
    env: { INVITE_REQUIRED: 'true', INVITE_SECRET_PARAMETER: '/invite', WAITLIST_TABLE: 'created-by-the-stack' },
    extra: { CreateWaitlistTable: 'true', WaitlistTable: '' },
    resources: { 'dynamodb:UpdateItem': 'WaitlistRecordTable' },
  },
  {
    name: 'the account guard for the email',
    lookup: 'existingAccountForEmail',
    env: { EXISTING_ACCOUNT_POLICY: 'no-verify' },
    resources: { 'cognito-idp:ListUsers': POOL },
  },
  {
    name: 'the account guard for the phone',
    lookup: 'existingAccountForPhone',
    env: { EXISTING_ACCOUNT_POLICY: 'deny' },
    resources: { 'cognito-idp:ListUsers': POOL },
  },
  {
    name: 'the account guard for an email that is a sign-in alias',
    lookup: 'existingAccountForEmail',
    env: { EXISTING_ACCOUNT_POLICY: 'no-verify', SIGN_IN_ALIASES: 'email' },
    resources: { 'cognito-idp:AdminGetUser': POOL, 'cognito-idp:ListUsers': POOL },
  },
  {
    name: 'the account guard for a phone that is not one, beside an email that is',
    lookup: 'existingAccountForPhone',
    env: { EXISTING_ACCOUNT_POLICY: 'no-verify', SIGN_IN_ALIASES: 'email' },
    resources: { 'cognito-idp:ListUsers': POOL },
  },
  {
    name: 'the account guard for a phone that is a sign-in alias',
    lookup: 'existingAccountForPhone',
    env: { EXISTING_ACCOUNT_POLICY: 'deny', SIGN_IN_ALIASES: 'email,phone_number,preferred_username' },
    resources: { 'cognito-idp:AdminGetUser': POOL, 'cognito-idp:ListUsers': POOL },
  },
  {
    name: 'linking',
    lookup: 'federatedLink',
    env: { LINK_FEDERATED_USERS: 'Google', AUTO_VERIFY_EMAIL: 'false' },
    resources: { 'cognito-idp:ListUsers': POOL, 'cognito-idp:AdminLinkProviderForUser': POOL },
  },
];

type Values = Readonly<Record<string, string>>;

/** The template's parameters as deployed with these settings: each variable's parameter takes its value. */
function parametersFor(env: Values, extra: Values = {}): Values {
  const values: Record<string, string> = { UserPoolId: 'us-east-1_Example' };
  for (const [name, { Default: value }] of Object.entries(parameters)) {
    values[name] = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
  for (const [variable, value] of Object.entries(env)) {
    const node = variables[variable] as { Ref?: string; 'Fn::If'?: [string, unknown, { Ref?: string }] } | undefined;
    const parameter = node?.Ref ?? node?.['Fn::If']?.[2].Ref;
    if (parameter === undefined || !(parameter in parameters)) throw new Error(`${variable} has no parameter`);
    values[parameter] = value;
  }
  return { ...values, ...extra };
}

/** A condition function of the template, or a Ref, evaluated under these parameters. */
function evaluate(node: unknown, values: Values): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const [[name, argument] = []] = Object.entries(node as Node);
  const args = argument as unknown[];
  switch (name) {
    case 'Ref':
      return values[argument as string] ?? `<${String(argument)}>`;
    case 'Condition':
      return evaluate(conditions[argument as string], values);
    case 'Fn::Equals':
      return evaluate(args[0], values) === evaluate(args[1], values);
    case 'Fn::Not':
      return evaluate(args[0], values) !== true;
    case 'Fn::Or':
      return args.some((condition) => evaluate(condition, values) === true);
    case 'Fn::And':
      return args.every((condition) => evaluate(condition, values) === true);
    default:
      throw new Error(`no evaluation of ${String(name)}`);
  }
}

/** A node with each `Fn::If` replaced by the branch its condition picks. */
function resolve(node: unknown, values: Values): unknown {
  if (Array.isArray(node)) return node.map((item) => resolve(item, values));
  if (typeof node !== 'object' || node === null) return node;
  const branches = (node as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
  if (branches !== undefined) {
    const [condition, then, otherwise] = branches;
    return resolve(evaluate(conditions[condition], values) === true ? then : otherwise, values);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, values)]));
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** The statements of the function's policies that hold under these parameters. */
function statementsFor(values: Values): Statement[] {
  const policies = resolve(fn.Policies, values) as ({ Statement?: Statement[] } | { Ref: string })[];
  return policies.flatMap((policy) => ('Statement' in policy ? (policy.Statement ?? []) : []));
}

const actionsOf = (statement: Statement) =>
  typeof statement.Action === 'string' ? [statement.Action] : statement.Action;

describe('template.yaml grants what each lookup needs', () => {
  it('has a case for every lookup', () => {
    const covered = new Set(CASES.map(({ lookup }) => lookup));
    expect(Object.keys(LOOKUPS).filter((name) => !covered.has(name as FactName))).toEqual([]);
  });

  it.each(CASES)('$name ($lookup)', ({ lookup, env, extra, resources }) => {
    const { config, issues } = loadConfig(env);
    expect(issues).toEqual([]);
    const needed = LOOKUPS[lookup].permissions(config);
    expect([...needed].sort()).toEqual(Object.keys(resources).sort());

    const statements = statementsFor(parametersFor(env, extra));
    for (const action of needed) {
      const granting = statements.filter(
        (statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action),
      );
      expect(granting.length, `${action} is granted`).toBeGreaterThan(0);
      const resource = resources[action] ?? '';
      expect(
        granting.some((statement) => JSON.stringify(statement.Resource).includes(resource)),
        `${action} on ${resource}`,
      ).toBe(true);
      // Decrypt on any key, but only through SSM: the one way the parameter's key is used.
      if (action === 'kms:Decrypt') {
        expect(JSON.stringify(granting.map((statement) => statement.Condition))).toContain('kms:ViaService');
      }
    }
  });

  it.each([
    ['', ['cognito-idp:ListUsers']],
    ['email', ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers']],
    ['preferred_username', ['cognito-idp:ListUsers']],
    ['email,phone_number', ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers']],
  ])('grants the existing-account guard only the calls SIGN_IN_ALIASES=%j leads it to', (aliases, granted) => {
    const env = { EXISTING_ACCOUNT_POLICY: 'deny', SIGN_IN_ALIASES: aliases };
    const { config } = loadConfig(env);
    const needed = new Set(
      (['existingAccountForEmail', 'existingAccountForPhone'] as const).flatMap((name) =>
        LOOKUPS[name].permissions(config),
      ),
    );
    expect([...needed].sort()).toEqual(granted);
    expect(statementsFor(parametersFor(env)).flatMap(actionsOf).sort()).toEqual(granted);
  });

  it('grants nothing with every setting at its default', () => {
    expect(statementsFor(parametersFor({}))).toEqual([]);
  });
});
