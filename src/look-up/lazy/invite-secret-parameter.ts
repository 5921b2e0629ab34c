// Loaded on first use only: a cold start reads it only when INVITE_SECRET_PARAMETER is set.
import { MIN_INVITE_SECRET_LENGTH } from '../../model/limits.js';
import { callAwsJson } from './aws-json-client.js';
import { InviteSecretParameterError } from './lookup-failure.js';
import { SSM } from './ssm.js';

// Read once per container: the secret changes only with a new deployment (or a new cold start),
// the same as an INVITE_SECRET in the environment. A failed read is forgotten, so the next
// sign-up tries again.
const secrets = new Map<string, Promise<string>>();

/**
 * The invitation secret held by an SSM parameter (a SecureString, or a String), decrypted. Rejects
 * with the AWS error (ParameterNotFound, AccessDeniedException…) or an InviteSecretParameterError
 * when it holds no string of the minimum length; the value is never in the error.
 */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function inviteSecretFromParameter(name: string, signal: AbortSignal): Promise<string> {
  const value = await secretFromParameter(name, signal);
  if (value.length < MIN_INVITE_SECRET_LENGTH) throw new InviteSecretParameterError();
  return value;
}

/**
 * The text an SSM parameter holds (CAPTCHA_SECRET_PARAMETER's provider secret, the invitation
 * secret), decrypted, read once per container. Rejects with the AWS error, or an
 * InviteSecretParameterError when it holds no string.
 */
// ts-unused-exports:disable-next-line
export function secretFromParameter(name: string, signal: AbortSignal): Promise<string> {
  let secret = secrets.get(name);
  if (secret === undefined) {
    secret = readSecret(name, signal);
    secrets.set(name, secret);
    secret.catch(() => secrets.delete(name));
  }
  return secret;
}

async function readSecret(name: string, signal: AbortSignal): Promise<string> {
  const answer = await callAwsJson(SSM, 'GetParameter', { Name: name, WithDecryption: true }, signal);
  const value = (answer.Parameter as { Value?: unknown } | undefined)?.Value;
  if (typeof value !== 'string' || value === '') throw new InviteSecretParameterError();
  return value;
}
