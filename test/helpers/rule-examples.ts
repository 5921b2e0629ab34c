import type { RuleName } from '../../src/decide/decide.js';
import type { Facts } from '../../src/model/facts.js';

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
 */
export const RULE_EXAMPLES: {
  readonly [Name in RuleName]: {
    readonly env: Readonly<Record<string, string>>;
    readonly event: ExampleEvent;
    readonly facts?: Facts;
  };
} = {
  UNREADABLE_EMAIL: { env: { ALLOWED_EMAIL_DOMAINS: 'example.com' }, event: eventOf({ email: 'kim@ex%61mple.com' }) },
  BLOCKED_EMAILS: { env: { BLOCKED_EMAILS: 'spam@example.com' }, event: eventOf({ email: 'spam+x@example.com' }) },
  BLOCKED_EMAIL_DOMAINS: {
    env: { BLOCKED_EMAIL_DOMAINS: 'evil.example' },
    event: eventOf({ email: 'kim@evil.example' }),
  },
  EMAIL_SUBADDRESSES: { env: { EMAIL_SUBADDRESSES: 'block' }, event: eventOf({ email: 'kim+tag@example.com' }) },
  ALLOWED_EMAIL_DOMAINS: { env: { ALLOWED_EMAILS: 'kim@example.com' }, event: eventOf({ email: 'lee@example.com' }) },
  ALLOWED_PHONE_PREFIXES: { env: { BLOCKED_PHONE_PREFIXES: '+7' }, event: eventOf({ phone_number: '+79000000000' }) },
  BLOCK_DISPOSABLE_EMAILS: {
    env: { BLOCK_DISPOSABLE_EMAILS: 'true' },
    event: eventOf({ email: 'kim@mailinator.com' }),
  },
  EMAIL_TYPO_CHECK: { env: { EMAIL_TYPO_CHECK: 'true' }, event: eventOf({ email: 'kim@gmial.com' }) },
  EMAIL_DELIVERABILITY: {
    env: { EMAIL_DELIVERABILITY: 'true' },
    event: eventOf({ email: 'kim@no-such-domain.example' }),
    facts: { emailDomainMail: 'no-such-domain' },
  },
  MIN_USERNAME_LENGTH: { env: { MIN_USERNAME_LENGTH: '3' }, event: eventOf({}, { userName: 'k' }) },
  CAPTCHA: { env: { CAPTCHA: 'turnstile', CAPTCHA_SECRET: 's' }, event: eventOf({ email: 'kim@example.com' }) },
  LINK_FEDERATED_USERS: {
    env: { LINK_FEDERATED_USERS: 'Google', AUTO_VERIFY_EMAIL: 'false' },
    event: eventOf(
      { email: 'kim@example.com', email_verified: 'true' },
      { triggerSource: 'PreSignUp_ExternalProvider', userName: 'Google_1234567890' },
    ),
  },
  INVITE_REQUIRED: {
    env: { INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40) },
    event: eventOf({ email: 'kim@example.com' }),
  },
  WAITLIST_TABLE: {
    env: { INVITE_REQUIRED: 'true', INVITE_SECRET: 'x'.repeat(40), WAITLIST_TABLE: 'waitlist' },
    event: eventOf({ email: 'kim@example.com' }),
  },
  EXISTING_ACCOUNT_POLICY: { env: { EXISTING_ACCOUNT_POLICY: 'deny' }, event: eventOf({ email: 'kim@example.com' }) },
  RATE_LIMITS: {
    env: { RATE_LIMITS: 'pool:10/d', RATE_LIMIT_TABLE: 'counts' },
    event: eventOf({ email: 'kim@example.com' }),
  },
  INVITATION_USE: {
    env: { INVITE_REQUIRED: 'true', INVITE_TABLE: 'invites' },
    event: eventOf({ email: 'kim@example.com' }, { validationData: { inviteCode: 'code-1' } }),
    facts: { invitation: { proven: 'code', spendsUse: true } },
  },
};
