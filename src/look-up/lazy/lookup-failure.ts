import type { LookupFailureKind } from '../../model/facts.js';

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

// How AWS services name a throttled request (Cognito, DynamoDB, SSM, STS…), whatever the status.
const THROTTLING = /^(Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown)/;

/** An error as far as its kind can be told from it: its name, Node's code, the SDK's marks. */
type ErrorDetails = Error & { code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };

/** Whether AWS refused the call for its rate (a quota, HTTP 429 or a throttling name), not for what it asked. */
export function isThrottling(error: unknown): boolean {
  return (
    error instanceof Error && (THROTTLING.test(error.name) || (error as ErrorDetails).$metadata?.httpStatusCode === 429)
  );
}

// Errors that say "not now" rather than "not like this": retrying may work.
const TRANSIENT_NAMES = new Set([
  'CaptchaUnavailableError',
  'LookupTimeoutError',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
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
export const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
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

/**
 * Whether an error is transient (a time-out, a network error, throttling, a 5xx) or permanent
 * (access denied, a missing resource, a validation error, bad credentials, any other 4xx, and
 * anything unrecognised). Unknown errors count as permanent, so that nothing fails open by accident.
 * The one classification: the log's `kind` and what the AWS client retries both come from it.
 */
export function failureKindOf(error: unknown): LookupFailureKind {
  if (!(error instanceof Error)) return 'permanent-failure';
  const details = error as ErrorDetails;
  if (TRANSIENT_NAMES.has(error.name) || isThrottling(error)) return 'transient-failure';
  if (typeof details.code === 'string' && NETWORK_CODES.has(details.code)) return 'transient-failure';
  // The SDK marks throttling errors it knows as retryable, whatever their status code.
  if (details.$retryable !== undefined && details.$retryable !== null) return 'transient-failure';
  const status = details.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500 || status === 429 ? 'transient-failure' : 'permanent-failure';
  return 'permanent-failure';
}

/** A problem with the invitation secret stored in SSM that retrying cannot cure. */
export class InviteSecretParameterError extends Error {
  constructor() {
    super('The parameter holds no invitation secret of the minimum length');
    this.name = 'InviteSecretParameterError';
  }
}
