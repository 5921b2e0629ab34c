import { describe, expect, it } from 'vitest';
import { decide } from '../src/decide/decide.js';
import { federatedLinkLogOf } from '../src/decide/rules/federated-link.js';
import { NO_FACTS } from '../src/model/facts.js';
import { capturedLogOfEachTest } from './helpers/capture-log.js';
import { loadEvent } from './helpers/events.js';
import { configOf, readInput } from './helpers/fixtures.js';
import { invokeSource } from './helpers/invoke-source.js';

// The sign-up paths Cognito added since 2024, as docs/cognito-sign-up-paths.md describes them. The
// events' outcomes under their settings are in test/helpers/event-cases.ts; these tests say what the
// function can and cannot tell from such an event.
capturedLogOfEachTest();

/** Every key path of a JSON value (`request.userAttributes.email`…), array indexes aside. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix === '' ? key : `${prefix}.${key}`));
}

type EventShape = {
  request: { userAttributes: Record<string, string | undefined> };
  response: Record<string, boolean>;
};

describe('a passwordless SignUp (email or SMS one-time codes, no password)', () => {
  const passwordless = () => loadEvent<EventShape>('sign-up-passwordless.json');
  const withPassword = () => loadEvent<EventShape>('sign-up.json');

  it('reaches the trigger as a password sign-up does: no field says which it was', () => {
    // AWS documents the same request (userAttributes, validationData, clientMetadata) for both.
    const passwordlessKeys = keyPaths(passwordless()).filter((key) => !key.startsWith('request.userAttributes.'));
    expect(passwordlessKeys).toEqual(
      keyPaths(withPassword()).filter((key) => !key.startsWith('request.userAttributes.')),
    );
    expect(JSON.stringify(passwordless()).toLowerCase()).not.toContain('password');
    expect(readInput(passwordless()).source).toBe(readInput(withPassword()).source);
  });

  it('gets the same answer as a password sign-up with the same attributes, under every setting tried', async () => {
    const settings = [{}, { AUTO_CONFIRM: 'false' }, { AUTO_VERIFY_EMAIL: 'false' }, { AUTO_VERIFY_PHONE: 'false' }];
    for (const env of settings) {
      const same = withPassword();
      same.request.userAttributes = passwordless().request.userAttributes;
      const [a, b] = await Promise.all([invokeSource(passwordless(), env), invokeSource(same, env)]);
      expect((a.result as EventShape).response, JSON.stringify(env)).toEqual((b.result as EventShape).response);
    }
  });

  it('is confirmed with both addresses verified, unproven, under the defaults (the AWS sample)', async () => {
    const { result } = await invokeSource(passwordless());
    expect((result as EventShape).response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: true,
    });
  });

  it('is left to ConfirmSignUp under AUTO_CONFIRM=false, which proves the address and signs the user in', async () => {
    const { result } = await invokeSource(passwordless(), { AUTO_CONFIRM: 'false' });
    expect((result as EventShape).response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });
});

describe('a sign-up that carries no validationData (managed login, or an app passing none)', () => {
  // The passwordless event carries none, as every managed-login sign-up does.
  const bare = () => readInput(loadEvent<EventShape>('sign-up-passwordless.json'));
  const withPassword = () => {
    const same = loadEvent<EventShape>('sign-up.json');
    same.request.userAttributes = loadEvent<EventShape>('sign-up-passwordless.json').request.userAttributes;
    return readInput(same);
  };

  it.each([
    ['CAPTCHA', { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' }, {}],
    ['INVITE_REQUIRED by code', { INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40) }, {}],
    [
      'the waitlist',
      { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites', INVITE_MATCH: 'email', WAITLIST_TABLE: 'waitlist' },
      { invitation: 'none', waitlist: 'recorded' },
    ],
  ] as const)('gets the answer a password sign-up gets under %s', (_, env, facts) => {
    const config = configOf(env);
    expect(decide(bare(), config, facts)).toEqual(decide(withPassword(), config, facts));
    expect(decide(bare(), config, facts)).toMatchObject({ outcome: 'refused' });
  });

  it('is put on the waitlist under INVITE_MATCH=email: the way managed login asks for approval', () => {
    const config = configOf({
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: 'invites',
      INVITE_MATCH: 'email',
      WAITLIST_TABLE: 'waitlist',
    });
    expect(decide(bare(), config, { invitation: 'none' })).toEqual({ outcome: 'needs-facts', facts: ['waitlist'] });
    expect(decide(bare(), config, { invitation: 'none', waitlist: 'recorded' })).toEqual({
      outcome: 'refused',
      code: 'WAITLISTED',
      rule: 'WAITLIST_TABLE',
    });
  });
});

describe('a federated sign-up after an inbound federation function', () => {
  const event = () => loadEvent<EventShape>('external-provider-after-inbound-federation.json');
  /** The same sign-up, with what the inbound function left of email_verified. */
  const withEmailVerified = (value: string | undefined) => {
    const changed = event();
    changed.request.userAttributes.email_verified = value;
    return readInput(changed);
  };
  const LINKING = configOf({ AUTO_VERIFY_EMAIL: 'false', LINK_FEDERATED_USERS: 'CorpSSO' });
  const INVITED_BY_EMAIL = configOf({ INVITE_REQUIRED: 'true', INVITE_TABLE: 'invitations', INVITE_MATCH: 'email' });

  it('asks for the link on the email_verified the function wrote, as on an IdP’s own', () => {
    expect(decide(readInput(event()), LINKING, NO_FACTS)).toEqual({ outcome: 'needs-facts', facts: ['federatedLink'] });
  });

  it.each([
    ['dropped', undefined],
    ['set to "false"', 'false'],
    ['set to "True" (not as Cognito writes it)', 'True'],
  ])('links nothing and verifies nothing when the function left email_verified %s', (_, value) => {
    const input = withEmailVerified(value);
    expect(federatedLinkLogOf(input, LINKING, NO_FACTS)).toEqual({
      provider: 'CorpSSO',
      outcome: 'provider-email-unverified',
    });
    expect(decide(input, configOf({}), NO_FACTS)).toMatchObject({
      outcome: 'accepted',
      flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('is looked up as an invitation by email only on that email_verified (refused before, spending nothing)', () => {
    expect(decide(withEmailVerified('true'), INVITED_BY_EMAIL, NO_FACTS)).toMatchObject({ outcome: 'needs-facts' });
    expect(decide(withEmailVerified(undefined), INVITED_BY_EMAIL, NO_FACTS)).toMatchObject({
      outcome: 'refused',
      code: 'INVITE_REQUIRED',
    });
  });
});
