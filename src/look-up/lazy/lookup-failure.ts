import type { FactName, LookupFailureKind } from '../../decide/facts.js';
import { MIN_INVITE_SECRET_LENGTH } from '../../limits.js';
import { MODULE_LOAD_FIX } from '../module-load-fix.js';

/** A lookup that failed: which fact, the error's name (never its message, which may quote the email), and its kind. */
export interface LookupFailure {
  readonly lookup: FactName;
  readonly error: string;
  readonly kind: LookupFailureKind;
  /** For a permanent failure: what to change so that it stops. */
  readonly fix?: string | undefined;
}

/** The lookup did not answer within the invocation's budget. */
export class LookupTimeoutError extends Error {
  constructor() {
    super('The lookup did not answer in time');
    this.name = 'LookupTimeoutError';
  }
}

/** The event has no `userPoolId`, so there is no pool to look users up in. */
export class NoUserPoolIdError extends Error {
  constructor() {
    super('The event has no userPoolId to look users up in');
    this.name = 'NoUserPoolIdError';
  }
}

/** A lazily loaded file of the zip could not be imported. */
export class ModuleLoadError extends Error {
  constructor() {
    super('A file of the zip could not be loaded');
    this.name = 'ModuleLoadError';
  }
}

// Errors that say "not now" rather than "not like this": retrying may work.
const TRANSIENT_NAMES = new Set([
  'LookupTimeoutError',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalErrorException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
// Socket-level failures (Node's error.code): the network, not the request, is at fault.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
]);
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'NotAuthorizedException']);

/**
 * Whether an error is transient (a time-out, a network error, throttling, a 5xx) or permanent
 * (access denied, a missing resource, a validation error, bad credentials, any other 4xx, and
 * anything unrecognised). Unknown errors count as permanent, so that nothing fails open by accident.
 */
export function failureKindOf(error: unknown): LookupFailureKind {
  if (!(error instanceof Error)) return 'permanent-failure';
  const details = error as Error & {
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (TRANSIENT_NAMES.has(error.name)) return 'transient-failure';
  if (typeof details.code === 'string' && NETWORK_CODES.has(details.code)) return 'transient-failure';
  // The SDK marks throttling errors it knows as retryable, whatever their status code.
  if (details.$retryable !== undefined && details.$retryable !== null) return 'transient-failure';
  const status = details.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500 || status === 429 ? 'transient-failure' : 'permanent-failure';
  return 'permanent-failure';
}

// AdminLinkProviderForUser's and ListUsers' errors, as the operator can act on them.
const LINK_FIXES: Readonly<Record<string, string>> = {
  AccessDeniedException:
    "the function's role needs cognito-idp:ListUsers and cognito-idp:AdminLinkProviderForUser on the user pool",
  NotAuthorizedException:
    "the function's role needs cognito-idp:ListUsers and cognito-idp:AdminLinkProviderForUser on the user pool",
  LimitExceededException:
    'the existing user already has as many linked identities as Cognito allows (5): unlink one with AdminDisableProviderForUser',
  InvalidParameterException:
    'Cognito refused the link: the identity may already be linked to another user, or an attribute the provider maps is immutable in the pool',
  AliasExistsException: 'another user holds this email as an alias: the link would move it',
  UserNotFoundException: 'the existing user was deleted before the link; the next sign-in looks again',
  ResourceNotFoundException:
    "the event's user pool, or its identity provider, was not found: check LINK_FEDERATED_USERS against the pool's provider names",
  NoUserPoolIdError: 'the event has no userPoolId: a test event needs one for LINK_FEDERATED_USERS',
};

/** A problem with the invitation secret stored in SSM that retrying cannot cure. */
export class InviteSecretParameterError extends Error {
  constructor() {
    super('The parameter holds no invitation secret of the minimum length');
    this.name = 'InviteSecretParameterError';
  }
}

/**
 * What the operator must change to end a permanent failure, named for the lookup that hit it.
 * `inviteFrom` says where invitations are checked, for the invitation lookup's fixes.
 */
export function fixFor(lookup: FactName, error: string, inviteFrom?: 'secret' | 'secret-parameter' | 'table'): string {
  if (CREDENTIAL_ERRORS.has(error)) {
    return "AWS refused the function's credentials: check its execution role, and any AWS_* variables set on the function";
  }
  if (error === 'ModuleLoadError') return MODULE_LOAD_FIX;
  const accountLookup = lookup === 'existingAccountForEmail' || lookup === 'existingAccountForPhone';
  if (accountLookup) {
    if (ACCESS_DENIED.has(error)) return "the function's role needs cognito-idp:ListUsers on the user pool";
    if (error === 'ResourceNotFoundException') {
      return "the event's user pool was not found: the function must run in the pool's account and region";
    }
    if (error === 'NoUserPoolIdError')
      return 'the event has no userPoolId: a test event needs one for EXISTING_ACCOUNT_POLICY';
  }
  if (lookup === 'federatedLink') {
    const fix = LINK_FIXES[error];
    if (fix !== undefined) return fix;
  }
  if (lookup === 'invitationValid' && inviteFrom === 'secret-parameter') {
    if (ACCESS_DENIED.has(error)) {
      return "the function's role needs ssm:GetParameter on the parameter named by INVITE_SECRET_PARAMETER, and kms:Decrypt on its key";
    }
    if (error === 'ParameterNotFound' || error === 'ParameterVersionNotFound')
      return "the parameter named by INVITE_SECRET_PARAMETER does not exist in the function's region";
    if (error === 'InviteSecretParameterError')
      return `the parameter named by INVITE_SECRET_PARAMETER must hold a secret of at least ${MIN_INVITE_SECRET_LENGTH} characters`;
    if (error.startsWith('KMS') || error === 'InvalidKeyId')
      return "the function's role needs kms:Decrypt on the key of the parameter named by INVITE_SECRET_PARAMETER";
  }
  if (lookup === 'invitationValid' && inviteFrom === 'table') {
    if (ACCESS_DENIED.has(error))
      return "the function's role needs dynamodb:GetItem on the table named by INVITE_TABLE";
    if (error === 'ResourceNotFoundException')
      return "the table named by INVITE_TABLE does not exist in the function's region";
    if (error === 'ValidationException')
      return 'the table named by INVITE_TABLE must have the string partition key "email"';
  }
  return 'AWS refused the request itself (a 4xx other than throttling): retrying will not help';
}
