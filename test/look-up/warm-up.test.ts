import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { handlePreSignUp } from '../../src/handler.js';
import { fixedConfiguration } from '../../src/look-up/configuration.js';
import { createInvocationLogger } from '../../src/log/invocation-log.js';
import { recordingGatherer, syntheticEvents } from '../../src/look-up/warm-up.js';

/** The facts a configuration's rules ask for on the synthetic sign-ups, as init runs them. */
async function asked(env: Record<string, string>): Promise<string[]> {
  const loaded = loadConfig(env);
  const { gather, asked: facts } = recordingGatherer();
  const log = createInvocationLogger({
    functionName: undefined,
    logLevel: undefined,
    metricsNamespace: undefined,
    write: () => undefined,
  });
  for (const event of syntheticEvents(loaded)) {
    await handlePreSignUp(event, undefined, {
      configuration: fixedConfiguration({ loaded, byClient: new Map(), clientWarnings: [] }),
      gather,
      log,
      warnOnce: () => [],
    }).catch(() => undefined);
  }
  return [...facts].sort();
}

describe('the warm-up at init', () => {
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
    expect(await asked({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' })).toEqual(['invitation']);
    expect(await asked({ LINK_FEDERATED_USERS: 'Google', AUTO_VERIFY_EMAIL: 'false' })).toEqual(['federatedLink']);
    // Every rule is reached: each fact is answered so that the sign-up goes on.
    expect(
      await asked({
        BLOCK_DISPOSABLE_EMAILS: 'true',
        EXISTING_ACCOUNT_POLICY: 'deny',
        INVITE_REQUIRED: 'true',
        INVITE_SECRET: 'x'.repeat(40),
      }),
    ).toEqual(['disposableEmail', 'existingAccountForEmail', 'existingAccountForPhone', 'invitation']);
  });

  it('reaches the waitlist with a sign-up that has no invitation, under every INVITE_MATCH', async () => {
    expect(await asked({ INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40), WAITLIST_TABLE: 'waitlist' })).toEqual(
      ['invitation', 'waitlist'],
    );
    for (const match of ['code', 'email', 'code-or-email']) {
      expect(
        await asked({
          INVITE_REQUIRED: 'true',
          INVITE_TABLE: 'invites',
          INVITE_MATCH: match,
          WAITLIST_TABLE: 'waitlist',
        }),
      ).toEqual(['invitation', 'waitlist']);
    }
  });

  it('decides nothing under settings with problems', async () => {
    expect(await asked({ EXISTING_ACCOUNT_POLICY: 'sometimes' })).toEqual([]);
  });
});
