// Loaded on first use only: a cold start reads it only when CAPTCHA is set.
import { createHash } from 'node:crypto';
import { validateVerifyUrl } from '../../config/verify-url.js';
import { asciiLowerCase } from '../../read/email-address.js';
import { AnswerCutOffError, AnswerTooLargeError, type JsonAnswer, postForJson, withRetries } from './https-client.js';

/** What to verify, and against what. */
export interface CaptchaRequest {
  readonly provider: 'turnstile' | 'recaptcha' | 'hcaptcha';
  readonly secret: string;
  readonly token: string;
  /** Replaces the provider's endpoint (a proxy, a test); see validateVerifyUrl. */
  readonly verifyUrl?: string;
  /** 0–1, how likely a human at least; applies when the answer has a score. */
  readonly minScore?: number;
  /** The page hostnames a token may come from; any when absent. */
  readonly hostnames?: readonly string[];
  /** The action the widget must have named; any when absent. */
  readonly action?: string;
  /**
   * Ties the retry memory to one sign-up, its pool and userName (signUpIdentityOf): the same token
   * for another userName, or the same userName in another pool, is not remembered.
   */
  readonly signUp?: string;
}

/**
 * The provider's answer, judged. `score` is how likely a human (0–1) for every provider: hCaptcha's
 * risk score r is given as 1 − r. `hostname` and `errorCodes` are cut to lengths fit for a log line.
 */
export type CaptchaVerdict =
  | { readonly passed: true; readonly score?: number; readonly hostname?: string; readonly replayed?: boolean }
  | {
      readonly passed: false;
      readonly reason: 'refused' | 'low-score' | 'wrong-hostname' | 'wrong-action';
      readonly errorCodes: readonly string[];
      readonly score?: number;
      readonly hostname?: string;
    };

/** The provider could not give an answer: unreachable, too slow, a 5xx or 429, or an answer that is no verdict. */
export class CaptchaUnavailableError extends Error {
  constructor(readonly problem: string) {
    super(`The CAPTCHA provider gave no verdict: ${problem}`);
    this.name = 'CaptchaUnavailableError';
  }
}

/** The provider refused the request itself (a 4xx other than 429): retrying will not help. */
export class CaptchaRequestRejectedError extends Error {
  constructor(readonly status: number) {
    super(`The CAPTCHA provider refused the request (HTTP ${status})`);
    this.name = 'CaptchaRequestRejectedError';
  }
}

/** The provider says the secret key is missing or wrong: the operator's mistake, not the user's. */
export class CaptchaSecretRejectedError extends Error {
  constructor() {
    super('The CAPTCHA provider refused the secret key');
    this.name = 'CaptchaSecretRejectedError';
  }
}

/** The verification URL is not one validateVerifyUrl accepts. */
export class CaptchaVerifyUrlError extends Error {
  constructor(expected: string) {
    super(`The CAPTCHA verification URL is not ${expected}`);
    this.name = 'CaptchaVerifyUrlError';
  }
}

const ENDPOINTS: Readonly<Record<CaptchaRequest['provider'], string>> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
};
// Turnstile's documented maximum; the others issue shorter tokens.
const MAX_TOKEN_LENGTH = 2048;
const MAX_ANSWER_BYTES = 64 * 1024;
// What a log line may carry of the answer.
const MAX_HOSTNAME_LENGTH = 253;
const MAX_ERROR_CODE_LENGTH = 64;
const MAX_ERROR_CODES = 10;
// Codes that blame the secret: no user can cause them, so they are no refusal of the user.
const SECRET_ERROR_CODES = new Set(['missing-input-secret', 'invalid-input-secret']);
// A token is valid for 300 s (Turnstile, hCaptcha; reCAPTCHA 120 s): a retry comes within that.
const REMEMBER_MS = 300_000;
const MAX_REMEMBERED = 10_000;

interface Remembered {
  readonly until: number;
  readonly score?: number;
  readonly hostname?: string;
}
// Tokens that passed, by a hash (never the token), oldest first: Cognito retries a sign-up whose
// trigger timed out, and the provider would refuse the token's second use.
const passed = new Map<string, Remembered>();

/**
 * Verifies a CAPTCHA token with its provider and judges the answer against the request's minimum
 * score, hostnames and action. A token that passed is remembered for 300 s in the container, so a
 * retry of the same sign-up passes (`replayed: true`) without a second request. Rejects with a
 * CaptchaUnavailableError (unreachable, the signal aborted, a 5xx or 429, no JSON verdict),
 * CaptchaRequestRejectedError (another 4xx), CaptchaSecretRejectedError or CaptchaVerifyUrlError;
 * no message carries the token or the secret.
 */
export async function verifyCaptcha(request: CaptchaRequest, signal: AbortSignal): Promise<CaptchaVerdict> {
  const { provider, secret, token } = request;
  if (token.length === 0) return { passed: false, reason: 'refused', errorCodes: ['token-empty'] };
  if (token.length > MAX_TOKEN_LENGTH) return { passed: false, reason: 'refused', errorCodes: ['token-too-long'] };
  const url = request.verifyUrl ?? ENDPOINTS[provider];
  const urlProblem = validateVerifyUrl(url);
  if (urlProblem !== undefined) throw new CaptchaVerifyUrlError(urlProblem);

  const key = memoryKey(request, url);
  const now = Date.now();
  const remembered = passed.get(key);
  if (remembered !== undefined && remembered.until > now) {
    return { passed: true, ...scoreAndHostname(remembered), replayed: true };
  }

  const form = new URLSearchParams({ secret, response: token });
  // Turnstile validates a token again for the same key: a retry that lands in another container passes too.
  if (provider === 'turnstile') form.set('idempotency_key', idempotencyKey(request));
  const { status, json } = await post(new URL(url), form.toString(), signal);
  const verdict = judge(request, status, json);
  if (verdict.passed) remember(key, now, verdict);
  return verdict;
}

function judge(request: CaptchaRequest, status: number, answer: Record<string, unknown> | undefined): CaptchaVerdict {
  if (status >= 500 || status === 429) throw new CaptchaUnavailableError(`HTTP ${status}`);
  const errorCodes = errorCodesOf(answer?.['error-codes']);
  if (errorCodes.some((code) => SECRET_ERROR_CODES.has(code))) throw new CaptchaSecretRejectedError();
  if (status < 200 || status >= 300) throw new CaptchaRequestRejectedError(status);
  if (answer === undefined) throw new CaptchaUnavailableError('an answer that is not a JSON object');
  if (typeof answer.success !== 'boolean') throw new CaptchaUnavailableError('an answer without a boolean success');

  const score = scoreOf(request.provider, answer.score);
  const fullHostname = typeof answer.hostname === 'string' ? answer.hostname : undefined;
  const shown = scoreAndHostname({
    // Shown rounded (hCaptcha's 1 - risk gives 0.30000000000000004); compared exactly below.
    ...(score === undefined ? {} : { score: Math.round(score * 1000) / 1000 }),
    ...(fullHostname === undefined ? {} : { hostname: printable(fullHostname, MAX_HOSTNAME_LENGTH) }),
  });
  const refuse = (reason: 'refused' | 'low-score' | 'wrong-hostname' | 'wrong-action'): CaptchaVerdict => ({
    passed: false,
    reason,
    errorCodes,
    ...shown,
  });

  if (!answer.success) return refuse('refused');
  const { hostnames, action, minScore } = request;
  if (hostnames !== undefined) {
    const hostname = asciiLowerCase(fullHostname ?? '');
    if (!hostnames.some((allowed) => asciiLowerCase(allowed) === hostname)) return refuse('wrong-hostname');
  }
  if (action !== undefined && answer.action !== action) return refuse('wrong-action');
  if (minScore !== undefined && score !== undefined && score < minScore) return refuse('low-score');
  return { passed: true, ...shown };
}

/** The score as how likely a human, 0–1; undefined when the answer has none. */
function scoreOf(provider: CaptchaRequest['provider'], value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new CaptchaUnavailableError('an answer whose score is not a number from 0 to 1');
  }
  // hCaptcha Enterprise scores malicious activity: 0 is no risk, 1 a confirmed threat. Not rounded:
  // the minimum is compared with the exact value (0.4996 is under 0.5).
  return provider === 'hcaptcha' ? 1 - value : value;
}

function errorCodesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((code): code is string => typeof code === 'string')
    .slice(0, MAX_ERROR_CODES)
    .map((code) => printable(code, MAX_ERROR_CODE_LENGTH));
}

/** Printable ASCII only, cut to `max` characters: the provider's text goes into a log line. */
function printable(text: string, max: number): string {
  return text.slice(0, max).replace(/[^\x20-\x7e]/g, '?');
}

function scoreAndHostname(from: { readonly score?: number; readonly hostname?: string }): {
  score?: number;
  hostname?: string;
} {
  return {
    ...(from.score === undefined ? {} : { score: from.score }),
    ...(from.hostname === undefined ? {} : { hostname: from.hostname }),
  };
}

function sha256(value: unknown): Buffer {
  return createHash('sha256').update(JSON.stringify(value)).digest();
}

// Everything the verdict depended on: a client override with other checks does not reuse a pass.
function memoryKey(request: CaptchaRequest, url: string): string {
  const { provider, secret, token, signUp, minScore, hostnames, action } = request;
  return sha256([provider, url, secret, token, signUp, minScore, hostnames, action]).toString('base64');
}

/** A UUID (version 4 in form) derived from the secret, token and user name: the same for a retry. */
function idempotencyKey({ secret, token, signUp }: CaptchaRequest): string {
  const bytes = sha256(['idempotency', secret, token, signUp]).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function remember(key: string, now: number, verdict: { readonly score?: number; readonly hostname?: string }): void {
  // Entries go in oldest first: drop the expired ones from the front, then the oldest over the bound.
  for (const [oldKey, entry] of passed) {
    if (entry.until > now && passed.size < MAX_REMEMBERED) break;
    passed.delete(oldKey);
  }
  passed.delete(key);
  passed.set(key, { until: now + REMEMBER_MS, ...scoreAndHostname(verdict) });
}

/**
 * POSTs the form through the one HTTPS client. Nothing is retried but a kept-alive connection the
 * provider had closed before the request went out (https-client.ts): a token is single-use, and a
 * second request after a 5xx could find it spent. Every failure to get an answer is a
 * CaptchaUnavailableError naming only what went wrong (Node's messages name the host and port).
 */
async function post(url: URL, form: string, signal: AbortSignal): Promise<JsonAnswer> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  try {
    return await withRetries(
      () => postForJson({ url, headers, body: form, signal, maxBytes: MAX_ANSWER_BYTES }),
      signal,
      'siteverify',
      () => 'final',
    );
  } catch (error) {
    throw new CaptchaUnavailableError(problemOf(error, signal));
  }
}

function problemOf(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'no answer in time';
  if (error instanceof AnswerTooLargeError) return 'an answer over 64 KB';
  if (error instanceof AnswerCutOffError) return 'the answer was cut off';
  const code = (error as { code?: unknown }).code;
  return `unreachable (${typeof code === 'string' ? code : 'a network error'})`;
}
