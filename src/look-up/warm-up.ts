import type { LoadedConfig } from '../config/load-config.js';
import type { FactName, Facts } from '../model/facts.js';
import type { FactGatherer } from './lazy/gather-facts.js';

// The answers that let a synthetic sign-up go on to the next rule, so that every rule is reached.
const LET_THROUGH: Required<Facts> = {
  disposableEmail: false,
  emailDomainTypo: { suggestion: undefined },
  emailDomainMail: 'has-mail-server',
  invitation: { proven: 'code', spendsUse: false },
  invitationUse: 'spent',
  waitlist: 'recorded',
  captcha: { passed: true },
  rateLimit: { exceeded: undefined },
  existingAccountForEmail: false,
  existingAccountForPhone: false,
  federatedLink: 'no-match',
};

/**
 * Synthetic sign-ups that reach every rule a configuration has: a self sign-up with every
 * attribute, one without an invitation when a waitlist takes those, and a first federated sign-in through the first provider that LINK_FEDERATED_USERS
 * lists (the IdP vouching for the email), so that linking is asked for when it is on.
 */
export function syntheticEvents(loaded: LoadedConfig): unknown[] {
  const attributes = { email: 'warm-up@example.com', phone_number: '+15555550100', email_verified: 'true' };
  const request = {
    userAttributes: attributes,
    validationData: { inviteCode: 'warm-up', captchaToken: 'warm-up' },
    clientMetadata: {},
  };
  const base = { userPoolId: 'us-east-1_warmup', callerContext: { clientId: 'warm-up' }, request, response: {} };
  const provider = loaded.config.linkFederatedUsers?.[0];
  // Without an invitation, the one sign-up the waitlist takes (its invitation is answered `none`).
  const uninvited = { ...request, validationData: { captchaToken: 'warm-up' } };
  return [
    { ...base, triggerSource: 'PreSignUp_SignUp', userName: 'warm-up' },
    ...(loaded.config.waitlist === undefined
      ? []
      : [{ ...base, request: uninvited, triggerSource: 'PreSignUp_SignUp', userName: 'warm-up-uninvited' }]),
    ...(provider === undefined
      ? []
      : [{ ...base, triggerSource: 'PreSignUp_ExternalProvider', userName: `${provider}_warm-up` }]),
  ];
}

/**
 * The facts whose lookup reads only the zip (no network): the warm-up may run their real lookup
 * on a synthetic sign-up, so that the first user's path is compiled as it will run.
 */
export const LOCAL_FACTS: ReadonlySet<FactName> = new Set<FactName>(['disposableEmail', 'emailDomainTypo']);

/**
 * A FactGatherer for the warm-up: no I/O, every fact answered so that the sign-up goes on, and
 * every fact asked for recorded (those are the lookups the configuration needs).
 */
export function recordingGatherer(): { readonly gather: FactGatherer; readonly asked: ReadonlySet<FactName> } {
  const asked = new Set<FactName>();
  const gather: FactGatherer = (names, input) => {
    for (const name of names) asked.add(name);
    // A sign-up with no code has no invitation: the waitlist's synthetic sign-up reaches it.
    const answer = (name: FactName) =>
      name === 'invitation' && input.inviteCode === undefined ? 'none' : LET_THROUGH[name];
    return Promise.resolve({
      facts: Object.fromEntries(names.map((name) => [name, answer(name)])),
      failures: [],
      warnings: [],
    });
  };
  return { gather, asked };
}
