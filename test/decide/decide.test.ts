import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import { type Facts, NO_FACTS } from '../../src/model/facts.js';
import { configOf, inputOf, readInput } from '../helpers/fixtures.js';

const CONFIRM_ALL = {
  outcome: 'accepted',
  flags: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
};

describe('decide', () => {
  it('confirms and verifies both attributes by default', () => {
    expect(decide(inputOf({ email: 'a@example.com', phone: '+15555550100' }), configOf({}), NO_FACTS)).toEqual({
      ...CONFIRM_ALL,
      rule: 'AUTO_CONFIRM',
    });
  });

  it('verifies only the attributes the user has', () => {
    expect(decide(inputOf({ phone: '+15555550100' }), configOf({}), NO_FACTS)).toMatchObject({
      flags: { autoVerifyEmail: false, autoVerifyPhone: true },
    });
  });

  it('verifies nothing when AUTO_CONFIRM is false, and does not refuse', () => {
    expect(decide(inputOf({ email: 'a@example.com' }), configOf({ AUTO_CONFIRM: 'false' }), NO_FACTS)).toEqual({
      outcome: 'accepted',
      flags: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      rule: 'AUTO_CONFIRM',
    });
  });

  it('confirms only listed domains under AUTO_CONFIRM_EMAIL_DOMAINS and leaves others unconfirmed', () => {
    const config = configOf({ AUTO_CONFIRM_EMAIL_DOMAINS: 'example.com' });
    expect(decide(inputOf({ email: 'a@EXAMPLE.com' }), config, NO_FACTS)).toMatchObject({
      flags: { autoConfirmUser: true },
    });
    expect(decide(inputOf({ email: 'a@evilexample.com' }), config, NO_FACTS)).toMatchObject({
      outcome: 'accepted',
      flags: { autoConfirmUser: false, autoVerifyEmail: false },
      rule: 'AUTO_CONFIRM_EMAIL_DOMAINS',
    });
    expect(decide(inputOf({ phone: '+15555550100' }), config, NO_FACTS)).toMatchObject({
      flags: { autoConfirmUser: false },
    });
  });

  it('checks the block list before the allow list', () => {
    const config = configOf({ ALLOWED_EMAIL_DOMAINS: '*.example.com', BLOCKED_EMAIL_DOMAINS: 'bad.example.com' });
    expect(decide(inputOf({ email: 'a@bad.example.com' }), config, NO_FACTS)).toEqual({
      outcome: 'refused',
      code: 'EMAIL_DOMAIN_BLOCKED',
      rule: 'BLOCKED_EMAIL_DOMAINS',
    });
    expect(decide(inputOf({ email: 'a@eu.example.com' }), config, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
  });

  it('refuses a sign-up without email when an allow list is set', () => {
    const config = configOf({ ALLOWED_EMAIL_DOMAINS: 'example.com' });
    expect(decide(inputOf({ phone: '+15555550100' }), config, NO_FACTS)).toMatchObject({
      code: 'EMAIL_DOMAIN_NOT_ALLOWED',
    });
  });

  it('counts user name length in code points and skips the rule for federated sign-ups', () => {
    const config = configOf({ MIN_USERNAME_LENGTH: '4' });
    expect(decide(readInput({ request: { userAttributes: {} } }), config, NO_FACTS)).toMatchObject({
      code: 'USERNAME_TOO_SHORT',
    });
    expect(decide(inputOf({ userName: '😀😀😀😀' }), config, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
    expect(decide(inputOf({ userName: 'abc' }), config, NO_FACTS)).toMatchObject({ code: 'USERNAME_TOO_SHORT' });
    expect(decide(inputOf({ source: 'PreSignUp_ExternalProvider', userName: 'G_1' }), config, NO_FACTS)).toMatchObject({
      outcome: 'accepted',
    });
  });

  it('applies refusal rules to AdminCreateUser but sets no flags there', () => {
    const config = configOf({ BLOCKED_EMAIL_DOMAINS: 'blocked.example' });
    expect(
      decide(inputOf({ source: 'PreSignUp_AdminCreateUser', email: 'a@blocked.example' }), config, NO_FACTS),
    ).toMatchObject({
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
    expect(decide(inputOf({ source: 'PreSignUp_AdminCreateUser', email: 'a@example.com' }), config, NO_FACTS)).toEqual({
      outcome: 'unchanged',
      rule: 'AdminCreateUser',
    });
  });

  it('asks for the disposable-domain fact only when the rule is on and reached', () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', BLOCKED_EMAIL_DOMAINS: 'blocked.example' });
    expect(decide(inputOf({ email: 'a@blocked.example' }), config, NO_FACTS)).toMatchObject({
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
    expect(decide(inputOf({ email: 'a@x.example' }), config, NO_FACTS)).toEqual({
      outcome: 'needs-facts',
      facts: ['disposableEmail'],
    });
    expect(decide(inputOf({ email: 'a@x.example' }), config, { disposableEmail: true })).toMatchObject({
      code: 'DISPOSABLE_EMAIL',
    });
  });

  describe('invitations', () => {
    const config = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' });

    it('refuses without a code, and with a malformed code, before any lookup', () => {
      expect(decide(inputOf({ email: 'a@example.com' }), config, NO_FACTS)).toMatchObject({ code: 'INVITE_REQUIRED' });
      expect(decide(inputOf({ email: 'a@example.com', inviteCode: 'has space' }), config, NO_FACTS)).toMatchObject({
        code: 'INVITE_INVALID',
      });
      expect(decide(inputOf({ phone: '+15555550100', inviteCode: 'abc' }), config, NO_FACTS)).toMatchObject({
        code: 'INVITE_INVALID',
      });
    });

    it('does not ask an administrator creating a user for an invitation', () => {
      const input = inputOf({ source: 'PreSignUp_AdminCreateUser', email: 'a@example.com' });
      expect(decide(input, config, NO_FACTS)).toEqual({ outcome: 'unchanged', rule: 'AdminCreateUser' });
    });

    it('asks for the invitation check and follows it', () => {
      const input = inputOf({ email: 'a@example.com', inviteCode: 'abc-123' });
      expect(decide(input, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['invitation'] });
      expect(decide(input, config, { invitation: 'none' })).toMatchObject({ code: 'INVITE_INVALID' });
      expect(decide(input, config, { invitation: { proven: 'code', spendsUse: false } })).toMatchObject({
        outcome: 'accepted',
      });
    });
  });

  describe('existing-account guard', () => {
    const both = inputOf({ email: 'a@example.com', phone: '+15555550100' });

    it('looks up email and phone together when both would be verified', () => {
      expect(decide(both, configOf({ EXISTING_ACCOUNT_POLICY: 'no-verify' }), NO_FACTS)).toEqual({
        outcome: 'needs-facts',
        facts: ['existingAccountForEmail', 'existingAccountForPhone'],
      });
    });

    it('with no-verify, confirms but leaves a held attribute unverified', () => {
      const facts: Facts = { existingAccountForEmail: true, existingAccountForPhone: false };
      expect(decide(both, configOf({ EXISTING_ACCOUNT_POLICY: 'no-verify' }), facts)).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: true },
        rule: 'AUTO_CONFIRM',
      });
    });

    it('with no-verify, looks nothing up when nothing would be verified', () => {
      const config = configOf({
        EXISTING_ACCOUNT_POLICY: 'no-verify',
        AUTO_VERIFY_EMAIL: 'false',
        AUTO_VERIFY_PHONE: 'false',
      });
      expect(decide(both, config, NO_FACTS)).toMatchObject({ outcome: 'accepted', flags: { autoConfirmUser: true } });
    });

    it('with deny, looks the email up even when it would not be verified, and refuses when held', () => {
      const config = configOf({ EXISTING_ACCOUNT_POLICY: 'deny', AUTO_CONFIRM: 'false' });
      const input = inputOf({ email: 'a@example.com' });
      expect(decide(input, config, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['existingAccountForEmail'] });
      expect(decide(input, config, { existingAccountForEmail: true })).toEqual({
        outcome: 'refused',
        code: 'ACCOUNT_EXISTS',
        rule: 'EXISTING_ACCOUNT_POLICY',
      });
    });

    it('refuses with SERVICE_UNAVAILABLE when a lookup failed transiently, unless FAIL_OPEN', () => {
      const facts: Facts = { existingAccountForEmail: 'transient-failure', existingAccountForPhone: false };
      expect(decide(both, configOf({ EXISTING_ACCOUNT_POLICY: 'deny' }), facts)).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
      });
      expect(decide(both, configOf({ EXISTING_ACCOUNT_POLICY: 'deny', FAIL_OPEN: 'true' }), facts)).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: true },
        rule: 'AUTO_CONFIRM',
      });
    });
  });
});

describe('decide with lookups that failed permanently', () => {
  const both = inputOf({ email: 'a@example.com', phone: '+15555550100', inviteCode: 'CODE-1' });

  it('refuses with SERVICE_UNAVAILABLE even with FAIL_OPEN, for the existing-account guard', () => {
    const config = configOf({ EXISTING_ACCOUNT_POLICY: 'no-verify', FAIL_OPEN: 'true' });
    expect(
      decide(both, config, { existingAccountForEmail: 'permanent-failure', existingAccountForPhone: false }),
    ).toEqual({
      outcome: 'refused',
      code: 'SERVICE_UNAVAILABLE',
      rule: 'EXISTING_ACCOUNT_POLICY',
    });
  });

  it('refuses with SERVICE_UNAVAILABLE even with FAIL_OPEN, for the disposable list', () => {
    const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true', FAIL_OPEN: 'true' });
    expect(decide(both, config, { disposableEmail: 'permanent-failure' })).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(decide(both, config, { disposableEmail: 'transient-failure' })).toMatchObject({ outcome: 'accepted' });
  });

  it.each(['transient-failure', 'permanent-failure'] as const)(
    'never fails an invitation open, whatever FAIL_OPEN says (%s)',
    (failure) => {
      const config = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', FAIL_OPEN: 'true' });
      expect(decide(both, config, { invitation: failure })).toEqual({
        outcome: 'refused',
        code: 'SERVICE_UNAVAILABLE',
        rule: 'INVITE_REQUIRED',
      });
    },
  );
});

describe('decide with an email the strict reader refuses', () => {
  const unreadable = inputOf({ email: 'a@ex%61mple.com', phone: '+15555550100' });

  it.each([
    [{ ALLOWED_EMAIL_DOMAINS: 'example.com' }, 'ALLOWED_EMAIL_DOMAINS'],
    [{ BLOCKED_EMAIL_DOMAINS: 'blocked.example' }, 'BLOCKED_EMAIL_DOMAINS'],
    [{ BLOCK_DISPOSABLE_EMAILS: 'true' }, 'BLOCK_DISPOSABLE_EMAILS'],
  ])('refuses it with EMAIL_INVALID under %j', (env, rule) => {
    expect(decide(unreadable, configOf(env), NO_FACTS)).toEqual({ outcome: 'refused', code: 'EMAIL_INVALID', rule });
  });

  it('never confirms it through AUTO_CONFIRM_EMAIL_DOMAINS', () => {
    expect(decide(unreadable, configOf({ AUTO_CONFIRM_EMAIL_DOMAINS: 'example.com' }), NO_FACTS)).toEqual({
      outcome: 'accepted',
      flags: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      rule: 'AUTO_CONFIRM_EMAIL_DOMAINS',
    });
  });

  it('accepts it without a domain rule, but never verifies it', () => {
    expect(decide(unreadable, configOf({}), NO_FACTS)).toEqual({
      outcome: 'accepted',
      flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: true },
      rule: 'AUTO_CONFIRM',
    });
  });
});
