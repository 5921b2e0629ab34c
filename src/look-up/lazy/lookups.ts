// Loaded on first use only, with gather-facts.ts: what each fact's lookup is, in one place.
import type { Config } from '../../config/load-config.js';
import type { AnyFactValue, FactName } from '../../decide/facts.js';
import { federatedIdentityOf } from '../../decide/rules/federated-link.js';
import { MIN_INVITE_SECRET_LENGTH } from '../../limits.js';
import { asciiLowerCase } from '../../read/email-address.js';
import type { SignUpInput } from '../../read/sign-up-event.js';
import { MODULE_LOAD_FIX } from '../module-load-fix.js';
import { CREDENTIAL_ERRORS, ModuleLoadError, NoUserPoolIdError } from './lookup-failure.js';

/** One lookup's answer, with a warning when the data behind it was malformed. */
export interface Answer {
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

/**
 * Each lazily loaded part is imported once per container and kept. A failed import is forgotten, so
 * the next sign-up tries again, and reported as ModuleLoadError (a permanent failure). The one
 * load-once helper of the lookups.
 */
function importOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch(() => {
      loading = undefined;
      throw new ModuleLoadError();
    });
    return loading;
  };
}

const disposableDomains = importOnce(() => import('./disposable-domains.js'));
const invitationSignature = importOnce(() => import('./invitation-signature.js'));
const invitationTable = importOnce(() => import('./invitation-table.js'));
const inviteSecretParameter = importOnce(() => import('./invite-secret-parameter.js'));
const existingAccountLookup = importOnce(() => import('./existing-account-lookup.js'));
const federatedLink = importOnce(() => import('./federated-link.js'));

const ACCESS_DENIED = ['AccessDeniedException', 'AccessDenied', 'NotAuthorizedException'] as const;
const each = (names: readonly string[], fix: string) => Object.fromEntries(names.map((name) => [name, fix]));

function userPoolOf(input: SignUpInput): string {
  if (input.userPoolId === undefined) throw new NoUserPoolIdError();
  return input.userPoolId;
}

/** The existing-account guard, for the email or the phone. */
function accountLookup(attribute: 'email' | 'phone_number'): Lookup {
  return {
    load: existingAccountLookup,
    async run(input, _config, signal) {
      const userPoolId = userPoolOf(input);
      const { hasExistingAccount } = await existingAccountLookup();
      const value = attribute === 'email' ? input.email : input.phone;
      if (value === undefined) return { value: false };
      // ListUsers compares case-sensitively: an email is also looked for with A-Z lowercased.
      const spellings = attribute === 'email' ? [...new Set([value, asciiLowerCase(value)])] : [value];
      return { value: await hasExistingAccount(userPoolId, attribute, spellings, signal) };
    },
    fixes: () => ({
      ...each(ACCESS_DENIED, "the function's role needs cognito-idp:ListUsers on the user pool"),
      ResourceNotFoundException:
        "the event's user pool was not found: the function must run in the pool's account and region",
      NoUserPoolIdError: 'the event has no userPoolId: a test event needs one for EXISTING_ACCOUNT_POLICY',
    }),
    permissions: () => ['cognito-idp:ListUsers'],
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

  invitationValid: {
    load: (config) => {
      switch (config.invite?.kind) {
        case 'secret':
          return invitationSignature();
        case 'secret-parameter':
          return Promise.all([inviteSecretParameter(), invitationSignature()]);
        case 'table':
          return invitationTable();
        case undefined:
          return Promise.resolve();
      }
    },
    async run({ email, inviteCode }, config, signal) {
      const source = config.invite;
      if (source === undefined || email === undefined || inviteCode === undefined) return { value: false };
      const now = Math.floor(Date.now() / 1000);
      switch (source.kind) {
        case 'secret': {
          const { verifyInvitationCode } = await invitationSignature();
          return { value: verifyInvitationCode(source.secret, email, inviteCode, now) };
        }
        case 'secret-parameter': {
          const [{ inviteSecretFromParameter }, { verifyInvitationCode }] = await Promise.all([
            inviteSecretParameter(),
            invitationSignature(),
          ]);
          const secret = await inviteSecretFromParameter(source.parameter, signal);
          return { value: verifyInvitationCode(secret, email, inviteCode, now) };
        }
        case 'table': {
          const { checkInvitationRow } = await invitationTable();
          return checkInvitationRow(source.table, email, inviteCode, now, signal);
        }
      }
    },
    fixes: (config) => {
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
            ...each(ACCESS_DENIED, "the function's role needs dynamodb:GetItem on the table named by INVITE_TABLE"),
            ResourceNotFoundException: "the table named by INVITE_TABLE does not exist in the function's region",
            ValidationException: 'the table named by INVITE_TABLE must have the string partition key "email"',
          };
        default:
          return {};
      }
    },
    permissions: (config) => {
      switch (config.invite?.kind) {
        case 'secret-parameter':
          return ['ssm:GetParameter', 'kms:Decrypt'];
        case 'table':
          return ['dynamodb:GetItem'];
        default:
          return [];
      }
    },
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
