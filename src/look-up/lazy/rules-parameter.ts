// Loaded on first use only: a cold start reads it only when RULES_PARAMETER is set.
import { callAwsJson } from './aws-json-client.js';
import { LookupTimeoutError } from './lookup-failure.js';
import { SSM } from './ssm.js';

/**
 * The text of an SSM parameter (a String, or a SecureString decrypted), within `budgetMs`: one
 * timer, cleared when the call ends. Rejects with the AWS error, a network error, or a
 * LookupTimeoutError.
 */
// Used through import() in rules-from-parameter.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export async function readParameterText(name: string, budgetMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(budgetMs, 1));
  try {
    const answer = await callAwsJson(SSM, 'GetParameter', { Name: name, WithDecryption: true }, controller.signal);
    const value = (answer.Parameter as { Value?: unknown } | undefined)?.Value;
    if (typeof value !== 'string') throw new TypeError('the parameter has no value');
    return value;
  } catch (error) {
    throw controller.signal.aborted ? new LookupTimeoutError() : error;
  } finally {
    clearTimeout(timer);
  }
}
