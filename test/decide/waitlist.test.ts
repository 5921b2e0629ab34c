import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import { type Facts, NO_FACTS } from '../../src/model/facts.js';
import { configOf, inputOf, issuesOf, readInput } from '../helpers/fixtures.js';
import { loadConfig } from '../../src/config/load-config.js';
import { containerConfigWithDocument } from '../../src/config/document-config.js';

const BY_EMAIL = { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_MATCH: 'code-or-email' };
const WAITLIST = configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist' });
const BY_CODE = configOf({ INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40), WAITLIST_TABLE: 'waitlist' });
const refused = (code: string, rule: string) => ({ outcome: 'refused', code, rule });

describe('the waitlist', () => {
  it('records an uninvited sign-up, then refuses it with WAITLISTED, whatever the record says', () => {
    const input = inputOf({ email: 'kim@example.com' });
    expect(decide(input, WAITLIST, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['invitation'] });
    const none: Facts = { invitation: 'none' };
    expect(decide(input, WAITLIST, none)).toEqual({ outcome: 'needs-facts', facts: ['waitlist'] });
    for (const waitlist of ['recorded', 'retry', 'dry-run'] as const) {
      expect(decide(input, WAITLIST, { ...none, waitlist })).toEqual(refused('WAITLISTED', 'WAITLIST_TABLE'));
    }
  });

  it('takes a sign-up without a code under INVITE_MATCH=code before any lookup', () => {
    expect(decide(inputOf({ email: 'kim@example.com' }), BY_CODE, NO_FACTS)).toEqual({
      outcome: 'needs-facts',
      facts: ['waitlist'],
    });
  });

  it.each(['transient-failure', 'permanent-failure'] as const)(
    'refuses with SERVICE_UNAVAILABLE when the record failed (%s), even with FAIL_OPEN: never admits',
    (failure) => {
      const open = configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', FAIL_OPEN: 'true' });
      const facts: Facts = { invitation: 'none', waitlist: failure };
      expect(decide(inputOf({ email: 'kim@example.com' }), open, facts)).toEqual(
        refused('SERVICE_UNAVAILABLE', 'WAITLIST_TABLE'),
      );
    },
  );

  it('leaves a wrong code, a used invitation and an invited address to the invitation rule', () => {
    const coded = inputOf({ email: 'kim@example.com', inviteCode: 'GUESS' });
    expect(decide(coded, WAITLIST, { invitation: 'none' })).toEqual(refused('INVITE_INVALID', 'INVITE_REQUIRED'));
    expect(decide(coded, WAITLIST, { invitation: 'used' })).toEqual(refused('INVITE_USED', 'INVITE_REQUIRED'));
    const input = inputOf({ email: 'kim@example.com' });
    expect(decide(input, WAITLIST, { invitation: { proven: 'address', spendsUse: false } })).toMatchObject({
      outcome: 'accepted',
    });
  });

  it('answers a self sign-up whose address was invited and its uses spent as any other, WAITLISTED, and records nothing (F9)', () => {
    const input = inputOf({ email: 'kim@example.com' });
    // An outsider typing the address learns nothing: the answer of an address never invited, the
    // rule (INVITE_REQUIRED, not WAITLIST_TABLE) telling the operator that nothing was recorded.
    expect(decide(input, WAITLIST, { invitation: 'used' })).toEqual(refused('WAITLISTED', 'INVITE_REQUIRED'));
    // Without the waitlist, and for the invited person's own federated sign-in, the answer is as before.
    const without = configOf(BY_EMAIL);
    expect(decide(input, without, { invitation: 'used' })).toEqual(refused('INVITE_USED', 'INVITE_REQUIRED'));
    const federated = readInput({
      triggerSource: 'PreSignUp_ExternalProvider',
      userName: 'Google_1',
      request: { userAttributes: { email: 'kim@example.com', email_verified: 'true' } },
    });
    expect(decide(federated, WAITLIST, { invitation: 'used' })).toEqual(refused('INVITE_USED', 'INVITE_REQUIRED'));
  });

  it('leaves a sign-up with no address, and a federated email the IdP did not vouch for, to INVITE_REQUIRED', () => {
    expect(decide(inputOf({ phone: '+15555550100' }), WAITLIST, NO_FACTS)).toEqual(
      refused('INVITE_REQUIRED', 'INVITE_REQUIRED'),
    );
    const federated = inputOf({ source: 'PreSignUp_ExternalProvider', userName: 'Google_1', email: 'kim@example.com' });
    expect(decide(federated, WAITLIST, NO_FACTS)).toEqual(refused('INVITE_REQUIRED', 'INVITE_MATCH'));
  });

  it('takes a federated first sign-in the IdP vouched for and no invitation admits', () => {
    const federated = inputOf({
      source: 'PreSignUp_ExternalProvider',
      userName: 'Google_1',
      email: 'kim@example.com',
      emailVerified: 'true',
    });
    expect(decide(federated, WAITLIST, { invitation: 'none', waitlist: 'recorded' })).toEqual(
      refused('WAITLISTED', 'WAITLIST_TABLE'),
    );
  });

  it('refuses an unreadable address with EMAIL_INVALID under WAITLIST_TABLE: there is nothing to record', () => {
    expect(decide(inputOf({ email: 'kim@ex%61mple.com' }), BY_CODE, NO_FACTS)).toEqual(
      refused('EMAIL_INVALID', 'WAITLIST_TABLE'),
    );
  });

  it('does not judge AdminCreateUser, which is itself the invitation', () => {
    const input = inputOf({ source: 'PreSignUp_AdminCreateUser', email: 'kim@example.com' });
    expect(decide(input, BY_CODE, NO_FACTS)).toEqual({ outcome: 'unchanged', rule: 'AdminCreateUser' });
  });

  it('comes before the account guard: an uninvited sign-up learns nothing of an account', () => {
    const guarded = configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', EXISTING_ACCOUNT_POLICY: 'deny' });
    const facts: Facts = { invitation: 'none', existingAccountForEmail: true, waitlist: 'recorded' };
    expect(decide(inputOf({ email: 'kim@example.com' }), guarded, facts)).toEqual(
      refused('WAITLISTED', 'WAITLIST_TABLE'),
    );
    // Invited, the same address meets the guard.
    const invited: Facts = { invitation: { proven: 'address', spendsUse: false }, existingAccountForEmail: true };
    expect(decide(inputOf({ email: 'kim@example.com' }), guarded, invited)).toEqual(
      refused('ACCOUNT_EXISTS', 'EXISTING_ACCOUNT_POLICY'),
    );
  });

  it('comes after the rules that refuse for another reason: nothing is asked of the waitlist', () => {
    const blocked = configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', BLOCKED_EMAIL_DOMAINS: 'spam.example' });
    expect(decide(inputOf({ email: 'bot@spam.example' }), blocked, NO_FACTS)).toEqual(
      refused('EMAIL_DOMAIN_BLOCKED', 'BLOCKED_EMAIL_DOMAINS'),
    );
    const captcha = configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' });
    expect(decide(inputOf({ email: 'bot@example.com' }), captcha, { invitation: 'none' })).toEqual(
      refused('CAPTCHA_REQUIRED', 'CAPTCHA'),
    );
  });
});

describe('the waitlist beside the lookups that spend', () => {
  it('waits for the CAPTCHA verdict before writing, and is never counted against RATE_LIMITS', () => {
    const config = configOf({
      INVITE_REQUIRED: 'true',
      INVITE_SECRET: 'x'.repeat(40),
      WAITLIST_TABLE: 'waitlist',
      CAPTCHA: 'turnstile',
      CAPTCHA_SECRET: 's',
      RATE_LIMITS: 'pool:10/d',
      RATE_LIMIT_TABLE: 'counts',
      EXISTING_ACCOUNT_POLICY: 'deny',
    });
    const input = readInput({
      userPoolId: 'us-east-1_EXAMPLE',
      userName: 'kim',
      request: { userAttributes: { email: 'kim@example.com' }, validationData: { captchaToken: 'token' } },
    });
    // Neither the write nor the account guard's read beside a CAPTCHA check that may fail.
    expect(decide(input, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['captcha'] });
    const passed: Facts = { captcha: { passed: true } };
    expect(decide(input, config, passed)).toEqual({ outcome: 'needs-facts', facts: ['waitlist'] });
    expect(decide(input, config, { ...passed, waitlist: 'recorded' })).toEqual(refused('WAITLISTED', 'WAITLIST_TABLE'));
    expect(decide(input, config, { captcha: { passed: false, reason: 'refused' } })).toEqual(
      refused('CAPTCHA_FAILED', 'CAPTCHA'),
    );
  });
});

describe('the waitlist while INVITE_REQUIRED is log-only', () => {
  it('records nobody: the invitation rule logs INVITE_REQUIRED, and the sign-up is admitted', () => {
    const config = configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', LOG_ONLY_RULES: 'INVITE_REQUIRED' });
    const decision = decide(inputOf({ email: 'kim@example.com' }), config, { invitation: 'none' });
    expect(decision).toMatchObject({ outcome: 'accepted', wouldRefuse: ['INVITE_REQUIRED'] });
    // No waitlist fact was asked for: nothing is written.
  });

  it('cannot itself be log-only', () => {
    const [issue] = issuesOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', LOG_ONLY_RULES: 'WAITLIST_TABLE' });
    expect(issue?.expected).toContain('WAITLIST_TABLE cannot be');
  });
});

describe('WAITLIST_TABLE and WAITLIST_DAYS', () => {
  it('reads the table and the days, 90 by default', () => {
    expect(WAITLIST.waitlist).toEqual({ table: 'waitlist', days: 90 });
    expect(configOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', WAITLIST_DAYS: '14' }).waitlist).toEqual({
      table: 'waitlist',
      days: 14,
    });
  });

  it.each([{}, { INVITE_REQUIRED: 'false', INVITE_TABLE: 'invites' }])(
    'is CONFIG_INVALID without INVITE_REQUIRED=true (%o)',
    (more) => {
      expect(issuesOf({ ...more, WAITLIST_TABLE: 'waitlist' })).toEqual([
        {
          variable: 'WAITLIST_TABLE',
          received: '"waitlist"',
          expected: 'unset unless INVITE_REQUIRED is true: the waitlist records the sign-ups no invitation admits',
          kind: 'combination',
        },
      ]);
    },
  );

  it.each(['0', '3651', '1.5', '90d', '-1'])('refuses WAITLIST_DAYS=%j', (days) => {
    const issues = issuesOf({ ...BY_EMAIL, WAITLIST_TABLE: 'waitlist', WAITLIST_DAYS: days });
    expect(issues.map(({ variable, expected }) => ({ variable, expected }))).toEqual([
      { variable: 'WAITLIST_DAYS', expected: 'a whole number from 1 to 3650' },
    ]);
  });

  it('refuses a table name DynamoDB would refuse', () => {
    expect(issuesOf({ ...BY_EMAIL, WAITLIST_TABLE: 'no spaces' }).map(({ variable }) => variable)).toEqual([
      'WAITLIST_TABLE',
    ]);
  });

  it('warns when the invitations the waitlist leads to would not be read (an INVITE_TABLE under INVITE_MATCH=code)', () => {
    const warningsOf = (env: Record<string, string>) =>
      loadConfig({ INVITE_REQUIRED: 'true', WAITLIST_TABLE: 'waitlist', ...env }).warnings.filter((warning) =>
        warning.startsWith('WAITLIST_TABLE'),
      );
    expect(warningsOf({ INVITE_TABLE: 'invites' })).toEqual([
      'WAITLIST_TABLE is set while INVITE_MATCH=code: the invitations `npm run invite -- --from-waitlist` writes are by email, which INVITE_MATCH=code does not read. Set INVITE_MATCH=code-or-email, or invite the people waiting with codes',
    ]);
    expect(warningsOf({ INVITE_TABLE: 'invites', INVITE_MATCH: 'code-or-email' })).toEqual([]);
  });

  it.each([{ INVITE_SECRET: 'x'.repeat(40) }, { INVITE_SECRET_PARAMETER: '/pre-signup/invite-secret' }])(
    'warns that with signed codes (%o) the invitations --from-waitlist writes are never read (F8)',
    (secret) => {
      const { issues, warnings } = loadConfig({ INVITE_REQUIRED: 'true', WAITLIST_TABLE: 'waitlist', ...secret });
      expect(issues).toEqual([]);
      expect(warnings.filter((warning) => warning.startsWith('WAITLIST_TABLE'))).toEqual([
        'WAITLIST_TABLE is set with signed invitation codes: the invitations `npm run invite -- --from-waitlist` writes are rows of an INVITE_TABLE table, which this function does not read, so the people it invites would be WAITLISTED again. Invite the people waiting with codes (`npm run invite -- --email ADDRESS`)',
      ]);
    },
  );

  it('warns that WAITLIST_DAYS alone has no effect', () => {
    const { issues, warnings } = loadConfig({ WAITLIST_DAYS: '30' });
    expect(issues).toEqual([]);
    expect(warnings).toContain('WAITLIST_DAYS has no effect while WAITLIST_TABLE is not set');
  });

  describe('per app client', () => {
    const loadDocument = (document: object) => {
      const container = containerConfigWithDocument({}, JSON.stringify(document), 'RULES_FILE');
      return { ...container.loaded, byClient: container.byClient };
    };
    const TOP = { INVITE_REQUIRED: true, INVITE_TABLE: 'invites', INVITE_MATCH: 'email', WAITLIST_TABLE: 'waitlist' };

    it('gives a client that turns the invitation requirement off no waitlist, and no CONFIG_INVALID', () => {
      const loaded = loadDocument({ ...TOP, WAITLIST_DAYS: 30, clients: { open: { INVITE_REQUIRED: false } } });
      expect(loaded.issues).toEqual([]);
      expect(loaded.config.waitlist).toEqual({ table: 'waitlist', days: 30 });
      const open = loaded.byClient.get('open');
      expect(open?.config.invite).toBeUndefined();
      expect(open?.config.waitlist).toBeUndefined();
      // It is said, as any client that admits more than the top level.
      expect(loaded.warnings).toContainEqual(expect.stringContaining('clients.open admits more than the top level'));
    });

    it('is CONFIG_INVALID where a client sets WAITLIST_TABLE itself without INVITE_REQUIRED in force', () => {
      const withoutRequirement = loadDocument({
        ...TOP,
        clients: { open: { INVITE_REQUIRED: false, WAITLIST_TABLE: 'other-waitlist' } },
      });
      expect(withoutRequirement.issues.map(({ variable }) => variable)).toEqual([
        'RULES_FILE: clients.open.WAITLIST_TABLE',
      ]);
      const topWithout = loadDocument({ clients: { app: { WAITLIST_TABLE: 'waitlist' } } });
      expect(topWithout.issues.map(({ variable }) => variable)).toEqual(['RULES_FILE: clients.app.WAITLIST_TABLE']);
    });
  });
});
