import type { ConfigIssue } from '../../src/model/config-issue.js';
import { type Config, loadConfig } from '../../src/config/load-config.js';
import { readSignUpEvent, type SignUpInput } from '../../src/read/sign-up-event.js';

/** The config of valid settings; fails the test with every issue when they are not valid. */
export function configOf(env: Record<string, string>): Config {
  const { config, issues } = loadConfig(env);
  if (issues.length > 0) throw new Error(`unexpected configuration issues: ${JSON.stringify(issues)}`);
  return config;
}

/** The issues of settings that must be invalid; fails the test when they are valid. */
export function issuesOf(env: Record<string, string>): readonly ConfigIssue[] {
  const { issues } = loadConfig(env);
  if (issues.length === 0) throw new Error('expected an invalid configuration');
  return issues;
}

/** What the rules see of a raw event; fails the test when it is not a readable sign-up. */
export function readInput(event: unknown): SignUpInput {
  const reading = readSignUpEvent(event);
  if (reading.kind !== 'sign-up') throw new Error(`not a sign-up: ${reading.kind}`);
  return reading.input;
}

/** What the rules see of a self sign-up to us-east-1_EXAMPLE with these attributes. */
export function inputOf(fields: {
  source?: string;
  userName?: string;
  email?: string;
  phone?: string;
  inviteCode?: string;
  /** The event's `email_verified` / `phone_number_verified` attributes, as an IdP mapping sends them. */
  emailVerified?: string | boolean;
  phoneVerified?: string | boolean;
}): SignUpInput {
  return readInput({
    triggerSource: fields.source ?? 'PreSignUp_SignUp',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: fields.userName ?? 'someone',
    request: {
      userAttributes: {
        email: fields.email,
        phone_number: fields.phone,
        email_verified: fields.emailVerified,
        phone_number_verified: fields.phoneVerified,
      },
      validationData: fields.inviteCode === undefined ? null : { inviteCode: fields.inviteCode },
    },
  });
}
