import { describe, expect, it } from 'vitest';
import { containerConfigWithDocument } from '../../src/config/document-config.js';
import { decide } from '../../src/decide/decide.js';
import { NO_FACTS } from '../../src/model/facts.js';
import { BOOLEAN_SETTINGS, SETTING_REGISTRY } from '../../src/config/settings.js';
import { inputOf } from '../helpers/fixtures.js';
import { sampleOf } from '../helpers/setting-samples.js';

/** The configuration of app client `app` under a document (and an environment). */
function forClient(document: object, env: Record<string, string> = {}) {
  const configuration = containerConfigWithDocument(env, JSON.stringify(document), 'RULES_FILE');
  return { ...configuration, client: configuration.byClient.get('app') };
}

/** The warnings about clients (not, say, #25's alias warning of the top level). */
const clientWarnings = (document: object) => forClient(document).clientWarnings;

const refusedThroughClient = (document: object, email: string, env: Record<string, string> = {}) => {
  const { client } = forClient(document, env);
  if (client === undefined || client.issues.length > 0) throw new Error(JSON.stringify(client?.issues));
  return decide(inputOf({ email }), client.config, NO_FACTS);
};

describe('client overrides never loosen a block', () => {
  // Attack: an app client id is public; a client's empty block list admitted what the top level blocks.
  it.each([
    ['an empty list', []],
    ['another list', ['other.example']],
  ])('keeps the top level’s BLOCKED_EMAIL_DOMAINS under a client that gives %s', (_, override) => {
    const document = { BLOCKED_EMAIL_DOMAINS: ['evil.example'], clients: { app: { BLOCKED_EMAIL_DOMAINS: override } } };
    expect(refusedThroughClient(document, 'x@evil.example')).toMatchObject({ code: 'EMAIL_DOMAIN_BLOCKED' });
  });

  it('refuses a client’s block list given as text instead of a list', () => {
    const { loaded } = forClient({
      BLOCKED_EMAIL_DOMAINS: ['evil.example'],
      clients: { app: { BLOCKED_EMAIL_DOMAINS: '' } },
    });
    expect(loaded.issues).toMatchObject([
      { variable: 'RULES_FILE: clients.app: BLOCKED_EMAIL_DOMAINS', kind: 'document' },
    ]);
  });

  it('adds a client’s blocks to the top level’s, for addresses and phone prefixes too', () => {
    const document = {
      BLOCKED_EMAILS: ['spam@example.com'],
      BLOCKED_PHONE_PREFIXES: ['+7'],
      clients: { app: { BLOCKED_EMAILS: ['other@example.com'], BLOCKED_PHONE_PREFIXES: [] } },
    };
    expect(refusedThroughClient(document, 'spam@example.com')).toMatchObject({ code: 'EMAIL_BLOCKED' });
    expect(refusedThroughClient(document, 'other@example.com')).toMatchObject({ code: 'EMAIL_BLOCKED' });
    const { client } = forClient(document);
    expect(decide(inputOf({ phone: '+79990001122' }), client?.config ?? ({} as never), NO_FACTS)).toMatchObject({
      code: 'PHONE_BLOCKED',
    });
  });

  it('keeps a block set in the environment under a client that empties it', () => {
    const document = { clients: { app: { BLOCKED_EMAIL_DOMAINS: [] } } };
    expect(refusedThroughClient(document, 'x@evil.example', { BLOCKED_EMAIL_DOMAINS: 'evil.example' })).toMatchObject({
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('refuses a client that turns BLOCK_DISPOSABLE_EMAILS off under a top level that turns it on', () => {
    const { loaded } = forClient({
      BLOCK_DISPOSABLE_EMAILS: true,
      clients: { app: { BLOCK_DISPOSABLE_EMAILS: false } },
    });
    expect(loaded.issues).toMatchObject([
      {
        variable: 'RULES_FILE: clients.app.BLOCK_DISPOSABLE_EMAILS',
        expected: expect.stringContaining('stricter, never looser'),
        kind: 'combination',
      },
    ]);
    // Turning it on for one client is adding a block: fine.
    expect(forClient({ clients: { app: { BLOCK_DISPOSABLE_EMAILS: true } } }).loaded.issues).toEqual([]);
  });
});

describe('client overrides that admit more', () => {
  // Review: a blank-only list is an unset list, which lifts the top level's allow list.
  it.each([[['']], [[' ']]])('warns of an allow list emptied with %j', (blank) => {
    expect(
      clientWarnings({ ALLOWED_EMAIL_DOMAINS: ['corp.example'], clients: { app: { ALLOWED_EMAIL_DOMAINS: blank } } }),
    ).toEqual([expect.stringContaining('through ALLOWED_EMAIL_DOMAINS')]);
  });

  // Review: a dry run refuses nobody, so one client in a dry run lifts every block for anyone who picks it.
  it('refuses a client that turns DRY_RUN on, and lets one turn it off', () => {
    expect(forClient({ clients: { app: { DRY_RUN: true } } }).loaded.issues).toMatchObject([
      { variable: 'RULES_FILE: clients.app.DRY_RUN', kind: 'combination' },
    ]);
    expect(forClient({ DRY_RUN: true, clients: { app: { DRY_RUN: false } } }).loaded.issues).toEqual([]);
  });

  it.each([
    [{ AUTO_CONFIRM: false }, { AUTO_CONFIRM: true }, 'AUTO_CONFIRM'],
    [{ INVITE_REQUIRED: true, INVITE_TABLE: 'invites' }, { INVITE_REQUIRED: false }, 'INVITE_REQUIRED'],
    [
      { ALLOWED_EMAIL_DOMAINS: ['example.com'] },
      { ALLOWED_EMAIL_DOMAINS: ['example.com', 'other.example'] },
      'ALLOWED_EMAIL_DOMAINS',
    ],
    [{ ALLOWED_EMAIL_DOMAINS: ['example.com'] }, { ALLOWED_EMAIL_DOMAINS: [] }, 'ALLOWED_EMAIL_DOMAINS'],
    [{ ALLOWED_EMAILS: ['kim@example.com'] }, { ALLOWED_EMAILS: ['lee@example.com'] }, 'ALLOWED_EMAILS'],
    [{ ALLOWED_EMAIL_DOMAINS: ['corp.example'] }, { ALLOWED_EMAILS: [] }, 'ALLOWED_EMAILS'],
    // Attacker's review (#29): the two allow lists admit together, so one kind widens the other.
    [{ ALLOWED_EMAILS: ['kim@example.com'] }, { ALLOWED_EMAIL_DOMAINS: ['example.com'] }, 'ALLOWED_EMAIL_DOMAINS'],
    [{ ALLOWED_EMAIL_DOMAINS: ['corp.example'] }, { ALLOWED_EMAILS: ['eve@evil.test'] }, 'ALLOWED_EMAILS'],
    [{ ALLOWED_PHONE_PREFIXES: ['+44'] }, { ALLOWED_PHONE_PREFIXES: ['+1'] }, 'ALLOWED_PHONE_PREFIXES'],
    [
      { AUTO_CONFIRM_EMAIL_DOMAINS: ['corp.example'] },
      { AUTO_CONFIRM_EMAIL_DOMAINS: ['other.example'] },
      'AUTO_CONFIRM_EMAIL_DOMAINS',
    ],
    [{ AUTO_VERIFY_PHONE: false }, { AUTO_VERIFY_PHONE: true }, 'AUTO_VERIFY_PHONE'],
    [{ EMAIL_SUBADDRESSES: 'block' }, { EMAIL_SUBADDRESSES: 'allow' }, 'EMAIL_SUBADDRESSES'],
    [{ MIN_USERNAME_LENGTH: 5 }, { MIN_USERNAME_LENGTH: 2 }, 'MIN_USERNAME_LENGTH'],
    [{ EXISTING_ACCOUNT_POLICY: 'deny' }, { EXISTING_ACCOUNT_POLICY: 'no-verify' }, 'EXISTING_ACCOUNT_POLICY'],
    [{}, { FAIL_OPEN: true }, 'FAIL_OPEN'],
    // Review: where a check is made, or with what secret, is the check itself.
    [{ INVITE_REQUIRED: true, INVITE_TABLE: 'invites' }, { INVITE_MATCH: 'email' }, 'INVITE_MATCH'],
    [
      { INVITE_REQUIRED: true, INVITE_TABLE: 'invites', INVITE_MATCH: 'email' },
      { INVITE_MATCH: 'code-or-email' },
      'INVITE_MATCH',
    ],
    [
      { INVITE_REQUIRED: true, INVITE_TABLE: 'invites', INVITE_MATCH: 'email' },
      { INVITE_MATCH: 'code' },
      'INVITE_MATCH',
    ],
    [{ INVITE_REQUIRED: true, INVITE_TABLE: 'invites' }, { INVITE_TABLE: 'other' }, 'INVITE_TABLE'],
    [{ RATE_LIMITS: ['pool:2/h'], RATE_LIMIT_TABLE: 'counts' }, { RATE_LIMIT_TABLE: 'fresh' }, 'RATE_LIMIT_TABLE'],
    [{ CAPTCHA: 'turnstile', CAPTCHA_SECRET: 'live' }, { CAPTCHA_SECRET: 'test-key' }, 'CAPTCHA_SECRET'],
    [
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' },
      { CAPTCHA_VERIFY_URL: 'https://other.example/v' },
      'CAPTCHA_VERIFY_URL',
    ],
    [
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's', CAPTCHA_HOSTNAMES: ['app.example.com'] },
      { CAPTCHA_HOSTNAMES: [] },
      'CAPTCHA_HOSTNAMES',
    ],
    [
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's', CAPTCHA_HOSTNAMES: ['a.example.com'] },
      { CAPTCHA_HOSTNAMES: ['a.example.com', 'evil.example.net'] },
      'CAPTCHA_HOSTNAMES',
    ],
    [{ CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' }, { CAPTCHA: '' }, 'CAPTCHA'],
    [{ AUTO_VERIFY_EMAIL: false }, { AUTO_VERIFY_EMAIL: true }, 'AUTO_VERIFY_EMAIL'],
    [{ INVITE_REQUIRED: true, INVITE_SECRET: 'x'.repeat(40) }, { INVITE_SECRET: 'y'.repeat(40) }, 'INVITE_SECRET'],
    [
      { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's', CAPTCHA_MIN_SCORE: 0.7 },
      { CAPTCHA_MIN_SCORE: 0.3 },
      'CAPTCHA_MIN_SCORE',
    ],
    [{ CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's', CAPTCHA_ACTION: 'signup' }, { CAPTCHA_ACTION: '' }, 'CAPTCHA_ACTION'],
    [{ RATE_LIMITS: ['pool:10/h'], RATE_LIMIT_TABLE: 'counts' }, { RATE_LIMITS: ['pool:20/h'] }, 'RATE_LIMITS'],
    [
      { INVITE_REQUIRED: true, INVITE_SECRET_PARAMETER: '/a' },
      { INVITE_SECRET_PARAMETER: '/b' },
      'INVITE_SECRET_PARAMETER',
    ],
    [
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET_PARAMETER: '/a' },
      { CAPTCHA_SECRET_PARAMETER: '/b' },
      'CAPTCHA_SECRET_PARAMETER',
    ],
  ])('allows %j → %j but warns that the client admits more through %s', (top, client, setting) => {
    const { loaded, clientWarnings: warnings } = forClient({ ...top, clients: { app: client } });
    expect(loaded.issues).toEqual([]);
    expect(loaded.warnings).toEqual(expect.arrayContaining([...warnings]));
    expect(warnings).toEqual([
      `clients.app admits more than the top level through ${setting}: app client ids are public, so anyone can sign up through this client; per-client rules are not an access boundary`,
    ]);
  });

  it.each([
    [{ ALLOWED_EMAIL_DOMAINS: ['*.example.com'] }, { ALLOWED_EMAIL_DOMAINS: ['a.example.com', '*.b.example.com'] }],
    [{ ALLOWED_PHONE_PREFIXES: ['+44'] }, { ALLOWED_PHONE_PREFIXES: ['+447'] }],
    [{ ALLOWED_EMAILS: ['kim@example.com', 'lee@example.com'] }, { ALLOWED_EMAILS: ['Kim@Example.com'] }],
    [{ ALLOWED_EMAIL_DOMAINS: ['corp.example'] }, { ALLOWED_EMAILS: ['kim@corp.example'] }],
    [{ ALLOWED_EMAIL_DOMAINS: ['*.corp.example'] }, { ALLOWED_EMAILS: ['kim@eu.corp.example'] }],
    [{ AUTO_CONFIRM: true }, { AUTO_CONFIRM: false }],
    [{ MIN_USERNAME_LENGTH: 2 }, { MIN_USERNAME_LENGTH: 5 }],
    [{ RATE_LIMITS: ['pool:10/h'], RATE_LIMIT_TABLE: 'counts' }, { RATE_LIMITS: ['pool:5/h', 'client:2/h'] }],
    [{ CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's', CAPTCHA_MIN_SCORE: 0.5 }, { CAPTCHA_MIN_SCORE: 0.8 }],
    [{ ALLOWED_EMAIL_DOMAINS: ['example.com'] }, { ALLOWED_EMAIL_DOMAINS: ['example.com'] }],
    [
      { CAPTCHA: 'recaptcha', CAPTCHA_SECRET: 's' },
      { CAPTCHA_MIN_SCORE: 0.5, CAPTCHA_HOSTNAMES: ['app.example.com'] },
    ],
    [{ INVITE_REQUIRED: true, INVITE_TABLE: 'invites' }, { INVITE_TABLE: 'invites' }],
    // Narrowing what counts as an invitation admits fewer.
    [{ INVITE_REQUIRED: true, INVITE_TABLE: 'invites', INVITE_MATCH: 'code-or-email' }, { INVITE_MATCH: 'code' }],
    [{ INVITE_REQUIRED: true, INVITE_TABLE: 'invites', INVITE_MATCH: 'code-or-email' }, { INVITE_MATCH: 'email' }],
    [{ DRY_RUN: true }, { DRY_RUN: false }],
    [
      { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's', CAPTCHA_HOSTNAMES: ['a.example.com', 'b.example.com'] },
      { CAPTCHA_HOSTNAMES: ['a.example.com'] },
    ],
  ])('says nothing of a client that narrows %j to %j', (top, client) => {
    expect(clientWarnings({ ...top, clients: { app: client } })).toEqual([]);
  });
});

describe('a broken top level', () => {
  // Review (high): the top level's own problems did not reach a client that overrides the setting.
  it('refuses every client when the top level links while verifying, whatever the clients override', () => {
    const document = {
      LINK_FEDERATED_USERS: ['Google'],
      clients: { a: { LINK_FEDERATED_USERS: [] }, hosted: { AUTO_VERIFY_EMAIL: false } },
    };
    const configuration = containerConfigWithDocument(
      { EXISTING_ACCOUNT_POLICY: 'ignore' },
      JSON.stringify(document),
      'RULES_FILE',
    );
    for (const loaded of [configuration.loaded, ...configuration.byClient.values()]) {
      expect(loaded.issues.map((issue) => issue.variable)).toContain('LINK_FEDERATED_USERS');
    }
  });

  it('refuses a client that overrides a setting the top level gets wrong', () => {
    const configuration = containerConfigWithDocument(
      { BLOCK_DISPOSABLE_EMAILS: 'yes' },
      JSON.stringify({ clients: { cli: { BLOCK_DISPOSABLE_EMAILS: false } } }),
      'RULES_FILE',
    );
    expect(configuration.byClient.get('cli')?.issues.map((issue) => issue.variable)).toContain(
      'BLOCK_DISPOSABLE_EMAILS',
    );
    // Listed once, though the client's own reading finds the same problem.
    const { issues } = containerConfigWithDocument(
      { AUTO_CONFIRM: 'yes' },
      '{"clients":{"x":{}}}',
      'RULES_FILE',
    ).byClient.get('x') ?? { issues: [] };
    expect(issues.filter((issue) => issue.variable === 'AUTO_CONFIRM')).toHaveLength(1);
  });
});

describe('linking across app clients', () => {
  // Attack: a native sign-up through any client can receive a federated sign-in linked through another.
  it('refuses linking at the top level while a client verifies self sign-ups’ emails without a code', () => {
    const { loaded } = forClient({
      LINK_FEDERATED_USERS: ['Google'],
      AUTO_VERIFY_EMAIL: false,
      clients: { app: { AUTO_VERIFY_EMAIL: true } },
    });
    expect(loaded.issues.map((issue) => issue.variable)).toEqual(['RULES_FILE: clients.app.LINK_FEDERATED_USERS']);
  });

  it('refuses linking in one client while the top level verifies without a code', () => {
    const { loaded } = forClient({ clients: { app: { LINK_FEDERATED_USERS: ['Google'], AUTO_VERIFY_EMAIL: false } } });
    expect(loaded.issues).toMatchObject([
      {
        variable: 'LINK_FEDERATED_USERS',
        received: expect.stringContaining('the top level verifies'),
        expected: expect.stringContaining('account takeover'),
        kind: 'combination',
      },
    ]);
  });

  it('names the clients that verify, a few of them, when another configuration links', () => {
    const verifying = { LINK_FEDERATED_USERS: [], AUTO_VERIFY_EMAIL: true };
    const one = forClient({ LINK_FEDERATED_USERS: ['Google'], AUTO_VERIFY_EMAIL: false, clients: { a: verifying } });
    expect(one.loaded.issues).toMatchObject([{ received: expect.stringContaining('clients.a verifies') }]);
    const many = forClient({
      LINK_FEDERATED_USERS: ['Google'],
      AUTO_VERIFY_EMAIL: false,
      clients: { a: verifying, b: verifying, c: verifying, d: verifying },
    });
    expect(many.loaded.issues).toMatchObject([{ received: expect.stringContaining('and 1 more verify') }]);
  });

  it('accepts linking when no configuration verifies emails without a code', () => {
    const valid = forClient({ LINK_FEDERATED_USERS: ['Google'], AUTO_VERIFY_EMAIL: false, clients: { app: {} } });
    expect(valid.loaded.issues).toEqual([]);
    // AUTO_CONFIRM false verifies nothing either.
    expect(forClient({ LINK_FEDERATED_USERS: ['Google'], AUTO_CONFIRM: false }).loaded.issues).toEqual([]);
  });

  it('refuses linking while AUTO_CONFIRM_EMAIL_DOMAINS confirms and verifies some emails', () => {
    const { loaded } = forClient({ LINK_FEDERATED_USERS: ['Google'], AUTO_CONFIRM_EMAIL_DOMAINS: ['corp.example'] });
    expect(loaded.issues.map((issue) => issue.variable)).toEqual(['LINK_FEDERATED_USERS']);
  });
});

// A boolean's loosening comes from its registry entry (`stricter`), so a new boolean setting is
// covered here without an entry of its own: a client's looser value, where the top level has the
// stricter one, is refused under `no-loosening` and warned about under `replace`; the stricter value
// is neither. (What else a setting needs to be read, as INVITE_REQUIRED its table, comes from its sample.)
describe('a client’s value of each boolean setting', () => {
  const booleans = BOOLEAN_SETTINGS.flatMap((name) => {
    const entry = SETTING_REGISTRY[name];
    return entry.stricter === 'neither' ? [] : [[name, entry] as const];
  });

  it.each(booleans)('%s: looser than the top level’s is caught, stricter is not', (name, entry) => {
    const strict = entry.stricter === 'true';
    const companions = Object.fromEntries(Object.entries(sampleOf(name).with ?? {}));
    const looser = forClient({ ...companions, [name]: strict, clients: { app: { [name]: !strict } } });
    const stricter = forClient({ ...companions, [name]: !strict, clients: { app: { [name]: strict } } });
    if (entry.override === 'no-loosening') {
      expect(looser.loaded.issues).toMatchObject([
        { variable: `RULES_FILE: clients.app.${name}`, kind: 'combination' },
      ]);
    } else {
      expect(looser.loaded.issues).toEqual([]);
      expect(looser.clientWarnings).toEqual([expect.stringContaining(`through ${name}`)]);
    }
    expect(stricter.loaded.issues).toEqual([]);
    expect(stricter.clientWarnings).toEqual([]);
  });

  it('are some of each kind', () => {
    expect(booleans.map(([, entry]) => entry.override).sort()).toEqual(
      expect.arrayContaining(['no-loosening', 'replace']),
    );
  });
});
