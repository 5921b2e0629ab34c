import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FactGatherer } from '../../src/look-up/lazy/gather-facts.js';
import { type LocalServer, startDynalite } from '../../tools/local/servers.js';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { type CaptchaStandIn, STAND_IN_HOSTNAME, startCaptchaStandIn } from '../helpers/captcha-stand-in.js';
import { configOf, readInput } from '../helpers/fixtures.js';
import { createLocalTable } from '../helpers/local-table.js';

// The CAPTCHA and rate-limit lookups as the function runs them (gatherFacts, through the lookup
// descriptors), in this process: the CAPTCHA against the loopback stand-in, the counts on dynalite.

const SECRET = 'lookup-test-secret';
let standIn: CaptchaStandIn;
let dynalite: LocalServer;
let gatherFacts: FactGatherer;
let table = '';
const INVITES = 'lookup-invites';

beforeAll(async () => {
  [standIn, dynalite] = await Promise.all([startCaptchaStandIn(SECRET), startDynalite()]);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynalite.endpoint);
  const dynamo = new DynamoDBClient({
    endpoint: dynalite.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  table = 'lookup-counts';
  await createLocalTable(dynamo, table, 'pk');
  await createLocalTable(dynamo, INVITES, 'email', [
    { email: { S: 'once@example.com' }, code: { S: 'ONCE' }, maxUses: { N: '1' } },
    { email: { S: 'race@example.com' }, code: { S: 'RACE' }, maxUses: { N: '1' } },
    { email: { S: 'keep@example.com' }, code: { S: 'KEEP' }, maxUses: { N: '1' } },
  ]);
  dynamo.destroy();
  ({ gatherFacts } = await import('../../src/look-up/lazy/gather-facts.js'));
}, 30_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled([standIn.stop(), dynalite.stop()]);
});

const signUp = (fields: {
  userName: string;
  email?: string;
  phone?: string;
  token?: string;
  clientId?: string;
  inviteCode?: string;
}) =>
  readInput({
    userPoolId: 'us-east-1_lookups',
    userName: fields.userName,
    callerContext: { clientId: fields.clientId ?? 'app' },
    request: {
      userAttributes: { email: fields.email, phone_number: fields.phone },
      validationData: { captchaToken: fields.token, inviteCode: fields.inviteCode },
    },
  });

describe('the CAPTCHA lookup', () => {
  const captcha = (extra: Record<string, string> = {}) =>
    configOf({
      CAPTCHA: 'recaptcha',
      CAPTCHA_SECRET: SECRET,
      CAPTCHA_VERIFY_URL: standIn.urlFor('recaptcha'),
      CAPTCHA_MIN_SCORE: '0.5',
      CAPTCHA_HOSTNAMES: STAND_IN_HOSTNAME,
      CAPTCHA_ACTION: 'signup',
      ...extra,
    });

  it('passes a good token, refuses a low score, with the verdict the log shows', async () => {
    standIn.answer('good', { success: true, score: 0.9, hostname: STAND_IN_HOSTNAME, action: 'signup' });
    standIn.answer('bot', { success: true, score: 0.1, hostname: STAND_IN_HOSTNAME, action: 'signup' });
    const good = await gatherFacts(['captcha'], signUp({ userName: 'kim', token: 'good' }), captcha(), 2000);
    expect(good).toMatchObject({ facts: { captcha: { passed: true, score: 0.9 } }, failures: [] });
    const bot = await gatherFacts(['captcha'], signUp({ userName: 'bot', token: 'bot' }), captcha(), 2000);
    expect(bot.facts.captcha).toMatchObject({ passed: false, reason: 'low-score' });
  });

  it('reports an unreachable provider as a transient failure, and a refused secret with its fix', async () => {
    standIn.answer('down', { status: 503, body: 'unavailable' });
    const down = await gatherFacts(['captcha'], signUp({ userName: 'a', token: 'down' }), captcha(), 2000);
    expect(down.failures).toMatchObject([
      { lookup: 'captcha', error: 'CaptchaUnavailableError', kind: 'transient-failure' },
    ]);
    const wrongSecret = configOf({
      CAPTCHA: 'recaptcha',
      CAPTCHA_SECRET: 'wrong',
      CAPTCHA_VERIFY_URL: standIn.urlFor('recaptcha'),
    });
    const refused = await gatherFacts(['captcha'], signUp({ userName: 'b', token: 'any' }), wrongSecret, 2000);
    expect(refused.failures).toMatchObject([
      {
        error: 'CaptchaSecretRejectedError',
        kind: 'permanent-failure',
        fix: expect.stringContaining('CAPTCHA_SECRET'),
      },
    ]);
  });

  it('answers a sign-up without a token as refused, asking nothing', async () => {
    const before = standIn.requests.length;
    const gathered = await gatherFacts(['captcha'], signUp({ userName: 'c' }), captcha(), 2000);
    expect(gathered.facts.captcha).toMatchObject({ passed: false });
    expect(standIn.requests.length).toBe(before);
  });
});

describe('the rate-limit lookup', () => {
  const limited = (limits: string) => configOf({ RATE_LIMITS: limits, RATE_LIMIT_TABLE: table });

  it('counts by email domain, phone country and app client, and names the limit that fired', async () => {
    const config = limited('email-domain:1/h, phone-country:5/h, client:5/h');
    const first = await gatherFacts(
      ['rateLimit'],
      signUp({ userName: 'u1', email: 'a@count.example', phone: '+447700900001' }),
      config,
      2000,
    );
    expect(first).toMatchObject({ facts: { rateLimit: { exceeded: undefined } }, failures: [] });
    const second = await gatherFacts(['rateLimit'], signUp({ userName: 'u2', email: 'b@count.example' }), config, 2000);
    expect(second.facts.rateLimit).toEqual({ exceeded: 'email-domain:1/h' });
  });

  it('counts unreadable emails and numbers of no known country together, not apart', async () => {
    const config = limited('email-domain:1/h, phone-country:1/h');
    await gatherFacts(['rateLimit'], signUp({ userName: 'x1', email: 'a@odd%2eexample' }), config, 2000);
    const again = await gatherFacts(
      ['rateLimit'],
      signUp({ userName: 'x2', email: 'b@other%2eexample' }),
      config,
      2000,
    );
    expect(again.facts.rateLimit).toEqual({ exceeded: 'email-domain:1/h' });
    await gatherFacts(['rateLimit'], signUp({ userName: 'y1', phone: '+999123' }), config, 2000);
    const phone = await gatherFacts(['rateLimit'], signUp({ userName: 'y2', phone: '+999456' }), config, 2000);
    expect(phone.facts.rateLimit).toEqual({ exceeded: 'phone-country:1/h' });
  });

  it('names the fix for a missing table, and needs a user pool', async () => {
    const missing = configOf({ RATE_LIMITS: 'pool:5/h', RATE_LIMIT_TABLE: 'no-such-table' });
    const gathered = await gatherFacts(['rateLimit'], signUp({ userName: 'z' }), missing, 2000);
    expect(gathered.failures).toMatchObject([
      {
        lookup: 'rateLimit',
        error: 'ResourceNotFoundException',
        kind: 'permanent-failure',
        fix: expect.stringContaining('RATE_LIMIT_TABLE does not exist'),
      },
    ]);
    const withoutPool = { ...signUp({ userName: 'z' }), userPoolId: undefined };
    const noPool = await gatherFacts(['rateLimit'], withoutPool, limited('pool:5/h'), 2000);
    expect(noPool.failures).toMatchObject([
      { error: 'NoUserPoolIdError', fix: expect.stringContaining('RATE_LIMITS') },
    ]);
  });
});

// SEAMS, dry run × anything consumed: a dry run decides as for real, so it spends what a check
// spends (docs/invitations.md and docs/settings.md say so). Here, an invitation use.
describe('DRY_RUN and an invitation with maxUses', () => {
  it('spends the use as a real sign-up would, so the next user gets INVITE_USED', async () => {
    const config = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: INVITES, DRY_RUN: 'true' });
    const first = signUp({ userName: 'dry-1', email: 'once@example.com', inviteCode: 'ONCE' });
    expect((await gatherFacts(['invitation'], first, config, 2000)).facts).toEqual({
      invitation: { proven: 'code', spendsUse: true },
    });
    expect((await gatherFacts(['invitationUse'], first, config, 2000)).facts).toEqual({ invitationUse: 'spent' });
    const second = signUp({ userName: 'dry-2', email: 'once@example.com', inviteCode: 'ONCE' });
    expect((await gatherFacts(['invitation'], second, config, 2000)).facts).toEqual({ invitation: 'used' });
  });
});

// Attacker's reviews (#29): concurrent sign-ups with one single-use code were counted by the
// velocity limits before they lost the use, and could fill a limit. The use is now spent first (the
// losers are refused before any count), and a sign-up a limit refuses after spending a use gives it back.
describe('an invitation use and the velocity limits', () => {
  it('gives back the use of a sign-up the limits refuse, so that the next invitee can have it', async () => {
    const config = configOf({
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: INVITES,
      RATE_LIMITS: 'client:1/h',
      RATE_LIMIT_TABLE: table,
    });
    const filler = signUp({ userName: 'filler', email: 'filler@example.com', clientId: 'race-client' });
    expect((await gatherFacts(['rateLimit'], filler, config, 2000)).facts).toEqual({
      rateLimit: { exceeded: undefined },
    });
    const first = signUp({
      userName: 'race-1',
      email: 'race@example.com',
      inviteCode: 'RACE',
      clientId: 'race-client',
    });
    expect((await gatherFacts(['invitation'], first, config, 2000)).facts).toEqual({
      invitation: { proven: 'code', spendsUse: true },
    });
    expect((await gatherFacts(['invitationUse'], first, config, 2000)).facts).toEqual({ invitationUse: 'spent' });
    const limited = await gatherFacts(['rateLimit'], first, config, 2000);
    expect(limited).toMatchObject({ facts: { rateLimit: { exceeded: 'client:1/h' } }, warnings: [] });
    // A refused sign-up that spent no use (no row for its address) asks nothing back, and is not warned about.
    const unused = signUp({ userName: 'race-x', email: 'nobody@example.com', clientId: 'race-client' });
    expect(await gatherFacts(['rateLimit'], unused, config, 2000)).toMatchObject({
      facts: { rateLimit: { exceeded: 'client:1/h' } },
      warnings: [],
    });
    // The use is free again: another invitee with the code finds one due, not INVITE_USED.
    const second = signUp({ userName: 'race-2', email: 'race@example.com', inviteCode: 'RACE', clientId: 'other' });
    expect((await gatherFacts(['invitation'], second, config, 2000)).facts).toEqual({
      invitation: { proven: 'code', spendsUse: true },
    });
    expect((await gatherFacts(['invitationUse'], second, config, 2000)).facts).toEqual({ invitationUse: 'spent' });
  });

  // A log-only limit lets the sign-up through, and Cognito creates it: its use stays spent.
  it('keeps the use of a sign-up over a log-only limit, which is admitted', async () => {
    const config = configOf({
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: INVITES,
      RATE_LIMITS: 'client:1/h',
      RATE_LIMIT_TABLE: table,
      LOG_ONLY_RULES: 'RATE_LIMITS',
    });
    const filler = signUp({ userName: 'keep-filler', email: 'keep-filler@example.com', clientId: 'keep-client' });
    expect((await gatherFacts(['rateLimit'], filler, config, 2000)).facts).toEqual({
      rateLimit: { exceeded: undefined },
    });
    const first = signUp({
      userName: 'keep-1',
      email: 'keep@example.com',
      inviteCode: 'KEEP',
      clientId: 'keep-client',
    });
    expect((await gatherFacts(['invitation'], first, config, 2000)).facts).toEqual({
      invitation: { proven: 'code', spendsUse: true },
    });
    expect((await gatherFacts(['invitationUse'], first, config, 2000)).facts).toEqual({ invitationUse: 'spent' });
    expect(await gatherFacts(['rateLimit'], first, config, 2000)).toMatchObject({
      facts: { rateLimit: { exceeded: 'client:1/h' } },
      warnings: [],
    });
    // Not given back: another sign-up with the code finds the invitation used.
    const second = signUp({ userName: 'keep-2', email: 'keep@example.com', inviteCode: 'KEEP', clientId: 'other' });
    expect((await gatherFacts(['invitation'], second, config, 2000)).facts).toEqual({ invitation: 'used' });
    // Enforced, the same limit gives a use back (the test above): the difference is LOG_ONLY_RULES alone.
  });

  it('warns when the use cannot be given back, and gives none back where no use was spent', async () => {
    const config = configOf({
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: 'no-such-invitations',
      RATE_LIMITS: 'client:1/h',
      RATE_LIMIT_TABLE: table,
    });
    const filler = signUp({ userName: 'gb-filler', email: 'gb-filler@example.com', clientId: 'giveback-client' });
    expect((await gatherFacts(['rateLimit'], filler, config, 2000)).facts).toEqual({
      rateLimit: { exceeded: undefined },
    });
    const limited = signUp({ userName: 'gb-1', email: 'gb-1@example.com', clientId: 'giveback-client' });
    const refused = await gatherFacts(['rateLimit'], limited, config, 2000);
    expect(refused.facts).toEqual({ rateLimit: { exceeded: 'client:1/h' } });
    expect(refused.warnings).toEqual([expect.stringContaining('An invitation use could not be given back')]);
    // No email, or no userName: no use can have been spent under them, and nothing is asked of the table.
    for (const input of [
      signUp({ userName: 'gb-2', phone: '+15555550100', clientId: 'giveback-client' }),
      readInput({
        userPoolId: 'us-east-1_lookups',
        callerContext: { clientId: 'giveback-client' },
        request: { userAttributes: { email: 'gb-3@example.com' } },
      }),
    ]) {
      const answer = await gatherFacts(['rateLimit'], input, config, 2000);
      expect(answer).toMatchObject({ facts: { rateLimit: { exceeded: 'client:1/h' } }, warnings: [] });
    }
  });
});
