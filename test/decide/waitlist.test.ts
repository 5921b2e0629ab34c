import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import { type Facts, NO_FACTS } from '../../src/model/facts.js';
import { configOf, inputOf, issuesOf, readInput } from '../helpers/fixtures.js';
import { loadConfig } from '../../src/config/load-config.js';

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
    const input = inputOf({ email: 'kim@example.com' });
    expect(decide(input, WAITLIST, { invitation: 'used' })).toEqual(refused('INVITE_USED', 'INVITE_REQUIRED'));
    expect(decide(input, WAITLIST, { invitation: { proven: 'address', spendsUse: false } })).toMatchObject({
      outcome: 'accepted',
    });
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
    // Signed codes have no other match: nothing to change, nothing said.
    expect(warningsOf({ INVITE_SECRET: 'x'.repeat(40) })).toEqual([]);
  });

  it('warns that WAITLIST_DAYS alone has no effect', () => {
    const { issues, warnings } = loadConfig({ WAITLIST_DAYS: '30' });
    expect(issues).toEqual([]);
    expect(warnings).toContain('WAITLIST_DAYS has no effect while WAITLIST_TABLE is not set');
  });
});
