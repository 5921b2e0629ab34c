import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import { NO_FACTS } from '../../src/model/facts.js';
import { configOf, inputOf, readInput } from '../helpers/fixtures.js';

const ALL = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false };
const IGNORE = { EXISTING_ACCOUNT_POLICY: 'ignore' };
const kim = inputOf({ email: 'kim@blocked.example' });

describe('LOG_ONLY_RULES', () => {
  it('admits a sign-up only a log-only rule refuses, as if the rule had passed, and says what it would have refused', () => {
    const config = configOf({
      ...IGNORE,
      BLOCKED_EMAIL_DOMAINS: 'blocked.example',
      LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS',
    });
    expect(decide(kim, config, NO_FACTS)).toEqual({
      outcome: 'accepted',
      flags: ALL,
      rule: 'AUTO_CONFIRM',
      wouldRefuse: ['EMAIL_DOMAIN_BLOCKED'],
    });
  });

  it('still refuses with an enforced rule, and lists the log-only refusals before it', () => {
    const config = configOf({
      ...IGNORE,
      BLOCKED_EMAIL_DOMAINS: 'blocked.example',
      EMAIL_SUBADDRESSES: 'block',
      MIN_USERNAME_LENGTH: '20',
      LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS,EMAIL_SUBADDRESSES',
    });
    const input = inputOf({ email: 'kim+x@blocked.example', userName: 'kim' });
    expect(decide(input, config, NO_FACTS)).toEqual({
      outcome: 'refused',
      code: 'USERNAME_TOO_SHORT',
      rule: 'MIN_USERNAME_LENGTH',
      wouldRefuse: ['EMAIL_DOMAIN_BLOCKED', 'EMAIL_SUBADDRESS'],
    });
  });

  it('runs the rules after a log-only refusal, asking for their facts (the lookups are made as without it)', () => {
    const config = configOf({
      ...IGNORE,
      BLOCKED_EMAIL_DOMAINS: 'blocked.example',
      BLOCK_DISPOSABLE_EMAILS: 'true',
      LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS',
    });
    expect(decide(kim, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['disposableEmail'] });
    expect(decide(kim, config, { disposableEmail: true })).toMatchObject({
      outcome: 'refused',
      code: 'DISPOSABLE_EMAIL',
      wouldRefuse: ['EMAIL_DOMAIN_BLOCKED'],
    });
  });

  it('says what an AdminCreateUser would have been refused, and changes nothing else', () => {
    const config = configOf({ BLOCKED_EMAIL_DOMAINS: 'blocked.example', LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS' });
    const input = inputOf({ source: 'PreSignUp_AdminCreateUser', email: 'kim@blocked.example' });
    expect(decide(input, config, NO_FACTS)).toEqual({
      outcome: 'unchanged',
      rule: 'AdminCreateUser',
      wouldRefuse: ['EMAIL_DOMAIN_BLOCKED'],
    });
  });

  describe('what a log-only rule spends', () => {
    const CAPTCHA = { ...IGNORE, CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's', LOG_ONLY_RULES: 'CAPTCHA' };
    const withToken = readInput({
      request: { userAttributes: { email: 'kim@example.com' }, validationData: { captchaToken: 'token' } },
    });

    it('CAPTCHA: the token is still sent to the provider (and spent there); a failed or missing one admits', () => {
      const config = configOf(CAPTCHA);
      expect(decide(withToken, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['captcha'] });
      expect(decide(withToken, config, { captcha: { passed: false, reason: 'refused' } })).toEqual({
        outcome: 'accepted',
        flags: ALL,
        rule: 'AUTO_CONFIRM',
        wouldRefuse: ['CAPTCHA_FAILED'],
      });
      expect(decide(withToken, config, { captcha: 'transient-failure' })).toMatchObject({
        outcome: 'accepted',
        wouldRefuse: ['SERVICE_UNAVAILABLE'],
      });
      // No token: nothing to send, nothing spent.
      expect(decide(inputOf({ email: 'kim@example.com' }), config, NO_FACTS)).toMatchObject({
        outcome: 'accepted',
        wouldRefuse: ['CAPTCHA_REQUIRED'],
      });
    });

    it('RATE_LIMITS: the sign-up is counted (the lookup counts it as admitted), and one over a limit is admitted', () => {
      const config = configOf({
        ...IGNORE,
        RATE_LIMITS: 'email-domain:1/h',
        RATE_LIMIT_TABLE: 'counts',
        LOG_ONLY_RULES: 'RATE_LIMITS',
      });
      const input = inputOf({ email: 'kim@example.com' });
      expect(decide(input, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['rateLimit'] });
      expect(decide(input, config, { rateLimit: { exceeded: 'email-domain:1/h' } })).toMatchObject({
        outcome: 'accepted',
        flags: ALL,
        wouldRefuse: ['RATE_LIMITED'],
      });
    });

    const INVITES = { ...IGNORE, INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', LOG_ONLY_RULES: 'INVITE_REQUIRED' };

    it('INVITE_REQUIRED: a sign-up without an invitation spends no use, and is neither confirmed nor verified', () => {
      const config = configOf(INVITES);
      expect(decide(inputOf({ email: 'kim@example.com' }), config, NO_FACTS)).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
        rule: 'INVITE_MATCH',
        wouldRefuse: ['INVITE_REQUIRED'],
      });
      // A wrong code: looked up (which spends nothing), refused only in the log, and nothing proven.
      const wrong = inputOf({ email: 'kim@example.com', inviteCode: 'WRONG' });
      expect(decide(wrong, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['invitation'] });
      expect(decide(wrong, config, { invitation: 'none' })).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
        rule: 'INVITE_MATCH',
        wouldRefuse: ['INVITE_INVALID'],
      });
    });

    it('INVITE_REQUIRED: a valid invitation spends its use as when enforced; a use lost to another sign-up is only logged', () => {
      const config = configOf(INVITES);
      const invited = inputOf({ email: 'kim@example.com', inviteCode: 'GOOD' });
      const proof = { invitation: { proven: 'code', spendsUse: true } } as const;
      expect(decide(invited, config, proof)).toEqual({ outcome: 'needs-facts', facts: ['invitationUse'] });
      expect(decide(invited, config, { ...proof, invitationUse: 'spent' })).toEqual({
        outcome: 'accepted',
        flags: ALL,
        rule: 'AUTO_CONFIRM',
      });
      expect(decide(invited, config, { ...proof, invitationUse: 'used' })).toMatchObject({
        outcome: 'accepted',
        wouldRefuse: ['INVITE_USED'],
      });
      // Enforced, the lost use refuses.
      expect(
        decide(invited, configOf({ ...INVITES, LOG_ONLY_RULES: '' }), { ...proof, invitationUse: 'used' }),
      ).toMatchObject({ outcome: 'refused', code: 'INVITE_USED' });
    });

    it('EXISTING_ACCOUNT_POLICY=deny: an address another user holds is admitted, never verified', () => {
      const config = configOf({ EXISTING_ACCOUNT_POLICY: 'deny', LOG_ONLY_RULES: 'EXISTING_ACCOUNT_POLICY' });
      const input = inputOf({ email: 'kim@example.com' });
      expect(decide(input, config, { existingAccountForEmail: true })).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
        rule: 'AUTO_CONFIRM',
        wouldRefuse: ['ACCOUNT_EXISTS'],
      });
    });
  });

  describe('an unreadable email', () => {
    const unreadable = inputOf({ email: 'a@ex%61mple.com' });

    it('is only logged when every rule that judges the address is log-only, and never verified', () => {
      const config = configOf({ BLOCKED_EMAIL_DOMAINS: 'blocked.example', LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS' });
      expect(decide(unreadable, config, NO_FACTS)).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
        rule: 'AUTO_CONFIRM',
        wouldRefuse: ['EMAIL_INVALID'],
      });
    });

    it('is refused under the first enforced rule that judges the address', () => {
      const config = configOf({
        BLOCKED_EMAIL_DOMAINS: 'blocked.example',
        ALLOWED_EMAIL_DOMAINS: 'example.com',
        LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS',
      });
      expect(decide(unreadable, config, NO_FACTS)).toEqual({
        outcome: 'refused',
        code: 'EMAIL_INVALID',
        rule: 'ALLOWED_EMAIL_DOMAINS',
      });
    });
  });
});
