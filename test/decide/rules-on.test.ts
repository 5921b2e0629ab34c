import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_LOADED_CONFIG } from '../../src/config/default-config.js';
import type { Config } from '../../src/config/load-config.js';
import { decide, REFUSAL_RULES } from '../../src/decide/decide.js';
import { decideBy } from '../../src/decide/decide-by.js';
import type { RefusalRule, RuleContext } from '../../src/decide/rules/rule.js';
import { refusalRulesFor } from '../../src/look-up/refusal-rules.js';
import type { Facts } from '../../src/model/facts.js';
import { SETTINGS } from '../../src/config/settings.js';
import { readInput } from '../helpers/fixtures.js';
import { RULE_EXAMPLES } from '../helpers/rule-examples.js';
import { sampleOf } from '../helpers/setting-samples.js';

const EXAMPLES = Object.values(RULE_EXAMPLES);

// Each setting unset (most often), its sample (with what the sample needs), or another value, valid
// or not: configurations of every kind the rules can meet, including ones with no rule turned on.
// Every setting takes part: each has a sample (test/helpers/setting-samples.ts).
// Each setting drawn or left out; `absent` is how much likelier left out. With some twenty settings
// that turn a rule on, a dense draw almost never leaves every rule off, so half the draws are sparse.
const environmentOf = (absent: number) =>
  fc
    .record(
      Object.fromEntries(
        SETTINGS.map((name) => [
          name,
          fc.oneof(
            { weight: absent, arbitrary: fc.constant(undefined) },
            fc.constantFrom(sampleOf(name).value, ...(sampleOf(name).more ?? [])),
          ),
        ]),
      ),
    )
    .map((drawn) => {
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(drawn)) if (value !== undefined) env[name] = value;
      // What a drawn sample needs to take effect, where nothing else was drawn for it.
      for (const name of SETTINGS) {
        const sample = sampleOf(name);
        if (drawn[name] !== sample.value) continue;
        for (const [other, value] of Object.entries(sample.with ?? {})) env[other] ??= value;
      }
      return env;
    });
const environment = fc.oneof(environmentOf(3), environmentOf(30));

// The values of the rules' examples (RULE_EXAMPLES: for each rule a sign-up it acts on), drawn field
// by field: so every rule meets sign-ups it judges, mixed with what the other rules judge, and a new
// rule's example joins the draws. An address is also drawn unreadable, and any address at all.
const EXAMPLE_EVENTS = EXAMPLES.map((example) => example.event);
const valuesOf = (pick: (event: (typeof EXAMPLE_EVENTS)[number]) => string | undefined, ...more: string[]) => [
  ...new Set([...EXAMPLE_EVENTS.flatMap((event) => pick(event) ?? []), ...more]),
];
const exampleEmails = valuesOf((event) => event.request.userAttributes.email);
const randomSignUp = fc.record({
  triggerSource: fc.constantFrom(
    ...valuesOf(
      (event) => event.triggerSource,
      'PreSignUp_SignUp',
      'PreSignUp_ExternalProvider',
      'PreSignUp_AdminCreateUser',
    ),
  ),
  userName: fc.constantFrom(...valuesOf((event) => event.userName, 'Facebook_1', 'a-rather-long-user-name')),
  userPoolId: fc.constant('us-east-1_EXAMPLE'),
  callerContext: fc.constant({ clientId: 'client-1' }),
  request: fc.record({
    userAttributes: fc.record(
      {
        email: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...exampleEmails) },
          fc.constantFrom(...exampleEmails.map((email) => email.replace(/@.*/, '@ex%61mple.com'))),
          fc.emailAddress(),
        ),
        email_verified: fc.constantFrom('true', 'false'),
        phone_number: fc.constantFrom(
          ...valuesOf((event) => event.request.userAttributes.phone_number, '+15555550100', '+447700900000'),
        ),
      },
      { requiredKeys: [] },
    ),
    validationData: fc.record(
      {
        inviteCode: fc.constantFrom(...valuesOf((event) => event.request.validationData?.inviteCode, 'code-1', '')),
        captchaToken: fc.constantFrom(...valuesOf((event) => event.request.validationData?.captchaToken, 'token', '')),
        emailDomainConfirmed: fc.constantFrom('true', 'false'),
      },
      { requiredKeys: [] },
    ),
  }),
});

// Random sign-ups, and for each rule one it acts on (RULE_EXAMPLES): so every rule meets sign-ups it judges.
const signUp = fc.oneof(randomSignUp, fc.constantFrom(...EXAMPLES.map((example) => example.event)));

const failure = fc.constantFrom('transient-failure' as const, 'permanent-failure' as const);
const randomFacts: fc.Arbitrary<Facts> = fc.record(
  {
    disposableEmail: fc.oneof(fc.boolean(), failure),
    emailDomainTypo: fc.oneof(fc.constantFrom({ suggestion: undefined }, { suggestion: 'gmail.com' }), failure),
    emailDomainMail: fc.oneof(
      fc.constantFrom(
        'has-mail-server' as const,
        'no-such-domain' as const,
        'null-mx' as const,
        'no-mail-server' as const,
        'unknown' as const,
      ),
      failure,
    ),
    invitation: fc.oneof(
      fc.record({ proven: fc.constantFrom('code' as const, 'address' as const), spendsUse: fc.boolean() }),
      fc.constantFrom('none' as const, 'used' as const),
      failure,
    ),
    invitationUse: fc.oneof(fc.constantFrom('spent' as const, 'used' as const, 'none' as const), failure),
    captcha: fc.oneof(
      fc.constant({ passed: true }),
      fc.constant({ passed: false, reason: 'refused' as const }),
      failure,
    ),
    rateLimit: fc.oneof(fc.constant({ exceeded: undefined }), fc.constant({ exceeded: 'pool:10/h' }), failure),
    existingAccountForEmail: fc.oneof(fc.boolean(), failure),
    existingAccountForPhone: fc.oneof(fc.boolean(), failure),
    federatedLink: fc.oneof(
      fc.constantFrom('linked' as const, 'no-match' as const, 'several-matches' as const),
      failure,
    ),
  },
  { requiredKeys: [] },
);

const facts = fc.oneof(randomFacts, fc.constantFrom(...EXAMPLES.map((example) => example.facts ?? {})));

const SIGN_UP_GRID = ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'].flatMap(
  (triggerSource) =>
    ['kim', 'k', 'Google_1234567890', 'Facebook_1'].flatMap((userName) =>
      [
        undefined,
        'kim@example.com',
        'kim+tag@example.com',
        'kim@mailinator.com',
        'kim@ex%61mple.com',
        'kim@gmial.com',
      ].flatMap((email) =>
        [undefined, '+15555550100', '+79000000000'].flatMap((phone) =>
          [{}, { inviteCode: 'code-1', captchaToken: 'token' }].map((validationData) => ({
            triggerSource,
            userName,
            userPoolId: 'us-east-1_EXAMPLE',
            callerContext: { clientId: 'client-1' },
            request: {
              userAttributes: { email, phone_number: phone, email_verified: 'true' },
              validationData,
            },
          })),
        ),
      ),
    ),
);

const FACT_SETS: readonly Facts[] = [
  {},
  {
    disposableEmail: true,
    emailDomainTypo: { suggestion: 'gmail.com' },
    emailDomainMail: 'null-mx',
    invitation: 'none',
    invitationUse: 'used',
    captcha: { passed: false, reason: 'refused' },
    rateLimit: { exceeded: 'pool:10/d' },
    existingAccountForEmail: true,
    existingAccountForPhone: true,
    federatedLink: 'several-matches',
  },
  {
    disposableEmail: 'permanent-failure',
    emailDomainTypo: 'permanent-failure',
    emailDomainMail: 'transient-failure',
    invitation: 'transient-failure',
    invitationUse: 'permanent-failure',
    captcha: 'permanent-failure',
    rateLimit: 'transient-failure',
    existingAccountForEmail: 'permanent-failure',
    existingAccountForPhone: 'transient-failure',
    federatedLink: 'permanent-failure',
  },
];

/**
 * What a rule does wrong for one configuration, sign-up and set of facts: acting while it is off,
 * a refusal that names none of its settings, or a fact it does not declare. (Plain checks rather
 * than expect(), which is slow over many thousand runs.)
 */
function brokenWordsOf(context: RuleContext): string[] {
  const problems: string[] = [];
  for (const rule of REFUSAL_RULES) {
    const verdict = rule.check(context);
    if (verdict === undefined) continue;
    if (!rule.isOn(context.config)) problems.push(`${rule.name} acts while off: ${JSON.stringify(verdict)}`);
    if (verdict.outcome === 'refused' && !(rule.settings as readonly string[]).includes(verdict.rule)) {
      problems.push(`${rule.name} refuses under ${verdict.rule}, not one of its settings`);
    }
    if (
      verdict.outcome === 'needs-facts' &&
      !verdict.facts.every((fact) => (rule.facts as readonly string[]).includes(fact))
    ) {
      problems.push(`${rule.name} asks for ${verdict.facts.join(', ')}, not all among its facts`);
    }
  }
  return problems;
}

function configOf(env: Readonly<Record<string, string>>): Config {
  const loaded = loadConfig(env);
  expect(loaded.issues).toEqual([]);
  return loaded.config;
}

describe('the rules that are on', () => {
  it('are none with no settings: a function without any loads no rules', async () => {
    expect(REFUSAL_RULES.filter((rule) => rule.isOn(DEFAULT_LOADED_CONFIG.config))).toEqual([]);
    expect(REFUSAL_RULES.filter((rule) => rule.isOn(loadConfig({}).config))).toEqual([]);
    expect(await refusalRulesFor(DEFAULT_LOADED_CONFIG.config)).toEqual([]);
  });

  it('are none for settings that only shape the response or the log', async () => {
    const env = {
      AUTO_CONFIRM: 'false',
      AUTO_VERIFY_EMAIL: 'false',
      FAIL_OPEN: 'true',
      DRY_RUN: 'true',
      METRICS: 'false',
    };
    expect(await refusalRulesFor(configOf(env))).toEqual([]);
  });

  it('are the ones the handler runs, in their order', async () => {
    const config = configOf({ ...RULE_EXAMPLES.CAPTCHA.env, ...RULE_EXAMPLES.BLOCKED_EMAILS.env });
    expect((await refusalRulesFor(config)).map((rule) => rule.name)).toEqual([
      'UNREADABLE_EMAIL',
      'BLOCKED_EMAILS',
      'CAPTCHA',
    ]);
  });

  it('have names of their own, and settings that exist', () => {
    const names = REFUSAL_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of REFUSAL_RULES) for (const setting of rule.settings) expect(SETTINGS).toContain(setting);
  });

  it.each(Object.entries(RULE_EXAMPLES))('include %s for its example, which it acts on', (name, example) => {
    const rule = REFUSAL_RULES.find((candidate) => candidate.name === name);
    const config = configOf(example.env);
    expect(rule?.isOn(config)).toBe(true);
    expect(rule?.check({ input: readInput(example.event), config, facts: example.facts ?? {} })).toBeDefined();
  });

  it('judge an address under one of their own settings', () => {
    for (const example of EXAMPLES) {
      const config = configOf(example.env);
      for (const rule of REFUSAL_RULES as readonly RefusalRule[]) {
        const { email } = rule.judges;
        if (typeof email === 'function') {
          const setting = email(config, readInput(example.event));
          if (setting !== undefined) expect(rule.settings).toContain(setting);
        } else if (email === true) expect(rule.settings).toContain(rule.name);
      }
    }
  });

  // A rule that refuses an address but lets the same address through once it is unreadable must
  // say that it judges the address, or an unreadable email would slip past it.
  it.each(Object.entries(RULE_EXAMPLES))('%s says it judges the address when it refuses by it', (name, example) => {
    const rule = REFUSAL_RULES.find((candidate) => candidate.name === name) as RefusalRule;
    const email = example.event.request.userAttributes.email;
    const config = configOf(example.env);
    const facts = example.facts ?? {};
    const unreadable = {
      ...example.event,
      request: {
        ...example.event.request,
        userAttributes: {
          ...example.event.request.userAttributes,
          email: `${email?.split('@')[0] ?? ''}@ex%61mple.com`,
        },
      },
    };
    const refused = rule.check({ input: readInput(example.event), config, facts })?.outcome === 'refused';
    const passes = rule.check({ input: readInput(unreadable), config, facts }) === undefined;
    if (email !== undefined && refused && passes) expect(rule.judges.email).toBeDefined();
  });

  it('are the only ones that act, whatever the configuration, the sign-up and the facts', () => {
    let withoutRules = 0;
    fc.assert(
      fc.property(environment, signUp, facts, (env, event, known) => {
        const { config } = loadConfig(env);
        const context = { input: readInput(event), config, facts: known };
        const problems = brokenWordsOf(context);
        const on = REFUSAL_RULES.filter((rule) => rule.isOn(config));
        if (on.length === 0) withoutRules++;
        const byThoseOn = decideBy(on, context.input, config, known);
        const byAll = decide(context.input, config, known);
        // expect() only on a failure: it is slow over thousands of runs.
        if (problems.length > 0 || !isDeepStrictEqual(byThoseOn, byAll)) {
          expect(problems, JSON.stringify({ env, event })).toEqual([]);
          expect(byThoseOn).toEqual(byAll);
        }
      }),
      { numRuns: 4000 },
    );
    // The property was tested, not skipped: enough configurations had no rule turned on.
    expect(withoutRules).toBeGreaterThan(100);
  }, 60_000);

  // Random configurations rarely set one setting alone, and a rule may act only on sign-ups of one
  // kind: so each setting's sample alone, against every sign-up of a grid and a few sets of facts.
  it.each(SETTINGS)('are the only ones that act with %s set alone', (name) => {
    const { config } = loadConfig({ ...sampleOf(name).with, [name]: sampleOf(name).value });
    const problems: string[] = [];
    for (const event of [...SIGN_UP_GRID, ...EXAMPLES.map((example) => example.event)]) {
      const input = readInput(event);
      for (const known of [...FACT_SETS, ...EXAMPLES.flatMap((example) => example.facts ?? [])]) {
        for (const problem of brokenWordsOf({ input, config, facts: known })) {
          problems.push(`${problem} for ${JSON.stringify(event)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
