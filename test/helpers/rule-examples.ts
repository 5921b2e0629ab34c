import type { RuleName } from '../../src/decide/decide.js';
import type { Facts } from '../../src/model/facts.js';
import { sampleOf, sampleSettingsOf } from './setting-samples.js';

/** A pre sign-up event as the rules' tests draw them. */
interface ExampleEvent {
  readonly triggerSource: string;
  readonly userName: string;
  readonly userPoolId: string;
  readonly callerContext: { readonly clientId: string };
  readonly request: {
    readonly userAttributes: Readonly<Record<string, string>>;
    readonly validationData?: Readonly<Record<string, string>>;
  };
}

function eventOf(
  attributes: Readonly<Record<string, string>>,
  more: { triggerSource?: string; userName?: string; validationData?: Record<string, string> } = {},
): ExampleEvent {
  return {
    triggerSource: more.triggerSource ?? 'PreSignUp_SignUp',
    userName: more.userName ?? 'kim',
    userPoolId: 'us-east-1_EXAMPLE',
    callerContext: { clientId: 'client-1' },
    request: { userAttributes: attributes, validationData: more.validationData ?? {} },
  };
}

/**
 * For every refusal rule, settings that turn it on and a sign-up (with facts) it acts on: it
 * refuses it or asks for a fact. The loading property draws these, so that a rule whose isOn is
 * wrong is caught acting while off; the type makes a new rule without an example fail to compile.
 * The settings are a setting's sample (test/helpers/setting-samples.ts), never values of their
 * own; the sign-up is one that sample acts on (test/decide/rules-on.test.ts fails when it is not).
 */
export const RULE_EXAMPLES: {
  readonly [Name in RuleName]: {
    readonly env: Readonly<Record<string, string>>;
    readonly event: ExampleEvent;
    readonly facts?: Facts;
  };
} = {
  UNREADABLE_EMAIL: { env: sampleSettingsOf('ALLOWED_EMAIL_DOMAINS'), event: eventOf({ email: 'kim@ex%61mple.com' }) },
  BLOCKED_EMAILS: { env: sampleSettingsOf('BLOCKED_EMAILS'), event: eventOf({ email: 'spam+x@example.com' }) },
  BLOCKED_EMAIL_DOMAINS: {
    env: sampleSettingsOf('BLOCKED_EMAIL_DOMAINS'),
    event: eventOf({ email: 'kim@evil.example' }),
  },
  EMAIL_SUBADDRESSES: { env: sampleSettingsOf('EMAIL_SUBADDRESSES'), event: eventOf({ email: 'kim+tag@example.com' }) },
  ALLOWED_EMAIL_DOMAINS: { env: sampleSettingsOf('ALLOWED_EMAILS'), event: eventOf({ email: 'lee@example.com' }) },
  ALLOWED_PHONE_PREFIXES: {
    env: sampleSettingsOf('BLOCKED_PHONE_PREFIXES'),
    event: eventOf({ phone_number: '+79000000000' }),
  },
  BLOCK_DISPOSABLE_EMAILS: {
    env: sampleSettingsOf('BLOCK_DISPOSABLE_EMAILS'),
    event: eventOf({ email: 'kim@mailinator.com' }),
  },
  EMAIL_TYPO_CHECK: { env: sampleSettingsOf('EMAIL_TYPO_CHECK'), event: eventOf({ email: 'kim@gmial.com' }) },
  EMAIL_DELIVERABILITY: {
    env: sampleSettingsOf('EMAIL_DELIVERABILITY'),
    event: eventOf({ email: 'kim@no-such-domain.example' }),
    facts: { emailDomainMail: 'no-such-domain' },
  },
  MIN_USERNAME_LENGTH: { env: sampleSettingsOf('MIN_USERNAME_LENGTH'), event: eventOf({}, { userName: 'k' }) },
  CAPTCHA: { env: sampleSettingsOf('CAPTCHA'), event: eventOf({ email: 'kim@example.com' }) },
  LINK_FEDERATED_USERS: {
    env: sampleSettingsOf('LINK_FEDERATED_USERS'),
    event: eventOf(
      { email: 'kim@example.com', email_verified: 'true' },
      { triggerSource: 'PreSignUp_ExternalProvider', userName: 'Google_1234567890' },
    ),
  },
  INVITE_REQUIRED: {
    env: sampleSettingsOf('INVITE_SECRET'),
    event: eventOf({ email: 'kim@example.com' }),
  },
  WAITLIST_TABLE: {
    env: { ...sampleSettingsOf('INVITE_SECRET'), WAITLIST_TABLE: sampleOf('WAITLIST_TABLE').value },
    event: eventOf({ email: 'kim@example.com' }),
  },
  EXISTING_ACCOUNT_POLICY: {
    env: sampleSettingsOf('EXISTING_ACCOUNT_POLICY'),
    event: eventOf({ email: 'kim@example.com' }),
  },
  RATE_LIMITS: {
    env: sampleSettingsOf('RATE_LIMITS'),
    event: eventOf({ email: 'kim@example.com' }),
  },
  INVITATION_USE: {
    env: sampleSettingsOf('INVITE_REQUIRED'),
    event: eventOf({ email: 'kim@example.com' }, { validationData: { inviteCode: 'code-1' } }),
    facts: { invitation: { proven: 'code', spendsUse: true } },
  },
};
