import { describe, expect, it } from 'vitest';
import type { ContainerConfig } from '../src/config/container-config.js';
import { loadContainerConfig } from '../src/config/document-config.js';
import { decide } from '../src/decide/decide.js';
import { NO_FACTS } from '../src/model/facts.js';
import { handlePreSignUp } from '../src/handler.js';
import { fixedConfiguration } from '../src/look-up/configuration.js';
import { gatherFacts } from '../src/look-up/lazy/gather-facts.js';
import { createInvocationLogger, MAX_LINE_BYTES } from '../src/log/invocation-log.js';
import { configOf, inputOf } from './helpers/fixtures.js';

// The attacks of issue #19 where two features meet, each through the function's own reading of
// settings and its log line. Each failed before the fix.

/** Runs one sign-up under a rules document (RULES_FILE) and returns every line written. */
async function signUpUnder(
  documentText: string,
  event: unknown = { request: { userAttributes: { email: 'kim@example.com' } } },
) {
  const configuration: ContainerConfig = loadContainerConfig(
    { RULES_FILE: 'rules.json' },
    { root: '/var/task', read: () => documentText },
  );
  const lines: string[] = [];
  let error: Error | undefined;
  try {
    await handlePreSignUp(
      event,
      { awsRequestId: 'r', getRemainingTimeInMillis: () => 5000 },
      {
        configuration: fixedConfiguration(configuration),
        gather: gatherFacts,
        log: createInvocationLogger({
          functionName: 'PreSignUp',
          logLevel: undefined,
          metricsNamespace: 'CognitoPreSignUp',
          write: (line) => lines.push(line),
        }),
        warnOnce: () => configuration.loaded.warnings,
      },
    );
  } catch (thrown) {
    error = thrown as Error;
  }
  return { lines, error, parsed: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Every line is at most MAX_LINE_BYTES and carries its metrics block. */
function expectBoundedWithMetrics(lines: readonly string[]) {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const parsed = JSON.parse(line) as { _aws?: unknown; SignUps?: unknown };
    expect(parsed._aws).toBeDefined();
    expect(parsed.SignUps).toBe(1);
  }
}

describe('rules document × logs', () => {
  const SECRET = 'TopSecret-0123456789abcdef';

  it('reports a document that is not JSON by position and length, never quoting it', async () => {
    const text = `{'INVITE_SECRET': '${SECRET}', "INVITE_REQUIRED": true}`;
    const { lines, error, parsed } = await signUpUnder(text);
    expect(error?.message).toMatch(/^CONFIG_INVALID: /);
    expect(lines.join('\n')).not.toContain('TopSecret');
    expect(lines.join('\n')).not.toContain("'INVITE");
    expect(parsed[0]).toMatchObject({
      configProblems: [
        {
          variable: 'RULES_FILE',
          received: `text that is not valid JSON (an error at character 1 of ${String(text.length)})`,
        },
      ],
    });
  });

  it('never logs a secret held by a valid document whose other parts are wrong', async () => {
    const text = JSON.stringify({ INVITE_SECRET: SECRET, INVITE_REQUIRED: 'yes', MIN_USERNAME_LENGTH: SECRET });
    const { lines } = await signUpUnder(text);
    expect(lines.join('\n')).not.toContain('TopSecret');
  });

  it('keeps the line under 8 KB, with its metrics, for 2,500 bad entries', async () => {
    const bad = Array.from({ length: 2500 }, (_, index) => `not an address ${String(index)} ${'x'.repeat(60)}`);
    const { lines, parsed } = await signUpUnder(JSON.stringify({ BLOCKED_EMAILS: bad }));
    expectBoundedWithMetrics(lines);
    const [line] = parsed;
    expect(line).toMatchObject({ code: 'CONFIG_INVALID' });
    const listed = (line?.configProblems as unknown[]).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed + Number(line?.moreConfigProblems)).toBe(2500);
  });

  it('keeps the line under 8 KB for a 1 MB unknown key and a 1 MB client id, cutting both', async () => {
    const long = 'K'.repeat(1_000_000);
    const { lines, parsed } = await signUpUnder(JSON.stringify({ [long]: 1, clients: { [long]: {} } }));
    expectBoundedWithMetrics(lines);
    const problems = parsed[0]?.configProblems as { variable: string }[];
    expect(problems.map((problem) => problem.variable)).toEqual([
      `RULES_FILE: ${'K'.repeat(80)}… (1000000 characters)`,
      `RULES_FILE: clients.${'K'.repeat(80)}… (1000000 characters)`,
    ]);
  });

  it('keeps the line under 8 KB when every problem is long', async () => {
    const clients = Object.fromEntries(
      Array.from({ length: 300 }, (_, index) => [
        `client${String(index)}`,
        { [`X${'y'.repeat(200)}${String(index)}`]: 1 },
      ]),
    );
    const { lines } = await signUpUnder(JSON.stringify({ clients }));
    expectBoundedWithMetrics(lines);
  });
});

describe('rules document × long names', () => {
  it('cuts a long DENY_MESSAGE_ key and a long look-alike in the line', async () => {
    const long = `DENY_MESSAGE_${'X'.repeat(7000)}`;
    const { lines, parsed } = await signUpUnder(
      JSON.stringify({ [long]: 'hi', [`DENY_MSG_${'Y'.repeat(7000)}`]: 'hi' }),
    );
    expectBoundedWithMetrics(lines);
    for (const problem of parsed[0]?.configProblems as { variable: string; expected: string }[]) {
      expect(problem.variable.length).toBeLessThan(140);
      expect(problem.expected.length).toBeLessThan(600);
    }
  });
});

describe('rules document × duplicates and kinds', () => {
  it.each([
    [
      'a duplicate key, which JSON.parse would settle silently',
      '{"BLOCKED_EMAILS":["spam@example.com"],"BLOCKED_EMAILS":[]}',
      'RULES_FILE: BLOCKED_EMAILS',
    ],
    [
      'a duplicate key in a client',
      '{"clients":{"app":{"AUTO_CONFIRM":false,"AUTO_CONFIRM":true}}}',
      'RULES_FILE: clients.app.AUTO_CONFIRM',
    ],
    ['a number as a string', '{"MIN_USERNAME_LENGTH":"3"}', 'RULES_FILE: MIN_USERNAME_LENGTH'],
    ['a list as a string', '{"ALLOWED_EMAIL_DOMAINS":"example.com"}', 'RULES_FILE: ALLOWED_EMAIL_DOMAINS'],
    ['a boolean as a number', '{"AUTO_CONFIRM":1}', 'RULES_FILE: AUTO_CONFIRM'],
    ['a boolean as a string', '{"DRY_RUN":"true"}', 'RULES_FILE: DRY_RUN'],
  ])('refuses %s with CONFIG_INVALID, naming the key', async (_, text, variable) => {
    const { error, parsed } = await signUpUnder(text);
    expect(error?.message).toMatch(/^CONFIG_INVALID: /);
    expect(parsed[0]?.configProblems).toMatchObject([{ variable, kind: 'document' }]);
  });
});

describe('address lists × address variants', () => {
  const blocking = configOf({ BLOCKED_EMAILS: 'spam@example.com, john@gmail.com' });
  const allowing = configOf({ ALLOWED_EMAILS: 'spam@example.com, john@gmail.com' });

  it.each([
    'spam@example.com',
    'Spam+x@example.com',
    'spam+a+b@example.com',
    'j.o.h.n@gmail.com',
    'john+tag@googlemail.com',
    'J.ohn@GoogleMail.com',
  ])('blocks %s, a variant of a blocked address', (email) => {
    expect(decide(inputOf({ email }), blocking, NO_FACTS)).toMatchObject({ outcome: 'refused', code: 'EMAIL_BLOCKED' });
  });

  it.each(['spam.x@example.com', 'other@example.com', 'j.o.h.n@example.com', '+spam@example.com'])(
    'does not block %s, which is another mailbox',
    (email) => {
      expect(decide(inputOf({ email }), blocking, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
    },
  );

  it('blocks the variants of a variant that is listed (the list is read the same way)', () => {
    const listed = configOf({ BLOCKED_EMAILS: 'S.pam+list@GoogleMail.com' });
    expect(decide(inputOf({ email: 'spam@gmail.com' }), listed, NO_FACTS)).toMatchObject({ code: 'EMAIL_BLOCKED' });
  });

  it('keeps ALLOWED_EMAILS exact: a variant of an allowed address is not allowed', () => {
    expect(decide(inputOf({ email: 'spam@example.com' }), allowing, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
    for (const email of ['spam+x@example.com', 'j.o.h.n@gmail.com', 'john@googlemail.com']) {
      expect(decide(inputOf({ email }), allowing, NO_FACTS)).toMatchObject({ code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
    }
  });

  // Attack: a leading space slipped past the exact block list, and the address was then verified.
  it.each([
    ' spam@example.com',
    'spam @example.com',
    'sp am@example.com',
    '\u00a0spam@example.com',
    'spam\u3000@example.com',
  ])('reads %j as unreadable: refused under a list, never verified without one', (email) => {
    expect(decide(inputOf({ email }), blocking, NO_FACTS)).toMatchObject({ code: 'EMAIL_INVALID' });
    expect(decide(inputOf({ email }), configOf({}), NO_FACTS)).toMatchObject({
      outcome: 'accepted',
      flags: { autoVerifyEmail: false },
    });
  });

  // Review: `"spam"` and `spam(comment)` are the mailbox `spam`.
  it.each(['"spam"@example.com', '"spam+x"@example.com', '"j.o.h.n"@gmail.com'])(
    'blocks the quoted spelling %s',
    (email) => {
      expect(decide(inputOf({ email }), blocking, NO_FACTS)).toMatchObject({ code: 'EMAIL_BLOCKED' });
    },
  );

  it.each(['spam(comment)@example.com', '(c)spam@example.com'])('reads a comment in %s as unreadable', (email) => {
    expect(decide(inputOf({ email }), blocking, NO_FACTS)).toMatchObject({ code: 'EMAIL_INVALID' });
  });

  // Review: invisible code points that are neither controls nor format characters.
  it.each([
    'spam\u034f@example.com',
    'spam\ufe0f@example.com',
    'spam\u3164@example.com',
    'spam\u2800@example.com',
    'spam\u115f@example.com',
  ])('reads %j as unreadable', (email) => {
    expect(decide(inputOf({ email }), configOf({}), NO_FACTS)).toMatchObject({ flags: { autoVerifyEmail: false } });
  });

  it('compares a quoted local part that needs its quotes as it is', () => {
    const quoted = configOf({ BLOCKED_EMAILS: '"kim lee"@example.com' });
    expect(decide(inputOf({ email: '"kim lee"@example.com' }), quoted, NO_FACTS)).toMatchObject({
      code: 'EMAIL_BLOCKED',
    });
    expect(decide(inputOf({ email: '"kim  lee"@example.com' }), quoted, NO_FACTS)).toMatchObject({
      outcome: 'accepted',
    });
  });

  it('accepts white space inside a quoted local part', () => {
    expect(decide(inputOf({ email: '"kim lee"@example.com' }), configOf({}), NO_FACTS)).toMatchObject({
      flags: { autoVerifyEmail: true },
    });
  });
});

describe('federated sign-up × auto-verify', () => {
  const federated = (attributes: { emailVerified?: string; phoneVerified?: string }) =>
    inputOf({
      source: 'PreSignUp_ExternalProvider',
      userName: 'Facebook_1',
      email: 'kim@example.com',
      phone: '+15555550100',
      ...attributes,
    });

  it('verifies a federated email or phone only on the IdP’s word', () => {
    expect(decide(federated({}), configOf({}), NO_FACTS)).toMatchObject({
      flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(decide(federated({ emailVerified: 'false', phoneVerified: 'false' }), configOf({}), NO_FACTS)).toMatchObject(
      {
        flags: { autoVerifyEmail: false, autoVerifyPhone: false },
      },
    );
    expect(decide(federated({ emailVerified: 'true', phoneVerified: 'true' }), configOf({}), NO_FACTS)).toMatchObject({
      flags: { autoVerifyEmail: true, autoVerifyPhone: true },
    });
  });

  it('still verifies a self sign-up’s attributes as configured (no claim needed)', () => {
    expect(decide(inputOf({ email: 'kim@example.com', phone: '+15555550100' }), configOf({}), NO_FACTS)).toMatchObject({
      flags: { autoVerifyEmail: true, autoVerifyPhone: true },
    });
  });
});

describe('deny messages', () => {
  it.each([
    'Right\u202Eto left',
    'Zero\u200Bwidth',
    'Joiner\u200Dhere',
    'Word\u2060joiner',
    'Blank\u2800here',
    'Filler\u3164here',
    'Lone\ud800',
  ])('refuses a DENY_MESSAGE with a format character (%j)', (text) => {
    const { issues } = loadContainerConfig({ DENY_MESSAGE_EMAIL_BLOCKED: text }, { root: '/', read: () => '' }).loaded;
    expect(issues).toMatchObject([{ variable: 'DENY_MESSAGE_EMAIL_BLOCKED' }]);
  });
});
