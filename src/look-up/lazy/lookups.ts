// Loaded on first use only, with gather-facts.ts: what each fact's lookup is, in one place.
import type { Config } from '../../config/load-config.js';
import type { AnyFactValue, FactName } from '../../model/facts.js';
import { federatedIdentityOf } from '../../decide/rules/federated-link.js';
import { MAIL_DOMAIN_LOOKUP_MS, MIN_INVITE_SECRET_LENGTH } from '../../model/limits.js';
import { asciiLowerCase, blockKeyOf } from '../../read/email-address.js';
import { phoneCountryOf } from '../../read/phone-country.js';
import { type SignUpInput, signUpIdentityOf } from '../../read/sign-up-event.js';
import { loadOnce, MODULE_LOAD_FIX } from '../load-once.js';
import { CREDENTIAL_ERRORS, NoUserPoolIdError } from './lookup-failure.js';

/** One lookup's answer, with a warning when the data behind it was malformed. */
interface Answer {
  readonly value: AnyFactValue;
  readonly warning?: string | undefined;
}

/**
 * Everything about one fact's lookup: the files of the zip it needs, how it runs, what an operator
 * must change when it fails for good, and the IAM actions the function's role needs for it (what
 * template.yaml and the CDK construct grant, checked by a test).
 */
interface Lookup {
  /** Loads the lookup's lazy files (once per container) and makes what they keep; no I/O. */
  readonly load: (config: Config) => Promise<unknown>;
  readonly run: (input: SignUpInput, config: Config, signal: AbortSignal) => Promise<Answer>;
  /** By error name: the fix of a permanent failure, for this configuration. */
  readonly fixes: (config: Config) => Readonly<Record<string, string>>;
  readonly permissions: (config: Config) => readonly string[];
}

const disposableDomains = loadOnce(() => import('./disposable-domains.js'));
const emailDomainTypo = loadOnce(() => import('./email-domain-typo.js'));
const emailDomainMail = loadOnce(() => import('./email-domain-mail.js'));
const invitationSignature = loadOnce(() => import('./invitation-signature.js'));
const invitationTable = loadOnce(() => import('./invitation-table.js'));
const ssmParameter = loadOnce(() => import('./ssm.js'));
const existingAccountLookup = loadOnce(() => import('./existing-account-lookup.js'));
const federatedLink = loadOnce(() => import('./federated-link.js'));
const captchaCheck = loadOnce(() => import('./captcha.js'));
const rateLimit = loadOnce(() => import('./rate-limit.js'));
const waitlistTable = loadOnce(() => import('./waitlist-table.js'));

const ACCESS_DENIED = ['AccessDeniedException', 'AccessDenied', 'NotAuthorizedException'] as const;
const each = (names: readonly string[], fix: string) => Object.fromEntries(names.map((name) => [name, fix]));

function userPoolOf(input: SignUpInput): string {
  if (input.userPoolId === undefined) throw new NoUserPoolIdError();
  return input.userPoolId;
}

/** A signed code proves the code, or nothing; it is never spent. */
function signedCodeProof(matched: boolean): Answer {
  return { value: matched ? { proven: 'code', spendsUse: false } : 'none' };
}

function invitationOptions(input: SignUpInput, config: Config) {
  return { match: config.inviteMatch, signUp: signUpIdentityOf(input) };
}

/** What ends a permanent failure of an invitation lookup, by its source. */
function invitationFixes(config: Config): Readonly<Record<string, string>> {
  switch (config.invite?.kind) {
    case 'secret-parameter':
      return {
        ...each(
          ACCESS_DENIED,
          "the function's role needs ssm:GetParameter on the parameter named by INVITE_SECRET_PARAMETER, and kms:Decrypt on its key",
        ),
        ...each(
          ['ParameterNotFound', 'ParameterVersionNotFound'],
          "the parameter named by INVITE_SECRET_PARAMETER does not exist in the function's region",
        ),
        InviteSecretParameterError: `the parameter named by INVITE_SECRET_PARAMETER must hold a secret of at least ${String(MIN_INVITE_SECRET_LENGTH)} characters`,
        ...each(
          [
            'KMSAccessDeniedException',
            'KMSDisabledException',
            'KMSInvalidStateException',
            'KMSNotFoundException',
            'InvalidKeyId',
          ],
          "the function's role needs kms:Decrypt on the key of the parameter named by INVITE_SECRET_PARAMETER",
        ),
      };
    case 'table':
      return {
        ...each(
          ACCESS_DENIED,
          "the function's role needs dynamodb:GetItem and dynamodb:UpdateItem on the table named by INVITE_TABLE",
        ),
        ResourceNotFoundException: "the table named by INVITE_TABLE does not exist in the function's region",
        ValidationException: 'the table named by INVITE_TABLE must have the string partition key "email"',
      };
    default:
      return {};
  }
}

/**
 * Gives back the invitation use a sign-up spent before the velocity limits refused it (the rule
 * before theirs): nothing refused spends anything. Only this sign-up's own entry is removed, where
 * it is; a warning when it could not be.
 */
async function returnInvitationUse(
  input: SignUpInput,
  config: Config,
  signal: AbortSignal,
): Promise<string | undefined> {
  const signUp = signUpIdentityOf(input);
  if (config.invite?.kind !== 'table' || input.email === undefined || signUp === undefined) return undefined;
  const { giveBackInvitationUse } = await invitationTable();
  const givenBack = await giveBackInvitationUse(config.invite.table, input.email, signUp, signal).then(
    () => true,
    () => false,
  );
  return givenBack ? undefined : 'An invitation use could not be given back after a velocity limit refused the sign-up';
}

/** What a sign-up is counted by in RATE_LIMITS. */
function rateLimitKeysOf(input: SignUpInput) {
  const { phone, clientId } = input;
  // An email the strict reader refused, and a number of no known country, are counted together
  // under a key of their own: an odd spelling must not escape the limit.
  const emailDomain = input.email === undefined ? undefined : (input.emailDomain ?? '(unreadable)');
  const phoneCountry = phone === undefined ? undefined : (phoneCountryOf(phone) ?? 'unknown');
  return {
    pool: userPoolOf(input),
    ...(emailDomain === undefined ? {} : { emailDomain }),
    ...(phoneCountry === undefined ? {} : { phoneCountry }),
    // AdminCreateUser's stand-in is no app client; it is never counted anyway (see the rule).
    ...(clientId === undefined || clientId === 'CLIENT_ID_NOT_APPLICABLE' ? {} : { clientId }),
  };
}

/**
 * The existing-account guard, for the email or the phone: AdminGetUser where the pool has the
 * attribute as a sign-in alias (SIGN_IN_ALIASES), which answers in the larger `UserRead` quota
 * category; ListUsers otherwise, where only a list can say who holds the address (and for an alias
 * when AdminGetUser found a user by another name).
 */
function accountLookup(attribute: 'email' | 'phone_number'): Lookup {
  const byAlias = (config: Config) => (attribute === 'email' ? config.signInAliases.email : config.signInAliases.phone);
  // ListUsers with AdminGetUser too: it answers when AdminGetUser finds a user by another name.
  const actions = (config: Config) =>
    byAlias(config) ? ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'] : ['cognito-idp:ListUsers'];
  return {
    load: existingAccountLookup,
    async run(input, config, signal) {
      const userPoolId = userPoolOf(input);
      const { hasExistingAccount, holdsAlias } = await existingAccountLookup();
      const value = attribute === 'email' ? input.email : input.phone;
      if (value === undefined) return { value: false };
      // ListUsers compares case-sensitively, as AdminGetUser does in a case-sensitive pool: an email
      // is also looked for with A-Z lowercased.
      const spellings = attribute === 'email' ? [...new Set([value, asciiLowerCase(value)])] : [value];
      const lookUp = byAlias(config) ? holdsAlias : hasExistingAccount;
      return { value: await lookUp(userPoolId, attribute, spellings, signal) };
    },
    fixes: (config) => ({
      ...each(ACCESS_DENIED, `the function's role needs ${actions(config).join(' and ')} on the user pool`),
      ResourceNotFoundException:
        "the event's user pool was not found: the function must run in the pool's account and region",
      NoUserPoolIdError: 'the event has no userPoolId: a test event needs one for EXISTING_ACCOUNT_POLICY',
    }),
    permissions: actions,
  };
}

/** Every fact's lookup. */
export const LOOKUPS: { readonly [Name in FactName]: Lookup } = {
  disposableEmail: {
    // Making the list's set is most of its cost: done while loading, not on the first sign-up.
    load: () => disposableDomains().then((module) => module.isDisposableDomain('example.com')),
    async run({ emailDomain }) {
      const { isDisposableDomain } = await disposableDomains();
      return { value: emailDomain !== undefined && isDisposableDomain(emailDomain) };
    },
    fixes: () => ({}),
    permissions: () => [],
  },

  emailDomainTypo: {
    // Making the checker for the configuration's list is done while loading, as the disposable set is.
    load: (config) =>
      emailDomainTypo().then((module) => module.suggestedDomainFor('example.com', config.emailTypoDomains ?? [])),
    async run({ emailDomain }, config) {
      const { suggestedDomainFor } = await emailDomainTypo();
      const extraDomains = config.emailTypoDomains ?? [];
      return {
        value: { suggestion: emailDomain === undefined ? undefined : suggestedDomainFor(emailDomain, extraDomains) },
      };
    },
    fixes: () => ({}),
    permissions: () => [],
  },

  emailDomainMail: {
    // Making the resolver is most of a first lookup's cost: done while loading, with no query.
    load: (config) => emailDomainMail().then(({ resolverFor }) => resolverFor(config.dnsServers)),
    async run({ emailDomain }, config, signal) {
      if (emailDomain === undefined) return { value: 'unknown' };
      const { mailDomainAnswerOf, KNOWN_MAIL_DOMAIN, RESOLVER_DENIES_KNOWN_DOMAIN } = await emailDomainMail();
      const { answer, error } = await mailDomainAnswerOf(emailDomain, config.dnsServers, signal);
      // The line names the domain already (emailDomain); the warning says why it was admitted.
      const why =
        error === RESOLVER_DENIES_KNOWN_DOMAIN
          ? `the resolver says ${KNOWN_MAIL_DOMAIN} takes no mail either, so it denies public names: see docs/email-domain-checks.md#a-resolver-that-denies-everything`
          : `DNS gave no answer (${error === 'timeout' ? `none within ${String(MAIL_DOMAIN_LOOKUP_MS)} ms` : String(error)})`;
      const warning =
        error === undefined
          ? undefined
          : `EMAIL_DELIVERABILITY admitted the sign-up: ${why}; it is a quality check, not a security one`;
      return { value: answer, warning };
    },
    fixes: () => ({}),
    permissions: () => [],
  },

  invitation: {
    load: (config) => {
      switch (config.invite?.kind) {
        case 'secret':
          return invitationSignature();
        case 'secret-parameter':
          return Promise.all([ssmParameter(), invitationSignature()]);
        case 'table':
          return invitationTable();
        case undefined:
          return Promise.resolve();
      }
    },
    async run(input, config, signal) {
      const { email, inviteCode } = input;
      const source = config.invite;
      if (source === undefined || email === undefined) return { value: 'none' };
      if (inviteCode === undefined && (source.kind !== 'table' || config.inviteMatch === 'code'))
        return { value: 'none' };
      const now = Math.floor(Date.now() / 1000);
      switch (source.kind) {
        case 'secret': {
          const { verifyInvitationCode } = await invitationSignature();
          return signedCodeProof(
            inviteCode !== undefined && verifyInvitationCode(source.secret, email, inviteCode, now),
          );
        }
        case 'secret-parameter': {
          const [{ inviteSecretFromParameter }, { verifyInvitationCode }] = await Promise.all([
            ssmParameter(),
            invitationSignature(),
          ]);
          const secret = await inviteSecretFromParameter(source.parameter, signal);
          return signedCodeProof(inviteCode !== undefined && verifyInvitationCode(secret, email, inviteCode, now));
        }
        case 'table': {
          const { checkInvitationRow } = await invitationTable();
          return checkInvitationRow(source.table, email, inviteCode, now, signal, invitationOptions(input, config));
        }
      }
    },
    fixes: invitationFixes,
    permissions: (config) => {
      switch (config.invite?.kind) {
        case 'secret-parameter':
          return ['ssm:GetParameter', 'kms:Decrypt'];
        case 'table':
          // UpdateItem records the use of an invitation row with maxUses.
          return ['dynamodb:GetItem', 'dynamodb:UpdateItem'];
        default:
          return [];
      }
    },
  },

  invitationUse: {
    load: invitationTable,
    async run(input, config, signal) {
      const source = config.invite;
      // Asked for only after a table row said a use is due (see checkInvitationUse).
      if (source?.kind !== 'table' || input.email === undefined) return { value: 'none' };
      const { spendInvitationUse } = await invitationTable();
      return spendInvitationUse(
        source.table,
        input.email,
        input.inviteCode,
        Math.floor(Date.now() / 1000),
        signal,
        invitationOptions(input, config),
      );
    },
    fixes: invitationFixes,
    permissions: () => ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },

  waitlist: {
    load: waitlistTable,
    async run(input, config, signal) {
      const { email, emailKey, clientId } = input;
      // Asked for only with an address to record (see goesToWaitlist); a dry run writes nothing.
      if (config.waitlist === undefined || email === undefined || emailKey === undefined || config.dryRun) {
        return { value: 'dry-run' };
      }
      const { recordOnWaitlist } = await waitlistTable();
      const entry = {
        address: blockKeyOf(emailKey),
        email: asciiLowerCase(email.trim()),
        // AdminCreateUser's stand-in is no app client (and that source never reaches the waitlist).
        clientId: clientId === 'CLIENT_ID_NOT_APPLICABLE' ? undefined : clientId,
        signUp: signUpIdentityOf(input),
      };
      const now = Math.floor(Date.now() / 1000);
      return { value: await recordOnWaitlist(config.waitlist.table, entry, now, config.waitlist.days, signal) };
    },
    fixes: () => ({
      ...each(ACCESS_DENIED, "the function's role needs dynamodb:UpdateItem on the table named by WAITLIST_TABLE"),
      ResourceNotFoundException: "the table named by WAITLIST_TABLE does not exist in the function's region",
      ValidationException: 'the table named by WAITLIST_TABLE must have the string partition key "pk"',
    }),
    permissions: () => ['dynamodb:UpdateItem'],
  },

  captcha: {
    load: (config) =>
      config.captcha?.secret.kind === 'parameter' ? Promise.all([captchaCheck(), ssmParameter()]) : captchaCheck(),
    async run(input, config, signal) {
      const { captchaToken } = input;
      // A pass is remembered for a retry of the same sign-up: its pool and userName, and everything a
      // later rule judges. Another invitation code or address under the same userName is another
      // attempt, so one solved CAPTCHA cannot carry a run of guesses (attacker's review, #29).
      const identity = signUpIdentityOf(input);
      const signUp =
        identity === undefined
          ? undefined
          : JSON.stringify([identity, input.email, input.phone, input.inviteCode, input.clientId]);
      const settings = config.captcha;
      if (settings === undefined || captchaToken === undefined) return { value: { passed: false, reason: 'refused' } };
      const [{ verifyCaptcha }, secret] = await Promise.all([
        captchaCheck(),
        settings.secret.kind === 'text'
          ? settings.secret.value
          : ssmParameter().then(({ secretFromParameter }) =>
              secretFromParameter(settings.secret.kind === 'parameter' ? settings.secret.name : '', signal),
            ),
      ]);
      const verdict = await verifyCaptcha(
        {
          provider: settings.provider,
          secret,
          token: captchaToken,
          ...(settings.verifyUrl === undefined ? {} : { verifyUrl: settings.verifyUrl }),
          ...(settings.minScore === undefined ? {} : { minScore: settings.minScore }),
          ...(settings.hostnames === undefined ? {} : { hostnames: settings.hostnames }),
          ...(settings.action === undefined ? {} : { action: settings.action }),
          ...(signUp === undefined ? {} : { signUp }),
        },
        signal,
      );
      return { value: verdict };
    },
    fixes: () => ({
      CaptchaSecretRejectedError:
        'the CAPTCHA provider refused the secret: check CAPTCHA_SECRET, or the parameter named by CAPTCHA_SECRET_PARAMETER, against the site key',
      CaptchaRequestRejectedError: 'the CAPTCHA provider refused the request: check CAPTCHA_VERIFY_URL and CAPTCHA',
      CaptchaVerifyUrlError: 'CAPTCHA_VERIFY_URL must be https, or http on a loopback address',
      ...each(
        ACCESS_DENIED,
        "the function's role needs ssm:GetParameter on the parameter named by CAPTCHA_SECRET_PARAMETER, and kms:Decrypt on its key",
      ),
      ...each(
        ['ParameterNotFound', 'ParameterVersionNotFound'],
        "the parameter named by CAPTCHA_SECRET_PARAMETER does not exist in the function's region",
      ),
      InviteSecretParameterError: 'the parameter named by CAPTCHA_SECRET_PARAMETER holds no secret',
    }),
    permissions: (config) => (config.captcha?.secret.kind === 'parameter' ? ['ssm:GetParameter', 'kms:Decrypt'] : []),
  },

  rateLimit: {
    load: (config) => (config.invite?.kind === 'table' ? Promise.all([rateLimit(), invitationTable()]) : rateLimit()),
    async run(input, config, signal) {
      const settings = config.rateLimits;
      if (settings === undefined) return { value: { exceeded: undefined } };
      // Under DRY_RUN, or with RATE_LIMITS log-only, a sign-up over a limit is let through and
      // Cognito creates it: every limit counts it, and an invitation use it spent stays spent.
      const admitsOverLimits = config.dryRun || config.logOnlyRules?.has('RATE_LIMITS') === true;
      const { countSignUp } = await rateLimit();
      const { exceeded, uncountFailed } = await countSignUp(
        settings.table,
        settings.limits,
        rateLimitKeysOf(input),
        // A retry is recognised by its userName; an event without one (a hand-made test) is always new.
        input.userName ?? globalThis.crypto.randomUUID(),
        Math.floor(Date.now() / 1000),
        admitsOverLimits,
        signal,
      );
      const warnings = [
        uncountFailed === true
          ? 'A count in RATE_LIMIT_TABLE could not be taken back after another limit refused the sign-up'
          : undefined,
        exceeded === undefined || admitsOverLimits ? undefined : await returnInvitationUse(input, config, signal),
      ].filter((warning) => warning !== undefined);
      return { value: { exceeded: exceeded?.text }, warning: warnings.length === 0 ? undefined : warnings.join('; ') };
    },
    fixes: () => ({
      ...each(
        ACCESS_DENIED,
        "the function's role needs dynamodb:UpdateItem and dynamodb:GetItem on the table named by RATE_LIMIT_TABLE",
      ),
      NoUserPoolIdError: 'the event has no userPoolId: a test event needs one for RATE_LIMITS (the pool is counted)',
      ResourceNotFoundException: "the table named by RATE_LIMIT_TABLE does not exist in the function's region",
      ValidationException: 'the table named by RATE_LIMIT_TABLE must have the string partition key "pk"',
    }),
    permissions: () => ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  },

  existingAccountForEmail: accountLookup('email'),
  existingAccountForPhone: accountLookup('phone_number'),

  federatedLink: {
    load: federatedLink,
    async run(input, config, signal) {
      const userPoolId = userPoolOf(input);
      const identity = federatedIdentityOf(input, config);
      if (identity === undefined || input.email === undefined) return { value: 'no-match' };
      const { linkFederatedUser } = await federatedLink();
      return { value: await linkFederatedUser(userPoolId, input.email, identity, config.dryRun, signal) };
    },
    fixes: () => ({
      ...each(
        ACCESS_DENIED,
        "the function's role needs cognito-idp:ListUsers and cognito-idp:AdminLinkProviderForUser on the user pool",
      ),
      LimitExceededException:
        'the existing user already has as many linked identities as Cognito allows (5): unlink one with AdminDisableProviderForUser',
      InvalidParameterException:
        'Cognito refused the link: the identity may already be linked to another user, or an attribute the provider maps is immutable in the pool',
      AliasExistsException: 'another user holds this email as an alias: the link would move it',
      UserNotFoundException: 'the existing user was deleted before the link; the next sign-in looks again',
      ResourceNotFoundException:
        "the event's user pool, or its identity provider, was not found: check LINK_FEDERATED_USERS against the pool's provider names",
      NoUserPoolIdError: 'the event has no userPoolId: a test event needs one for LINK_FEDERATED_USERS',
    }),
    permissions: () => ['cognito-idp:ListUsers', 'cognito-idp:AdminLinkProviderForUser'],
  },
};

/** What the operator must change to end a permanent failure of this lookup, under this configuration. */
export function fixFor(lookup: FactName, error: string, config: Config): string {
  if (CREDENTIAL_ERRORS.has(error)) {
    return "AWS refused the function's credentials: check its execution role, and any AWS_* variables set on the function";
  }
  if (error === 'ModuleLoadError') return MODULE_LOAD_FIX;
  const fixes = LOOKUPS[lookup].fixes(config);
  return Object.hasOwn(fixes, error)
    ? (fixes[error] as string)
    : 'AWS refused the request itself (a 4xx other than throttling): retrying will not help';
}
