// The one SSM Parameter Store reader, loaded on first use only: a cold start reads it only when
// RULES_PARAMETER, INVITE_SECRET_PARAMETER or CAPTCHA_SECRET_PARAMETER is set.
import { MIN_INVITE_SECRET_LENGTH } from '../../model/limits.js';
import { type AwsJsonService, callAwsJson } from './aws-json-client.js';
import { InviteSecretParameterError, LookupTimeoutError } from './lookup-failure.js';

// AWS_ENDPOINT_URL_SSM reaches an emulator, as it does for the AWS SDK.
const SSM: AwsJsonService = {
  signingName: 'ssm',
  endpointVariable: 'SSM',
  contentType: 'application/x-amz-json-1.1',
  targetPrefix: 'AmazonSSM',
};

/**
 * The value of a parameter (a String, or a SecureString decrypted); undefined when the answer holds
 * no text. Rejects with the AWS error (ParameterNotFound, AccessDeniedException…) or a network error.
 */
async function parameterValue(name: string, signal: AbortSignal): Promise<string | undefined> {
  const answer = await callAwsJson(SSM, 'GetParameter', { Name: name, WithDecryption: true }, signal);
  const value = (answer.Parameter as { Value?: unknown } | undefined)?.Value;
  return typeof value === 'string' ? value : undefined;
}

/**
 * RULES_PARAMETER's text within `budgetMs`: one timer, cleared when the call ends. Rejects with the
 * AWS error, a network error, or a LookupTimeoutError.
 */
// Used through import() in rules-from-parameter.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function readParameterText(name: string, budgetMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(budgetMs, 1));
  try {
    const value = await parameterValue(name, controller.signal);
    if (value === undefined) throw new TypeError('the parameter has no value');
    return value;
  } catch (error) {
    throw controller.signal.aborted ? new LookupTimeoutError() : error;
  } finally {
    clearTimeout(timer);
  }
}

// Read once per container: a secret changes only with a new deployment (or a new cold start), the
// same as one in the environment. A failed read is forgotten, so the next sign-up tries again.
const secrets = new Map<string, Promise<string>>();

/**
 * The text a parameter holds as a secret (CAPTCHA_SECRET_PARAMETER's provider secret, the
 * invitation secret), read once per container. Rejects with the AWS error, or an
 * InviteSecretParameterError when it holds no text; the value is never in an error.
 */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export function secretFromParameter(name: string, signal: AbortSignal): Promise<string> {
  let secret = secrets.get(name);
  if (secret === undefined) {
    secret = parameterValue(name, signal).then((value) => {
      if (value === undefined || value === '') throw new InviteSecretParameterError();
      return value;
    });
    secrets.set(name, secret);
    secret.catch(() => secrets.delete(name));
  }
  return secret;
}

/** The invitation secret INVITE_SECRET_PARAMETER names: InviteSecretParameterError when shorter than the minimum. */
// ts-unused-exports:disable-next-line
export async function inviteSecretFromParameter(name: string, signal: AbortSignal): Promise<string> {
  const value = await secretFromParameter(name, signal);
  if (value.length < MIN_INVITE_SECRET_LENGTH) throw new InviteSecretParameterError();
  return value;
}
