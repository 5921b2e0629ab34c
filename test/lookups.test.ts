import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { isDisposableDomain } from '../src/lookups/disposable-domains.js';
import { escapeFilterValue } from '../src/lookups/existing-accounts.js';
import { gatherFacts } from '../src/lookups/gather-facts.js';
import { createInviteCode, verifyInviteCode } from '../src/lookups/invite-signature.js';
import { readSignUpEvent, type SignUpInput } from '../src/sign-up-input.js';

describe('escapeFilterValue', () => {
  it('escapes double quotes and backslashes for a ListUsers filter', () => {
    expect(escapeFilterValue('o"ne\\il@example.com')).toBe('o\\"ne\\\\il@example.com');
  });
});

describe('isDisposableDomain', () => {
  it('matches a listed domain and its subdomains, not look-alikes', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('eu.mailinator.com')).toBe(true);
    expect(isDisposableDomain('xmailinator.com')).toBe(false);
    expect(isDisposableDomain('mailinator.com.example')).toBe(false);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(isDisposableDomain('example.com')).toBe(false);
  });
});

describe('invitation codes', () => {
  const secret = 'a-secret-of-at-least-thirty-two-chars';
  const now = 1_800_000_000;

  it('are short, and made of letters, digits and -', () => {
    const code = createInviteCode(secret, 'kim@example.com', now + 3600);
    expect(code).toMatch(/^[a-z0-9]+-[0-9a-f]{20}$/);
    expect(code.length).toBeLessThanOrEqual(32);
  });

  it('survive being typed in upper case or with spaces around them', () => {
    const code = createInviteCode(secret, 'kim@example.com', now + 3600);
    expect(verifyInviteCode(secret, 'KIM@example.com', ` ${code.toUpperCase()} `, now)).toBe(true);
  });

  it('fail when tampered with, expired or for another email', () => {
    const code = createInviteCode(secret, 'kim@example.com', now + 3600);
    const [expiry] = code.split('-');
    const laterExpiry = `${(now + 999_999).toString(36)}-${code.slice((expiry ?? '').length + 1)}`;
    expect(verifyInviteCode(secret, 'kim@example.com', laterExpiry, now)).toBe(false);
    expect(verifyInviteCode(secret, 'kim@example.com', code, now + 3600)).toBe(false);
    expect(verifyInviteCode(secret, 'lee@example.com', code, now)).toBe(false);
    expect(verifyInviteCode(secret, 'kim@example.com', 'garbage', now)).toBe(false);
  });
});

describe('gatherFacts', () => {
  function inputOf(event: unknown): SignUpInput {
    const reading = readSignUpEvent(event);
    if (reading.kind !== 'sign-up') throw new Error('not a sign-up');
    return reading.input;
  }

  it('reports a lookup that cannot run as unavailable, naming only the error', async () => {
    const loaded = loadConfig({ EXISTING_ACCOUNT_POLICY: 'deny' });
    if (!loaded.ok) throw loaded.error;
    const input = inputOf({ request: { userAttributes: { email: 'a@example.com' } } });
    const gathered = await gatherFacts(['emailTaken'], input, loaded.config, 1000);
    expect(gathered).toEqual({
      facts: { emailTaken: 'unavailable' },
      failures: [{ lookup: 'emailTaken', error: 'NoUserPoolIdError' }],
    });
  });
});
