import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { warmUp } from '../../src/look-up/warm-up.js';

const asked = async (env: Record<string, string>) => [...(await warmUp(loadConfig(env)))].sort();

describe('warmUp', () => {
  it('asks for no lookup under settings without lookup rules', async () => {
    expect(await asked({})).toEqual([]);
    expect(await asked({ ALLOWED_EMAIL_DOMAINS: 'example.com', MIN_USERNAME_LENGTH: '3' })).toEqual([]);
  });

  it('finds every lookup a configuration’s rules ask for, from the rules themselves', async () => {
    expect(await asked({ BLOCK_DISPOSABLE_EMAILS: 'true' })).toEqual(['disposableEmail']);
    expect(await asked({ EXISTING_ACCOUNT_POLICY: 'no-verify' })).toEqual([
      'existingAccountForEmail',
      'existingAccountForPhone',
    ]);
    expect(await asked({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' })).toEqual(['invitationValid']);
    expect(await asked({ LINK_FEDERATED_USERS: 'Google', AUTO_VERIFY_EMAIL: 'false' })).toEqual(['federatedLink']);
    // Every rule is reached: each fact is answered so that the sign-up goes on.
    expect(
      await asked({
        BLOCK_DISPOSABLE_EMAILS: 'true',
        EXISTING_ACCOUNT_POLICY: 'deny',
        INVITE_REQUIRED: 'true',
        INVITE_SECRET: 'x'.repeat(40),
      }),
    ).toEqual(['disposableEmail', 'existingAccountForEmail', 'existingAccountForPhone', 'invitationValid']);
  });

  it('decides nothing under settings with problems', async () => {
    expect(await asked({ EXISTING_ACCOUNT_POLICY: 'sometimes' })).toEqual([]);
  });
});
