import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import { type Facts, NO_FACTS } from '../../src/model/facts.js';
import { federatedIdentityOf, federatedLinkLogOf } from '../../src/decide/rules/federated-link.js';
import { configOf, inputOf, readInput } from '../helpers/fixtures.js';

// Linking requires that self sign-ups prove their email by code (see the configuration tests below).
const PROVEN = { AUTO_VERIFY_EMAIL: 'false' } as const;
const LINKING = configOf({ ...PROVEN, LINK_FEDERATED_USERS: 'Google, SignInWithApple' });
/** A federated first sign-in whose IdP says the email is verified; `null` for no email, or no claim. */
const federated = (userName: string, email: string | null = 'kim@example.com', emailVerified: unknown = 'true') =>
  inputOf({
    source: 'PreSignUp_ExternalProvider',
    userName,
    ...(email === null ? {} : { email }),
    ...(emailVerified === null ? {} : { emailVerified: emailVerified as string }),
  });

describe('LINK_FEDERATED_USERS', () => {
  it('asks for the link of a listed provider, named as configured whatever the prefix’s letter case', () => {
    for (const userName of ['Google_1234567890', 'google_1234567890', 'GOOGLE_1234567890']) {
      expect(decide(federated(userName), LINKING, NO_FACTS)).toEqual({
        outcome: 'needs-facts',
        facts: ['federatedLink'],
      });
      expect(federatedIdentityOf(federated(userName), LINKING)).toEqual({ provider: 'Google', subject: '1234567890' });
    }
    // Only the first "_" separates: the id keeps the rest.
    expect(federatedIdentityOf(federated('SignInWithApple_001_abc.def'), LINKING)).toEqual({
      provider: 'SignInWithApple',
      subject: '001_abc.def',
    });
  });

  it('refuses with ACCOUNT_LINKED once linked (or, in a dry run, when it would link)', () => {
    for (const outcome of ['linked', 'would-link'] as const) {
      expect(decide(federated('Google_1'), LINKING, { federatedLink: outcome })).toEqual({
        outcome: 'refused',
        code: 'ACCOUNT_LINKED',
        rule: 'LINK_FEDERATED_USERS',
      });
    }
  });

  it.each(['transient-failure', 'permanent-failure'] as const)(
    'refuses with SERVICE_UNAVAILABLE on a %s, even with FAIL_OPEN',
    (failure) => {
      const config = configOf({ ...PROVEN, LINK_FEDERATED_USERS: 'Google', FAIL_OPEN: 'true' });
      expect(decide(federated('Google_1'), config, { federatedLink: failure })).toEqual({
        outcome: 'refused',
        code: 'SERVICE_UNAVAILABLE',
        rule: 'LINK_FEDERATED_USERS',
      });
    },
  );

  it.each(['no-match', 'several-matches', 'unconfirmed'] as const)(
    'goes on to the other rules when nothing was linked (%s)',
    (outcome) => {
      const facts: Facts = { federatedLink: outcome };
      expect(decide(federated('Google_1'), LINKING, facts)).toMatchObject({
        outcome: 'accepted',
        rule: 'AUTO_CONFIRM',
      });
      // …including the account guard, which refuses the duplicate under deny.
      const deny = configOf({ ...PROVEN, LINK_FEDERATED_USERS: 'Google', EXISTING_ACCOUNT_POLICY: 'deny' });
      expect(decide(federated('Google_1'), deny, facts)).toEqual({
        outcome: 'needs-facts',
        facts: ['existingAccountForEmail'],
      });
      expect(decide(federated('Google_1'), deny, { ...facts, existingAccountForEmail: true })).toEqual({
        outcome: 'refused',
        code: 'ACCOUNT_EXISTS',
        rule: 'EXISTING_ACCOUNT_POLICY',
      });
    },
  );

  it('links before the invitation and the account guard: an existing account needs neither', () => {
    const config = configOf({
      ...PROVEN,
      LINK_FEDERATED_USERS: 'Google',
      EXISTING_ACCOUNT_POLICY: 'deny',
      INVITE_REQUIRED: 'true',
      INVITE_TABLE: 'invites',
    });
    expect(decide(federated('Google_1'), config, NO_FACTS)).toEqual({
      outcome: 'needs-facts',
      facts: ['federatedLink'],
    });
  });

  it('looks nothing up for a provider not listed, no email, a self sign-up, or with the setting off', () => {
    expect(decide(federated('Facebook_1'), LINKING, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
    expect(decide(federated('Google_1', null), LINKING, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
    expect(decide(federated('Google_'), LINKING, NO_FACTS)).toMatchObject({ outcome: 'accepted' });
    expect(decide(inputOf({ userName: 'Google_1', email: 'kim@example.com' }), LINKING, NO_FACTS)).toMatchObject({
      outcome: 'accepted',
    });
    expect(decide(federated('Google_1'), configOf({}), NO_FACTS)).toMatchObject({ outcome: 'accepted' });
  });

  it('logs the case and the provider, never the id or the email', () => {
    expect(federatedLinkLogOf(federated('google_1'), LINKING, { federatedLink: 'linked' })).toEqual({
      provider: 'Google',
      outcome: 'linked',
    });
    expect(federatedLinkLogOf(federated('Facebook_1'), LINKING, NO_FACTS)).toEqual({
      provider: 'Facebook',
      outcome: 'provider-not-listed',
    });
    expect(federatedLinkLogOf(federated('kim@example.com'), LINKING, NO_FACTS)).toEqual({
      provider: '(unreadable)',
      outcome: 'provider-not-listed',
    });
    expect(federatedLinkLogOf(federated('Google_1', null), LINKING, NO_FACTS)).toEqual({
      provider: 'Google',
      outcome: 'no-email',
    });
    const withoutUserName = readInput({
      triggerSource: 'PreSignUp_ExternalProvider',
      request: { userAttributes: { email: 'kim@example.com' } },
    });
    expect(federatedLinkLogOf(withoutUserName, LINKING, NO_FACTS)).toEqual({
      provider: '(unreadable)',
      outcome: 'provider-not-listed',
    });
    expect(federatedLinkLogOf(federated('Google_1'), LINKING, NO_FACTS)).toBeUndefined();
    expect(federatedLinkLogOf(federated('Google_1'), configOf({}), NO_FACTS)).toBeUndefined();
  });
  // Attack: the IdP lets a user claim any address (Facebook sends no claim; Entra's is editable).
  it.each([
    ['"false"', 'false'],
    ['missing', null],
    ['"TRUE"', 'TRUE'],
    ['a number', 1],
  ] as const)(
    'links nothing when the IdP does not say the email is verified (%s), and goes on to the other rules',
    (_, claim) => {
      const unproven = federated('Google_1', 'kim@example.com', claim);
      expect(decide(unproven, LINKING, NO_FACTS)).toEqual({
        outcome: 'accepted',
        flags: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
        rule: 'AUTO_CONFIRM',
      });
      expect(federatedIdentityOf(unproven, LINKING)).toBeUndefined();
      expect(federatedLinkLogOf(unproven, LINKING, NO_FACTS)).toEqual({
        provider: 'Google',
        outcome: 'provider-email-unverified',
      });
    },
  );

  it('links on the IdP’s word, given as Cognito sends it ("true") or as a boolean', () => {
    for (const claim of ['true', true]) {
      expect(decide(federated('Google_1', 'kim@example.com', claim), LINKING, NO_FACTS)).toEqual({
        outcome: 'needs-facts',
        facts: ['federatedLink'],
      });
    }
  });
});
