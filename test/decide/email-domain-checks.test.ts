import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import type { Facts } from '../../src/model/facts.js';
import { NO_FACTS } from '../../src/model/facts.js';
import { configOf, readInput } from '../helpers/fixtures.js';

interface SignUp {
  readonly email: string;
  readonly source?: string;
  readonly emailVerified?: string;
  readonly validationData?: Record<string, string>;
  readonly clientMetadata?: Record<string, string>;
}

function inputOf({ email, source, emailVerified, validationData, clientMetadata }: SignUp) {
  return readInput({
    triggerSource: source ?? 'PreSignUp_SignUp',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: source === 'PreSignUp_ExternalProvider' ? 'Google_123' : 'kim',
    request: {
      userAttributes: { email, ...(emailVerified === undefined ? {} : { email_verified: emailVerified }) },
      validationData: validationData ?? null,
      clientMetadata: clientMetadata ?? {},
    },
  });
}

const decideFor = (env: Record<string, string>, signUp: SignUp, facts: Facts = NO_FACTS) =>
  decide(inputOf(signUp), configOf(env), facts);

const TYPO = { EMAIL_TYPO_CHECK: 'true' };
const DNS = { EMAIL_DELIVERABILITY: 'true' };
const typoRefusal = {
  outcome: 'refused',
  code: 'EMAIL_DOMAIN_TYPO',
  rule: 'EMAIL_TYPO_CHECK',
  suggestion: 'gmail.com',
};
const suggested: Facts = { emailDomainTypo: { suggestion: 'gmail.com' } };

describe('EMAIL_TYPO_CHECK', () => {
  it('asks for the suggestion, then refuses with it; no suggestion admits', () => {
    expect(decideFor(TYPO, { email: 'kim@gmial.com' })).toEqual({ outcome: 'needs-facts', facts: ['emailDomainTypo'] });
    expect(decideFor(TYPO, { email: 'kim@gmial.com' }, suggested)).toEqual(typoRefusal);
    expect(decideFor(TYPO, { email: 'kim@gmial.com' }, { emailDomainTypo: { suggestion: undefined } })).toMatchObject({
      outcome: 'accepted',
    });
  });

  it('asks nothing for a well-known domain, one EMAIL_TYPO_DOMAINS adds, or one an allow list names', () => {
    expect(decideFor(TYPO, { email: 'kim@gmx.de' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor({ ...TYPO, EMAIL_TYPO_DOMAINS: 'gmial.com' }, { email: 'kim@gmial.com' })).toMatchObject({
      outcome: 'accepted',
    });
    // A domain ALLOWED_EMAIL_DOMAINS names is never "a typo", even one the library would flag.
    expect(
      decideFor({ ...TYPO, ALLOWED_EMAIL_DOMAINS: 'gmial.com' }, { email: 'kim@gmial.com' }, suggested),
    ).toMatchObject({
      outcome: 'accepted',
    });
    expect(
      decideFor({ ...TYPO, ALLOWED_EMAIL_DOMAINS: '*.corp.example' }, { email: 'kim@mx.corp.example' }),
    ).toMatchObject({
      outcome: 'accepted',
    });
    // Nor an address ALLOWED_EMAILS names; the allow list still refuses others first.
    const listed = { ...TYPO, ALLOWED_EMAILS: 'kim@gmial.com' };
    expect(decideFor(listed, { email: 'kim@gmial.com' }, suggested)).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(listed, { email: 'lee@gmial.com' }, suggested)).toMatchObject({
      code: 'EMAIL_DOMAIN_NOT_ALLOWED',
    });
  });

  it('admits a user who insists, through validationData or clientMetadata, with "true" only', () => {
    const insisting = (where: 'validationData' | 'clientMetadata', value: string) =>
      decideFor(TYPO, { email: 'kim@gmial.com', [where]: { emailDomainConfirmed: value } }, suggested);
    expect(insisting('validationData', 'true')).toMatchObject({ outcome: 'accepted' });
    expect(insisting('clientMetadata', 'true')).toMatchObject({ outcome: 'accepted' });
    expect(insisting('validationData', 'yes')).toEqual(typoRefusal);
    expect(insisting('validationData', 'TRUE')).toEqual(typoRefusal);
  });

  it('insisting admits only the typo: a blocked domain and the DNS check still refuse', () => {
    const confirmed = { validationData: { emailDomainConfirmed: 'true' } };
    const env = { ...TYPO, ...DNS, BLOCKED_EMAIL_DOMAINS: 'gmial.com' };
    expect(decideFor(env, { email: 'kim@gmial.com', ...confirmed }, suggested)).toMatchObject({
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
    const dnsRefusal = decideFor(
      { ...TYPO, ...DNS },
      { email: 'kim@gmial.com', ...confirmed },
      {
        ...suggested,
        emailDomainMail: 'no-such-domain',
      },
    );
    expect(dnsRefusal).toEqual({ outcome: 'refused', code: 'EMAIL_UNDELIVERABLE', rule: 'EMAIL_DELIVERABILITY' });
  });

  it('judges no federated email the IdP verified, and an unverified one as a self sign-up’s', () => {
    const federated = { email: 'kim@gmial.com', source: 'PreSignUp_ExternalProvider' };
    expect(decideFor(TYPO, { ...federated, emailVerified: 'true' }, suggested)).toMatchObject({ outcome: 'accepted' });
    expect(decideFor(TYPO, { ...federated, emailVerified: 'false' }, suggested)).toEqual(typoRefusal);
  });

  it('judges AdminCreateUser (an administrator insists the same way)', () => {
    const admin = { email: 'kim@gmial.com', source: 'PreSignUp_AdminCreateUser' };
    expect(decideFor(TYPO, admin, suggested)).toEqual(typoRefusal);
    expect(decideFor(TYPO, { ...admin, validationData: { emailDomainConfirmed: 'true' } }, suggested)).toMatchObject({
      outcome: 'unchanged',
    });
  });

  it('admits when the suggestion could not be had, whatever FAIL_OPEN says', () => {
    for (const failure of ['transient-failure', 'permanent-failure'] as const) {
      for (const failOpen of ['true', 'false']) {
        expect(
          decideFor({ ...TYPO, FAIL_OPEN: failOpen }, { email: 'kim@gmial.com' }, { emailDomainTypo: failure }),
        ).toMatchObject({ outcome: 'accepted' });
      }
    }
  });

  it('refuses an unreadable email with EMAIL_INVALID under EMAIL_TYPO_CHECK', () => {
    expect(decideFor(TYPO, { email: 'kim@gm%61il.com' })).toEqual({
      outcome: 'refused',
      code: 'EMAIL_INVALID',
      rule: 'EMAIL_TYPO_CHECK',
    });
  });
});

describe('EMAIL_DELIVERABILITY', () => {
  it('asks DNS, and refuses a domain that does not exist, has a null MX or no mail server', () => {
    expect(decideFor(DNS, { email: 'kim@corp.example' })).toEqual({
      outcome: 'needs-facts',
      facts: ['emailDomainMail'],
    });
    for (const answer of ['no-such-domain', 'null-mx', 'no-mail-server'] as const) {
      expect(decideFor(DNS, { email: 'kim@corp.example' }, { emailDomainMail: answer })).toEqual({
        outcome: 'refused',
        code: 'EMAIL_UNDELIVERABLE',
        rule: 'EMAIL_DELIVERABILITY',
      });
    }
  });

  it('admits a mail server, no usable answer, and a failed lookup, whatever FAIL_OPEN says', () => {
    for (const answer of ['has-mail-server', 'unknown', 'transient-failure', 'permanent-failure'] as const) {
      for (const failOpen of ['true', 'false']) {
        expect(
          decideFor({ ...DNS, FAIL_OPEN: failOpen }, { email: 'kim@corp.example' }, { emailDomainMail: answer }),
        ).toMatchObject({ outcome: 'accepted' });
      }
    }
  });

  it('asks nothing for a well-known domain, an allowed or added one, or a federated sign-up', () => {
    expect(decideFor(DNS, { email: 'kim@gmail.com' })).toMatchObject({ outcome: 'accepted' });
    expect(decideFor({ ...DNS, ALLOWED_EMAIL_DOMAINS: 'corp.example' }, { email: 'kim@corp.example' })).toMatchObject({
      outcome: 'accepted',
    });
    expect(
      decideFor({ ...DNS, ...TYPO, EMAIL_TYPO_DOMAINS: 'corp.example' }, { email: 'kim@corp.example' }),
    ).toMatchObject({
      outcome: 'accepted',
    });
    for (const emailVerified of ['true', 'false']) {
      expect(
        decideFor(DNS, { email: 'kim@corp.example', source: 'PreSignUp_ExternalProvider', emailVerified }),
      ).toMatchObject({ outcome: 'accepted' });
    }
  });

  it('judges AdminCreateUser, whose invitation Cognito mails', () => {
    expect(
      decideFor(
        DNS,
        { email: 'kim@corp.example', source: 'PreSignUp_AdminCreateUser' },
        { emailDomainMail: 'null-mx' },
      ),
    ).toMatchObject({ code: 'EMAIL_UNDELIVERABLE' });
  });

  it('is looked up beside the typo check, and the typo refusal wins', () => {
    const env = { ...TYPO, ...DNS };
    expect(decideFor(env, { email: 'kim@gmial.com' })).toEqual({
      outcome: 'needs-facts',
      facts: ['emailDomainTypo', 'emailDomainMail'],
    });
    expect(decideFor(env, { email: 'kim@gmial.com' }, { ...suggested, emailDomainMail: 'no-such-domain' })).toEqual(
      typoRefusal,
    );
  });

  it('refuses an unreadable email with EMAIL_INVALID under EMAIL_DELIVERABILITY', () => {
    expect(decideFor(DNS, { email: 'kim@[192.0.2.1]' })).toEqual({
      outcome: 'refused',
      code: 'EMAIL_INVALID',
      rule: 'EMAIL_DELIVERABILITY',
    });
  });
});

// F2: a refusal that says what the function's resolver knows must not be had without a CAPTCHA,
// and a probe without one must cost no DNS query.
describe('EMAIL_DELIVERABILITY behind CAPTCHA and before the invitation', () => {
  const gated = {
    ...DNS,
    CAPTCHA: 'turnstile',
    CAPTCHA_SECRET: 'x',
    INVITE_REQUIRED: 'true',
    INVITE_SECRET: 's'.repeat(32),
  };

  it('tells an outsider without a token nothing of the domain: CAPTCHA_REQUIRED either way', () => {
    for (const emailDomainMail of ['has-mail-server', 'no-such-domain'] as const) {
      expect(decideFor(gated, { email: 'a@nope.corp.internal' }, { emailDomainMail })).toMatchObject({
        code: 'CAPTCHA_REQUIRED',
      });
    }
  });

  it('asks DNS only once the CAPTCHA passed, never beside its check', () => {
    const withToken = { email: 'a@nope.corp.internal', validationData: { captchaToken: 'token' } };
    expect(decideFor(gated, withToken)).toEqual({ outcome: 'needs-facts', facts: ['captcha'] });
    expect(decideFor(gated, withToken, { captcha: { passed: false, reason: 'refused' } })).toMatchObject({
      code: 'CAPTCHA_FAILED',
    });
    expect(decideFor(gated, withToken, { captcha: { passed: true } })).toMatchObject({
      outcome: 'needs-facts',
      facts: expect.arrayContaining(['emailDomainMail']),
    });
    // Before the invitation: an address that takes no mail is refused, never put on a waitlist.
    expect(
      decideFor(gated, withToken, { captcha: { passed: true }, emailDomainMail: 'no-such-domain', invitation: 'none' }),
    ).toMatchObject({ code: 'EMAIL_UNDELIVERABLE' });
  });
});

// F3: an address a rule would never judge is no reason for EMAIL_INVALID under it.
describe('an unreadable email the checks would never judge', () => {
  const federatedVerified = (email: string) => ({ email, source: 'PreSignUp_ExternalProvider', emailVerified: 'true' });

  it.each([TYPO, DNS])('is admitted for a federated sign-up the IdP verified (%o)', (env) => {
    for (const email of ['kim@my_host.example.com', 'kim@localhost']) {
      expect(decideFor(env, federatedVerified(email))).toMatchObject({ outcome: 'accepted' });
    }
  });

  it('is refused for what they do judge: an unverified federated email under the typo check', () => {
    expect(
      decideFor(TYPO, { email: 'kim@localhost', source: 'PreSignUp_ExternalProvider', emailVerified: 'false' }),
    ).toMatchObject({ code: 'EMAIL_INVALID', rule: 'EMAIL_TYPO_CHECK' });
    expect(
      decideFor(DNS, { email: 'kim@localhost', source: 'PreSignUp_ExternalProvider', emailVerified: 'false' }),
    ).toMatchObject({ outcome: 'accepted' });
  });

  it('is still refused under a rule that judges every address, whatever the source', () => {
    expect(
      decideFor({ ...DNS, BLOCKED_EMAIL_DOMAINS: 'example.net' }, federatedVerified('kim@localhost')),
    ).toMatchObject({ code: 'EMAIL_INVALID', rule: 'BLOCKED_EMAIL_DOMAINS' });
  });
});

describe('an unreadable email the user insists on', () => {
  it('is still refused: insisting vouches for the domain, not for an address nobody can read', () => {
    expect(
      decideFor(TYPO, { email: 'kim@gm%61il.com', validationData: { emailDomainConfirmed: 'true' } }),
    ).toMatchObject({ code: 'EMAIL_INVALID', rule: 'EMAIL_TYPO_CHECK' });
  });
});
