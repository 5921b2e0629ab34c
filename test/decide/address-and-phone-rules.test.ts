import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import { NO_FACTS } from '../../src/model/facts.js';
import { configOf, inputOf } from '../helpers/fixtures.js';

const refusal = (code: string, rule: string) => ({ outcome: 'refused', code, rule });
const decideFor = (env: Record<string, string>, fields: Parameters<typeof inputOf>[0]) =>
  decide(inputOf(fields), configOf(env), NO_FACTS);

describe('ALLOWED_EMAILS and BLOCKED_EMAILS', () => {
  it('refuses a blocked address in any letter case of A-Z, and with its domain in Unicode or punycode', () => {
    const env = { BLOCKED_EMAILS: 'spam@example.com, kim@bücher.example' };
    expect(decideFor(env, { email: 'Spam@EXAMPLE.com' })).toEqual(refusal('EMAIL_BLOCKED', 'BLOCKED_EMAILS'));
    expect(decideFor(env, { email: 'kim@xn--bcher-kva.example' })).toEqual(refusal('EMAIL_BLOCKED', 'BLOCKED_EMAILS'));
    expect(decideFor(env, { email: 'ham@example.com' })).toMatchObject({ outcome: 'accepted' });
    // Only A-Z folds: the Kelvin sign is not k.
    expect(decideFor(env, { email: '\u212Aim@bücher.example' })).toMatchObject({ outcome: 'accepted' });
  });

  it('lets a listed address through ALLOWED_EMAIL_DOMAINS, and nobody else outside it', () => {
    const env = { ALLOWED_EMAIL_DOMAINS: 'example.com', ALLOWED_EMAILS: 'partner@other.example' };
    expect(decideFor(env, { email: 'Partner@Other.Example' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(env, { email: 'a@example.com' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(env, { email: 'someone@other.example' })).toEqual(
      refusal('EMAIL_DOMAIN_NOT_ALLOWED', 'ALLOWED_EMAIL_DOMAINS'),
    );
  });

  it('is an allow list of its own without ALLOWED_EMAIL_DOMAINS', () => {
    const env = { ALLOWED_EMAILS: 'kim@example.com' };
    expect(decideFor(env, { email: 'kim@example.com' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(env, { email: 'lee@example.com' })).toEqual(refusal('EMAIL_DOMAIN_NOT_ALLOWED', 'ALLOWED_EMAILS'));
    expect(decideFor(env, { phone: '+15555550100' })).toEqual(refusal('EMAIL_DOMAIN_NOT_ALLOWED', 'ALLOWED_EMAILS'));
  });

  it('blocks before it allows', () => {
    const env = { ALLOWED_EMAILS: 'kim@example.com', BLOCKED_EMAILS: 'kim@example.com' };
    expect(decideFor(env, { email: 'kim@example.com' })).toEqual(refusal('EMAIL_BLOCKED', 'BLOCKED_EMAILS'));
  });

  it('refuses an unreadable email under either list with EMAIL_INVALID', () => {
    expect(decideFor({ ALLOWED_EMAILS: 'kim@example.com' }, { email: 'kim@ex%61mple.com' })).toEqual(
      refusal('EMAIL_INVALID', 'ALLOWED_EMAILS'),
    );
    expect(decideFor({ BLOCKED_EMAILS: 'kim@example.com' }, { email: 'kim@ex%61mple.com' })).toEqual(
      refusal('EMAIL_INVALID', 'BLOCKED_EMAILS'),
    );
  });
});

describe('EMAIL_SUBADDRESSES', () => {
  it('allows local+tag@ by default, and refuses it with block', () => {
    expect(decideFor({}, { email: 'kim+shop@example.com' })).toMatchObject({ outcome: 'accepted' });
    const block = { EMAIL_SUBADDRESSES: 'block' };
    expect(decideFor(block, { email: 'kim+shop@example.com' })).toEqual(
      refusal('EMAIL_SUBADDRESS', 'EMAIL_SUBADDRESSES'),
    );
    expect(decideFor(block, { email: 'kim@example.com' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(block, { phone: '+15555550100' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(block, { email: 'kim@[1.2.3.4]' })).toEqual(refusal('EMAIL_INVALID', 'EMAIL_SUBADDRESSES'));
  });
});

describe('ALLOWED_PHONE_PREFIXES and BLOCKED_PHONE_PREFIXES', () => {
  it('allows only numbers under an allowed prefix', () => {
    const env = { ALLOWED_PHONE_PREFIXES: '+1,+4930' };
    expect(decideFor(env, { phone: '+15555550100' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(env, { phone: '+493012345678' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(env, { phone: '+498912345678' })).toEqual(refusal('PHONE_NOT_ALLOWED', 'ALLOWED_PHONE_PREFIXES'));
  });

  it('refuses numbers under a blocked prefix, before the allow list', () => {
    const env = { ALLOWED_PHONE_PREFIXES: '+44', BLOCKED_PHONE_PREFIXES: '+447' };
    expect(decideFor(env, { phone: '+447700900123' })).toEqual(refusal('PHONE_BLOCKED', 'BLOCKED_PHONE_PREFIXES'));
    expect(decideFor(env, { phone: '+442079460000' })).toMatchObject({ outcome: 'accepted' });
  });

  it('refuses a number that is not E.164 while a phone rule is on, and judges no sign-up without one', () => {
    for (const phone of ['5555550100', '+1 555 555 0100', '+05555550100', '+1234567890123456', '+1']) {
      expect(decideFor({ BLOCKED_PHONE_PREFIXES: '+7' }, { phone })).toEqual(
        refusal('PHONE_INVALID', 'BLOCKED_PHONE_PREFIXES'),
      );
      expect(decideFor({ ALLOWED_PHONE_PREFIXES: '+1' }, { phone })).toEqual(
        refusal('PHONE_INVALID', 'ALLOWED_PHONE_PREFIXES'),
      );
    }
    expect(decideFor({}, { phone: '5555550100' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor({ ALLOWED_PHONE_PREFIXES: '+1' }, { email: 'a@example.com' })).toMatchObject({
      outcome: 'accepted',
    });
  });
});
