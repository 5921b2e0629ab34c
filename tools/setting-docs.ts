import type { ChoiceSetting, SETTING_REGISTRY, SettingName } from '../src/config/settings.js';
import type { RuleName } from '../src/decide/decide.js';
import type { TemplateGroup } from './template-settings.js';

type Registered<Name extends SettingName> = (typeof SETTING_REGISTRY)[Name];

/**
 * What the settings reference says of one setting beyond what the registry says. Its value and
 * default columns are made from the registry (tools/settings-table.ts): a boolean, a number's
 * bounds, a choice's values and a set default are written nowhere here. Only a list's entries and
 * a free text's format are described in words (`value`), and a setting whose default is empty may
 * say what unset means (`unset`); the types refuse either anywhere else.
 */
type SettingDoc<Name extends SettingName> = {
  /** What it does, in Markdown: one line, with links to the page that says more. */
  readonly effect: string;
  /** Its parameter in template.yaml (see TemplateDoc). */
  readonly template: TemplateDoc;
} & (Registered<Name>['kind'] extends 'list' | 'text'
  ? Name extends ChoiceSetting
    ? { readonly value?: never }
    : {
        /** What the value is, in words: `domain list`, `SSM parameter name or ARN`… */
        readonly value: string;
      }
  : { readonly value?: never }) &
  (Registered<Name>['default'] extends ''
    ? {
        /** What leaving it unset means (`empty = every domain`); `—` when not given. */
        readonly unset?: string;
      }
    : { readonly unset?: never }) &
  (Name extends RuleName
    ? {
        /** The refusal rule named after this setting, as the docs show it in its place. */
        readonly rule: RuleDoc;
      }
    : { readonly rule?: never });

/**
 * A setting's parameter in template.yaml, as `npm run docs` writes it (tools/template-settings.ts):
 * named after it in PascalCase, with the registry's default, and a boolean's or a choice's values.
 */
interface TemplateDoc {
  /** The console's group of parameters it is shown in. */
  readonly group: TemplateGroup;
  /** What it does, in plain text (the console shows no Markdown), after the setting's name. */
  readonly description: string;
  /** A pattern the console checks before deploying. */
  readonly pattern?: string;
  /** Values the console offers, where the registry has none to give (a list's combinations). */
  readonly values?: readonly string[];
  /** The variable's value, in YAML, when it is not the parameter's (`!Ref Parameter`). */
  readonly variable?: string;
}

/**
 * A refusal rule as the docs show it, in the order of REFUSAL_RULES (`npm run docs` writes both):
 * its item in docs/settings.md's "Order of the rules", and its decision in the README's diagram.
 */
export interface RuleDoc {
  /** Its item in the order of the rules, in Markdown: the setting, when it applies, why it is here. */
  readonly order: string;
  /** Its question in the diagram (Mermaid text: no brackets, braces or quotes). */
  readonly asks: string;
  /** The answer that refuses, and what it refuses with. */
  readonly refusedWhen: string;
  readonly refuses: string;
  /** The answer that goes on; `pass` when not given. */
  readonly passesWhen?: string;
}

/**
 * The settings reference's prose, one entry per setting, in the order the page lists them. The
 * table in docs/settings.md is made from this and the registry (`npm run docs`;
 * test/config/settings-agree.test.ts checks that it is), and the compiler makes sure that every
 * setting of SETTING_REGISTRY has an entry. Build-time material: nothing under src/ imports it.
 */
export const SETTING_DOCS: { readonly [Name in SettingName]: SettingDoc<Name> } = {
  AUTO_CONFIRM: {
    effect:
      'Confirm a sign-up that no rule refused (`autoConfirmUser`). `false` does **not** refuse: the user is created unconfirmed and confirms by code as usual.',
    template: {
      group: 'Confirmation and verification',
      description: 'Confirm a sign-up that no rule refused (true/false).',
    },
  },
  AUTO_CONFIRM_EMAIL_DOMAINS: {
    value: 'domain list',
    unset: 'empty = every domain',
    effect: 'Confirm only emails in these domains; everyone else is created unconfirmed and verifies by code.',
    template: {
      group: 'Confirmation and verification',
      description:
        'Only emails in these domains are auto-confirmed (comma-separated, *.example.com for subdomains); empty = every domain.',
    },
  },
  AUTO_VERIFY_EMAIL: {
    effect:
      'Mark the email verified (`autoVerifyEmail`) when the user is confirmed and has an email. Must be `false` while `LINK_FEDERATED_USERS` is set and native users are auto-confirmed.',
    template: {
      group: 'Confirmation and verification',
      description: "Mark a confirmed user's email verified (true/false).",
    },
  },
  AUTO_VERIFY_PHONE: {
    effect: 'Mark the phone number verified (`autoVerifyPhone`) when the user is confirmed and has one.',
    template: {
      group: 'Confirmation and verification',
      description: "Mark a confirmed user's phone number verified (true/false).",
    },
  },
  ALLOWED_EMAIL_DOMAINS: {
    value: 'domain list',
    unset: 'empty = no restriction',
    effect:
      'Refuse emails outside the list, and sign-ups without an email: `EMAIL_DOMAIN_NOT_ALLOWED`. An unreadable email is refused with `EMAIL_INVALID` ([email reading](email-reading.md)).',
    rule: {
      order: '`ALLOWED_EMAILS` / `ALLOWED_EMAIL_DOMAINS`;',
      asks: 'ALLOWED_EMAILS, ALLOWED_EMAIL_DOMAINS: the address or its domain allowed?',
      refusedWhen: 'outside',
      refuses: 'EMAIL_DOMAIN_NOT_ALLOWED',
    },
    template: {
      group: 'Who may sign up',
      description: 'Refuse emails outside these domains; empty = no restriction.',
    },
  },
  BLOCKED_EMAIL_DOMAINS: {
    value: 'domain list',
    effect: 'Refuse emails in the list: `EMAIL_DOMAIN_BLOCKED`. Checked before the allow list.',
    rule: {
      order: '`BLOCKED_EMAIL_DOMAINS`;',
      asks: 'BLOCKED_EMAIL_DOMAINS: the domain or a parent listed?',
      refusedWhen: 'listed',
      refuses: 'EMAIL_DOMAIN_BLOCKED',
    },
    template: {
      group: 'Who may sign up',
      description: 'Refuse emails in these domains.',
    },
  },
  ALLOWED_EMAILS: {
    value: 'address list',
    effect:
      'Exact addresses allowed whatever `ALLOWED_EMAIL_DOMAINS` says; without `ALLOWED_EMAIL_DOMAINS`, the only ones allowed (`EMAIL_DOMAIN_NOT_ALLOWED` for the rest).',
    template: {
      group: 'Who may sign up',
      description:
        'Exact email addresses, comma-separated, allowed whatever ALLOWED_EMAIL_DOMAINS says (and the only ones allowed without it); empty for none.',
    },
  },
  BLOCKED_EMAILS: {
    value: 'address list',
    effect:
      'Addresses refused with `EMAIL_BLOCKED`, before any allow list, with their `+tag` and Gmail variants ([email reading](email-reading.md#single-addresses)).',
    rule: {
      order:
        '`BLOCKED_EMAILS` (blocks come before allows: a blocked address or domain is refused even when an allow list names it);',
      asks: 'BLOCKED_EMAILS: the address or a variant of it listed?',
      refusedWhen: 'listed',
      refuses: 'EMAIL_BLOCKED',
    },
    template: {
      group: 'Who may sign up',
      description: 'Exact email addresses, comma-separated, refused with EMAIL_BLOCKED; empty for none.',
    },
  },
  EMAIL_SUBADDRESSES: {
    effect: '`block` refuses `local+tag@` addresses with `EMAIL_SUBADDRESS`.',
    rule: {
      order: '`EMAIL_SUBADDRESSES=block`;',
      asks: 'EMAIL_SUBADDRESSES=block: a local+tag address?',
      refusedWhen: 'tagged',
      refuses: 'EMAIL_SUBADDRESS',
    },
    template: {
      group: 'Who may sign up',
      description: 'block refuses local+tag@ addresses with EMAIL_SUBADDRESS.',
    },
  },
  ALLOWED_PHONE_PREFIXES: {
    value: 'E.164 prefixes',
    effect:
      'Phone numbers must start with one (`+1,+44,+4930`), else `PHONE_NOT_ALLOWED`. A sign-up without a phone number is not judged; one that is not E.164 is refused with `PHONE_INVALID`.',
    rule: {
      order: '`ALLOWED_PHONE_PREFIXES` / `BLOCKED_PHONE_PREFIXES`;',
      asks: 'ALLOWED_PHONE_PREFIXES, BLOCKED_PHONE_PREFIXES: the phone number allowed?',
      refusedWhen: 'fail',
      refuses: 'PHONE_INVALID, PHONE_NOT_ALLOWED, PHONE_BLOCKED',
    },
    template: {
      group: 'Who may sign up',
      description:
        'E.164 prefixes, comma-separated (e.g. +1,+44); a phone number outside them is refused with PHONE_NOT_ALLOWED. Empty for none.',
    },
  },
  BLOCKED_PHONE_PREFIXES: {
    value: 'E.164 prefixes',
    effect: 'Phone numbers starting with one are refused with `PHONE_BLOCKED`, before the allow list.',
    template: {
      group: 'Who may sign up',
      description:
        'E.164 prefixes, comma-separated; a phone number under one is refused with PHONE_BLOCKED. Empty for none.',
    },
  },
  MIN_USERNAME_LENGTH: {
    effect:
      'Refuse a shorter `userName`, counted in Unicode code points: `USERNAME_TOO_SHORT`. Not applied to federated sign-ups; leave at 0 in pools that use email as the user name (the name is an id).',
    rule: {
      order: '`MIN_USERNAME_LENGTH`;',
      asks: 'MIN_USERNAME_LENGTH, not for federated sign-ups',
      refusedWhen: 'short',
      refuses: 'USERNAME_TOO_SHORT',
    },
    template: {
      group: 'Who may sign up',
      description: 'Refuse shorter user names (0-128).',
    },
  },
  BLOCK_DISPOSABLE_EMAILS: {
    effect:
      'Refuse throwaway domains and their subdomains: `DISPOSABLE_EMAIL` ([email reading](email-reading.md#throwaway-domains)).',
    rule: {
      order: '`BLOCK_DISPOSABLE_EMAILS`;',
      asks: 'BLOCK_DISPOSABLE_EMAILS: a throwaway domain?',
      refusedWhen: 'throwaway',
      refuses: 'DISPOSABLE_EMAIL',
    },
    template: {
      group: 'Who may sign up',
      description: 'Refuse throwaway email domains (true/false).',
    },
  },
  EMAIL_TYPO_CHECK: {
    effect:
      'Refuse an email whose domain is one slip from a well-known mailbox domain (`gmial.com`, `yahoo.con`) with `EMAIL_DOMAIN_TYPO`, whose text names the suggestion (`...@gmail.com`). The user insists with `emailDomainConfirmed: "true"` in validationData or clientMetadata. Not for a domain an allow list names, nor a federated email the IdP verified ([email domain checks](email-domain-checks.md)).',
    rule: {
      order: '`EMAIL_TYPO_CHECK` (a likely typo, told locally; a quality check: no answer admits);',
      asks: 'EMAIL_TYPO_CHECK: one slip from a well-known domain?',
      refusedWhen: 'likely typo',
      refuses: 'EMAIL_DOMAIN_TYPO: did you mean ...@gmail.com?',
    },
    template: {
      group: 'Who may sign up',
      description:
        'Refuse an email whose domain is one slip from a well-known mailbox domain (gmial.com) with EMAIL_DOMAIN_TYPO, naming the suggestion; validationData emailDomainConfirmed=true admits it (true/false). See docs/email-domain-checks.md.',
    },
  },
  EMAIL_TYPO_DOMAINS: {
    value: 'domain names',
    effect:
      'Domains you vouch for: added to the typo library’s list (never taken for a typo themselves, and suggested for their own typos), and not looked up by `EMAIL_DELIVERABILITY`. Has an effect while either check is on.',
    template: {
      group: 'Who may sign up',
      description:
        'Domains you vouch for, comma-separated: added to the typo list (never taken for typos, suggested for their own) and not looked up by EmailDeliverability.',
    },
  },
  EMAIL_DELIVERABILITY: {
    effect:
      'Look the domain’s mail servers up in DNS (MX, then A/AAAA) and refuse a native sign-up with `EMAIL_UNDELIVERABLE` when the domain does not exist, publishes a null MX or has neither record. A DNS error or silence admits: a quality check, not a security one ([email domain checks](email-domain-checks.md)).',
    rule: {
      order:
        '`EMAIL_DELIVERABILITY` (the domain’s mail servers in DNS, native sign-ups only; no answer admits; after CAPTCHA, whose refusal it would otherwise leak past and whose check it never runs beside, and before the invitation, so that no waitlist records an address that takes no mail);',
      asks: 'EMAIL_DELIVERABILITY: DNS has a mail server? native sign-ups only',
      refusedWhen: 'no such domain, null MX, none',
      refuses: 'EMAIL_UNDELIVERABLE',
      passesWhen: 'pass or no answer',
    },
    template: {
      group: 'Who may sign up',
      description:
        "Look up the email domain's mail servers in DNS (MX, then A/AAAA) and refuse a native sign-up with EMAIL_UNDELIVERABLE when the domain does not exist, has a null MX or neither record; a DNS error or silence admits (true/false). No IAM permission needed.",
    },
  },
  DNS_SERVERS: {
    value: 'IP[:port] list',
    unset: 'empty = the system’s resolvers',
    effect:
      'The resolvers `EMAIL_DELIVERABILITY` asks instead of the system’s (`10.0.0.2,10.0.0.3:53`, `[2001:db8::53]:53`); environment only ([email domain checks](email-domain-checks.md#dns_servers)).',
    template: {
      group: 'Who may sign up',
      description:
        "Resolvers EMAIL_DELIVERABILITY asks instead of the system's, IP[:port] comma-separated (e.g. 10.0.0.2,10.0.0.3:53). Empty for the system's.",
    },
  },
  LINK_FEDERATED_USERS: {
    value: 'provider names',
    effect:
      'Identity providers, exactly as named in the pool (`Google,SignInWithApple`), whose first sign-in joins the existing native account ([federated linking](federated-linking.md)).',
    rule: {
      order:
        '`LINK_FEDERATED_USERS` (before the invitation and the account guard: a person who already has an account needs neither);',
      asks: 'LINK_FEDERATED_USERS: IdP and native user both proved the email?',
      refusedWhen: 'linked',
      refuses: 'ACCOUNT_LINKED: sign in again',
      passesWhen: 'no link',
    },
    template: {
      group: 'Federated sign-in',
      description:
        "Identity providers, exactly as named in the pool and separated by commas (e.g. Google,SignInWithApple), whose first sign-in joins the one verified, confirmed native account with the same email; empty for off. Links only when the provider's email_verified (mapped in the pool) is true. While AutoConfirm is true it needs AutoVerifyEmail=false, so that native users prove their email by code (see docs/federated-linking.md).",
    },
  },
  INVITE_REQUIRED: {
    effect:
      'Require an invitation: `INVITE_REQUIRED` when none is given, `INVITE_INVALID` when the code is wrong, `INVITE_USED` when its uses are spent. Needs one of the three below ([invitations](invitations.md)).',
    rule: {
      order: '`INVITE_REQUIRED` (with `INVITE_MATCH`): reading the invitation spends nothing;',
      asks: 'INVITE_REQUIRED, not for AdminCreateUser',
      refusedWhen: 'missing, wrong or used',
      refuses: 'INVITE_REQUIRED, INVITE_INVALID, INVITE_USED',
    },
    template: {
      group: 'Invitations',
      description: 'Require an invitation code (true/false).',
    },
  },
  INVITE_SECRET: {
    value: 'text, ≥ 32 characters',
    effect: 'Signs invitation codes (`npm run invite`). Never logged; prefer `INVITE_SECRET_PARAMETER`.',
    template: {
      group: 'Invitations',
      description:
        "Secret (at least 32 characters) that signs invitation codes; empty when not used. Pass it at deploy time (sam deploy --parameter-overrides); it is readable by anyone who can read the function's configuration (see docs/invitations.md).",
    },
  },
  INVITE_SECRET_PARAMETER: {
    value: 'SSM parameter name or ARN',
    effect:
      'The invitation secret in an SSM parameter (SecureString), read once per cold start, on the first sign-up that needs it.',
    template: {
      group: 'Invitations',
      description:
        'Name of an SSM parameter (SecureString, starting with /) holding the invitation secret; read once per cold start. Empty when not used.',
      pattern: '^(/[A-Za-z0-9_.\\-/]{1,2047})?$',
    },
  },
  INVITE_TABLE: {
    value: 'DynamoDB table name',
    effect:
      'Table of invitations, read with a consistent GetItem; a row with `maxUses` is spent with a conditional UpdateItem.',
    template: {
      group: 'Invitations',
      description:
        'DynamoDB table of invitations (partition key email); empty when not used. Grants GetItem, and UpdateItem for rows with maxUses.',
    },
  },
  INVITE_MATCH: {
    effect:
      "What admits a sign-up under `INVITE_TABLE`: a row's code, a row for the email without a code (for managed-login and federated sign-ups, which cannot carry one), or either. With `INVITE_REQUIRED=true`, anything but `code` needs `INVITE_TABLE` ([invitations](invitations.md#what-admits-invite_match)).",
    template: {
      group: 'Invitations',
      description:
        "What admits a sign-up under InviteTable: code (a row's code), email (a row for the email without a code, so that managed-login and federated sign-ups can be invited) or code-or-email. Anything but code needs InviteTable (see docs/invitations.md).",
    },
  },
  WAITLIST_TABLE: {
    value: 'DynamoDB table name',
    effect:
      'Records a sign-up no invitation admits (one row per address, with one UpdateItem) and refuses it with `WAITLISTED` instead of `INVITE_REQUIRED`; `npm run invite -- --from-waitlist` invites the oldest. Needs `INVITE_REQUIRED=true` ([waitlist](waitlist.md)).',
    rule: {
      order:
        '`WAITLIST_TABLE`: a sign-up that came with no invitation is recorded (one row per address) and refused with `WAITLISTED` instead of `INVITE_REQUIRED`, in its place: after every rule that could refuse it for another reason, and before the account guard, which an uninvited sign-up never reaches ([waitlist](waitlist.md));',
      asks: 'WAITLIST_TABLE: no invitation came? record the address, once',
      refusedWhen: 'none came',
      refuses: 'WAITLISTED',
      passesWhen: 'invited',
    },
    template: {
      group: 'Waitlist (uninvited sign-ups, recorded)',
      description:
        'An existing DynamoDB table (string partition key pk, TTL on expiresAt) where a sign-up no invitation admits is recorded before it is refused with WAITLISTED; grants UpdateItem on it only. Needs InviteRequired=true. Leave empty with CreateWaitlistTable=true (see docs/waitlist.md).',
      // The table the stack creates, when asked to; else the one named.
      variable: '!If [CreatesWaitlistTable, !Ref WaitlistRecordTable, !Ref WaitlistTable]',
    },
  },
  WAITLIST_DAYS: {
    effect:
      "How long a waitlist row is kept after its address last signed up: the row's `expiresAt`, for the table's TTL.",
    template: {
      group: 'Waitlist (uninvited sign-ups, recorded)',
      description: 'How long a waitlist row is kept after its address last signed up (1-3650 days).',
      pattern: '^[0-9]{1,4}$',
    },
  },
  EXISTING_ACCOUNT_POLICY: {
    effect:
      'What to do when another user already holds the email (or the phone number about to be verified) ([existing accounts](existing-accounts.md)). Set `no-verify` in a pool with sign-in aliases.',
    rule: {
      order: '`EXISTING_ACCOUNT_POLICY`;',
      asks: 'EXISTING_ACCOUNT_POLICY: another user holds it?',
      refusedWhen: 'deny',
      refuses: 'ACCOUNT_EXISTS',
    },
    template: {
      group: 'Confirmation and verification',
      description:
        "What to do when another user holds the email or phone: ignore, no-verify or deny. In a pool where email or phone number is a sign-in alias, set no-verify (or deny): auto-verifying an address another user holds moves the alias to the new user. Both look the address up once per sign-up, against Cognito's request quotas: with AdminGetUser where SignInAliases names it, else with ListUsers (see docs/existing-accounts.md). ignore suits pools whose user name is the email.",
    },
  },
  SIGN_IN_ALIASES: {
    value: 'alias attributes',
    unset: 'empty = not known',
    effect:
      "The pool's sign-in aliases (`email`, `phone_number`, `preferred_username`): the guard asks `AdminGetUser` for an alias, `ListUsers` for any other. Environment only; the CDK construct sets it ([existing accounts](existing-accounts.md#which-call-answers)).",
    template: {
      group: 'Confirmation and verification',
      description:
        "The pool's sign-in aliases (its AliasAttributes), comma-separated: email, phone_number, preferred_username; empty when not known. An address that is an alias is looked up with cognito-idp:AdminGetUser (UserRead quota, 120/s by default; it counts the user found as active for billing), any other with cognito-idp:ListUsers (UserList quota, 30/s). Set it only as the pool has it.",
      values: [
        '',
        'email',
        'phone_number',
        'email,phone_number',
        'preferred_username',
        'email,preferred_username',
        'phone_number,preferred_username',
        'email,phone_number,preferred_username',
      ],
    },
  },
  CAPTCHA: {
    unset: 'empty = off',
    effect:
      'Self sign-ups (`PreSignUp_SignUp`) must carry a `captchaToken` the provider accepts: `CAPTCHA_REQUIRED` without one, `CAPTCHA_FAILED` when it is refused. Needs exactly one of the two below. A check that could not run refuses with `SERVICE_UNAVAILABLE`, whatever `FAIL_OPEN` says ([CAPTCHA](captcha.md)).',
    rule: {
      order: "`CAPTCHA` (self sign-ups only; a bot's sign-up spends nothing after it: no invitation use, no count);",
      asks: 'CAPTCHA: token accepted? self sign-ups only',
      refusedWhen: 'no token or refused',
      refuses: 'CAPTCHA_REQUIRED, CAPTCHA_FAILED',
    },
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description:
        "turnstile, recaptcha or hcaptcha: every PreSignUp_SignUp must carry a captchaToken the provider accepts (CAPTCHA_REQUIRED, CAPTCHA_FAILED); empty for off. Needs CaptchaSecretParameter or CaptchaSecret. Managed login cannot carry a token: use AWS WAF's CAPTCHA there (waf.yaml, docs/captcha.md).",
    },
  },
  CAPTCHA_SECRET: {
    value: 'text',
    effect: "The provider's secret key. Never logged; prefer `CAPTCHA_SECRET_PARAMETER`.",
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description:
        "The CAPTCHA secret key itself; empty when not used. Readable by anyone who can read the function's configuration: prefer CaptchaSecretParameter.",
    },
  },
  CAPTCHA_SECRET_PARAMETER: {
    value: 'SSM parameter name or ARN',
    effect: 'The secret key in an SSM SecureString, read once per container, on the first sign-up that needs it.',
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description:
        'Name of an SSM parameter (SecureString, starting with /) holding the CAPTCHA secret key; read once per container. Empty when not used.',
      pattern: '^(/[A-Za-z0-9_.\\-/]{1,2047})?$',
    },
  },
  CAPTCHA_MIN_SCORE: {
    effect:
      'The lowest score (how likely a human) admitted, when the answer has one (reCAPTCHA v3, hCaptcha Enterprise as 1 − risk); lower: `CAPTCHA_FAILED`. With `turnstile`, which gives no score, a warning.',
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description:
        'Lowest score (0-1, how likely a human) admitted when the answer has one (reCAPTCHA v3, hCaptcha Enterprise); empty for none.',
      pattern: '^([01]?(\\.[0-9]{1,9})?)$',
    },
  },
  CAPTCHA_HOSTNAMES: {
    value: 'hostnames, comma-separated',
    effect: 'The pages a token may come from, matched exactly in any letter case; another: `CAPTCHA_FAILED`.',
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description: 'Hostnames a token may come from, comma-separated, exact; empty for any.',
    },
  },
  CAPTCHA_ACTION: {
    value: 'text',
    effect:
      'The action the widget must have named (Turnstile, reCAPTCHA v3); another: `CAPTCHA_FAILED`. An error with `hcaptcha`, whose answer has no action.',
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description: 'The action the widget must name (Turnstile, reCAPTCHA v3; not hcaptcha); empty for any.',
    },
  },
  CAPTCHA_VERIFY_URL: {
    value: 'URL',
    effect:
      "Replaces the provider's verification endpoint (a proxy, a test): `https`, or `http` on a loopback address; no user name or password.",
    template: {
      group: 'CAPTCHA (self sign-ups through the SDK or Amplify)',
      description: "Replaces the provider's verification endpoint (https; a proxy); empty for the provider's own.",
    },
  },
  RATE_LIMIT_TABLE: {
    value: 'DynamoDB table name',
    effect:
      'The table that counts sign-ups for `RATE_LIMITS`: string partition key `pk`, TTL on `expiresAt`. Without `RATE_LIMITS`, a warning.',
    template: {
      group: 'Velocity limits (per IP address: waf.yaml)',
      description:
        'An existing DynamoDB table that counts sign-ups (string partition key pk, TTL on expiresAt); grants UpdateItem and GetItem on it. Leave empty with CreateRateLimitTable=true.',
      // The table the stack creates, when asked to; else the one named.
      variable: '!If [CreatesRateLimitTable, !Ref RateLimitCountTable, !Ref RateLimitTable]',
    },
  },
  RATE_LIMITS: {
    value: 'limits, comma-separated',
    effect:
      '`SCOPE:COUNT/WINDOW` entries such as `email-domain:20/h,pool:2000/d`; a sign-up over one is refused with `RATE_LIMITED`. Needs `RATE_LIMIT_TABLE`; checked last ([velocity limits](velocity-limits.md)).',
    rule: {
      order:
        '`RATE_LIMITS` (last: only a sign-up every other rule admits is counted; one it refuses gives back the invitation use it spent);',
      asks: 'RATE_LIMITS: under every limit? not for AdminCreateUser',
      refusedWhen: 'over',
      refuses: 'RATE_LIMITED: a use spent is given back',
    },
    template: {
      group: 'Velocity limits (per IP address: waf.yaml)',
      description:
        'Limits SCOPE:COUNT/WINDOW, comma-separated (e.g. email-domain:20/h,phone-country:10/h,pool:2000/d); a sign-up over one is refused with RATE_LIMITED. Needs RateLimitTable or CreateRateLimitTable=true. Empty for none (see docs/velocity-limits.md).',
    },
  },
  FAIL_OPEN: {
    effect:
      'When the existing-account lookup, the disposable list or the rate-limit table fails **transiently**, skip that rule instead of refusing with `SERVICE_UNAVAILABLE`. Never for a permanent failure, an invitation, a CAPTCHA or a link ([lookups](lookups.md)).',
    template: {
      group: 'Operations: failures, dry run, logs, metrics and alarms',
      description:
        'When the existing-account lookup, the disposable list or the rate-limit table fails transiently (time-out, network error, throttling, 5xx), skip that rule instead of refusing (true/false). Never applies to permanent failures (access denied, missing resource, any other 4xx), invitations, CAPTCHA or linking.',
    },
  },
  DRY_RUN: {
    effect:
      'Evaluate every rule and log what would have happened (`would-refuse`…), but refuse nobody, link nobody and set no flag. What a check spends is still spent: a CAPTCHA token is verified, a rate-limit count and an invitation use are recorded. Nothing is written to the waitlist.',
    template: {
      group: 'Operations: failures, dry run, logs, metrics and alarms',
      description:
        'Log decisions but refuse nobody, link nobody and set no flag (true/false). CAPTCHA tokens, rate-limit counts and invitation uses are still spent; nothing is written to the waitlist.',
    },
  },
  LOG_ONLY_RULES: {
    value: 'rule names, comma-separated',
    effect:
      'Rules to watch before they bite, by the name the order of the rules below gives them (`BLOCK_DISPOSABLE_EMAILS,RATE_LIMITS,CAPTCHA`): a sign-up only they would refuse is admitted as if they had passed, and its log line says `"wouldRefuse": [CODE]` (metric `WouldRefuse` by `code`). What they spend is still spent; `LINK_FEDERATED_USERS` is always enforced, and `WAITLIST_TABLE` follows `INVITE_REQUIRED` ([log-only rules](log-only.md)).',
    template: {
      group: 'Operations: failures, dry run, logs, metrics and alarms',
      description:
        'Rules whose refusals are only logged (wouldRefuse, metric WouldRefuse), comma-separated rule names such as BLOCK_DISPOSABLE_EMAILS,RATE_LIMITS,CAPTCHA; empty for none. What they spend is still spent.',
    },
  },
  RULES_FILE: {
    value: 'path',
    effect:
      'A JSON [rules document](rules-documents.md): the same settings (lists as arrays), plus per-app-client overrides.',
    template: {
      group: 'Rules document',
      description:
        'A rules document (JSON) inside the zip built with npm run build -- --rules PATH, relative to the function root, or an absolute path such as a layer file; empty for none.',
    },
  },
  RULES_PARAMETER: {
    value: 'SSM parameter name or ARN',
    effect: 'A rules document in SSM Parameter Store (String or SecureString, at most 8 KB) instead of a file.',
    template: {
      group: 'Rules document',
      description:
        'Name of an SSM parameter (String or SecureString, starting with /) holding a rules document; read on the first sign-up and again every RulesRefreshSeconds. Empty for none.',
      pattern: '^(/[A-Za-z0-9_.\\-/]{1,2047})?$',
    },
  },
  RULES_REFRESH_SECONDS: {
    effect: 'How long a document read from `RULES_PARAMETER` is kept before it is read again.',
    template: {
      group: 'Rules document',
      description: 'How long a rules document read from SSM is kept before it is read again.',
      pattern: '^[0-9]{1,5}$',
    },
  },
  METRICS: {
    effect:
      "Put `SignUps` and `LookupFailures` metrics in each log line, in CloudWatch Embedded Metric Format ([logs and metrics](logs-and-metrics.md)). Environment only: the logger is made before any rules document is read, and the dashboard watches the deployment's namespace.",
    template: {
      group: 'Operations: failures, dry run, logs, metrics and alarms',
      description:
        'Put SignUps and LookupFailures metrics in each log line, in CloudWatch Embedded Metric Format (true/false). The alarms below need them.',
    },
  },
  METRICS_NAMESPACE: {
    value: 'CloudWatch namespace',
    effect:
      'Where those metrics go: 1–255 of `A-Z a-z 0-9 . - _ / # :` and space, not starting with `AWS/`. Environment only, like `METRICS`.',
    template: {
      group: 'Operations: failures, dry run, logs, metrics and alarms',
      description: 'The CloudWatch namespace of those metrics.',
      pattern: '^[A-Za-z0-9.\\-_/#: ]{1,255}$',
    },
  },
};

/** The refusal rules that are no setting's: how the docs show them (see RuleDoc). */
export const OTHER_RULE_DOCS: { readonly [Name in Exclude<RuleName, SettingName>]: RuleDoc } = {
  UNREADABLE_EMAIL: {
    order:
      'an unreadable email, when a rule that is on judges that sign-up’s address ([email reading](email-reading.md)): `EMAIL_INVALID`;',
    asks: 'email readable? when a rule that judges it is on',
    refusedWhen: 'no',
    refuses: 'EMAIL_INVALID',
    passesWhen: 'yes',
  },
  INVITATION_USE: {
    order:
      "an invitation row's `maxUses` (only a sign-up every rule before admits spends a use; one whose last use another sign-up took meanwhile is refused with `INVITE_USED`, before any count);",
    asks: "an invitation row's maxUses: spend this sign-up's use",
    refusedWhen: 'taken meanwhile',
    refuses: 'INVITE_USED',
    passesWhen: 'spent or none due',
  },
};

/** The refusal texts' family of variables, listed after the settings: its row, written out. */
export const DENY_MESSAGE_DOC = {
  value: 'text',
  default: 'built-in text',
  effect:
    'Replace the human text of one refusal code, e.g. `DENY_MESSAGE_EMAIL_DOMAIN_NOT_ALLOWED=Please sign up with your work email`. The code prefix stays. See [below](#refusal-texts).',
} as const;
