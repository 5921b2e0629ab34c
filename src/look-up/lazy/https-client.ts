// The one HTTPS client of the lookups: the AWS calls (aws-json-client.ts) and the CAPTCHA check
// (captcha.ts) both send through it. It owns what they share: connections kept alive between
// invocations, the time limit (the budget's AbortSignal), reading a JSON answer of bounded size,
// and the retry policy. Each caller keeps only what is its own: AWS's signing and error names, the
// provider's form and verdict.
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { countThrottled, deadlineOf } from './call-round.js';

// Connections are kept between invocations of one container: a warm call skips the TLS handshake.
// Plain HTTP only for an emulator or a stand-in on the loopback (AWS_ENDPOINT_URL_*, CAPTCHA_VERIFY_URL).
const httpsAgent = new HttpsAgent({ keepAlive: true });
const httpAgent = new HttpAgent({ keepAlive: true });

/** One POST: where, with what headers and body, cut off by the signal, with an answer of at most `maxBytes`. */
interface Post {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signal: AbortSignal;
  readonly maxBytes: number;
}

/** An answer: its status, headers, and its body when it is a JSON object (undefined for anything else). */
export interface JsonAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly json: Record<string, unknown> | undefined;
}

/** The answer was longer than the caller allows: it is not read further. */
export class AnswerTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The answer was over ${String(maxBytes / 1024)} KB`);
    this.name = 'AnswerTooLargeError';
  }
}

/** The connection broke in the middle of the answer. Its code makes it as transient as a reset. */
export class AnswerCutOffError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('The answer was cut off');
    this.name = 'AnswerCutOffError';
  }
}

/** Node's own shape for an aborted request, so that it reads the same wherever the abort came. */
function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

// A kept-alive connection the server had closed before the request went out on it: nothing was
// answered, so sending again is always safe (Node's documentation recommends it).
const staleSockets = new WeakSet<Error>();

/**
 * POSTs a body and reads the answer. Rejects with Node's network error (with its `code`), an
 * AbortError as soon as the signal fires (or at once when it already has, with nothing sent), an
 * AnswerTooLargeError or an AnswerCutOffError; never with the body in a message.
 */
export function postForJson({ url, headers, body, signal, maxBytes }: Post): Promise<JsonAnswer> {
  if (signal.aborted) return Promise.reject(abortError());
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: Error | JsonAnswer) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? httpsAgent : httpAgent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
          else {
            settle(new AnswerTooLargeError(maxBytes));
            response.destroy();
          }
        });
        response.on('end', () => {
          const json = jsonObjectOf(Buffer.concat(chunks).toString('utf8'));
          settle({ status: response.statusCode ?? 0, headers: response.headers, json });
        });
        // After 'end' this changes nothing; before it, the connection broke mid-answer.
        response.on('close', () => settle(new AnswerCutOffError()));
        response.on('error', () => settle(new AnswerCutOffError()));
      },
    );
    const onAbort = () => {
      settle(abortError());
      request.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error: Error & { code?: unknown }) => {
      if (request.reusedSocket && error.code === 'ECONNRESET') staleSockets.add(error);
      settle(error);
    });
    request.end(body);
  });
}

function jsonObjectOf(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a caller says of a failed attempt: `throttled` (a quota: retried with back-off), `once` (a
 * transient failure worth one more attempt) or `final`. A stale kept-alive connection is retried
 * whatever the caller says: nothing reached the server.
 */
export type RetryAdvice = 'throttled' | 'once' | 'final';

// One more attempt for a transient failure, as long as the signal allows: the AWS SDK makes up to
// three, but the whole lookup budget is 2.5 s.
const ATTEMPTS = 2;
const RETRY_DELAY_MS = 50;
// Throttling is different: the quota refills within the second, so a throttled call is retried
// with "full jitter" exponential back-off (a random wait up to 50, 100, 200… ms, at most 800), for
// as long as the round's deadline leaves time for an answer. The jitter spreads the retries of a
// burst's many containers, which would otherwise meet the empty quota again all at once.
const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 800;
// The least time a retry must have left to be worth sending: a slow answer from Cognito.
const ANSWER_MS = 150;
// Outside a round (no deadline known), throttled calls are tried at most this often.
const THROTTLED_ATTEMPTS_WITHOUT_DEADLINE = 4;

/**
 * The retry policy of every call: runs `attempt` until it answers, the signal fires, or `advice`
 * says a failure is final. A throttled failure is retried with jittered back-off within the
 * deadline of the round the signal belongs to (call-round.ts), and counted there under
 * `operation`; any other failure the advice calls `once` is retried once after 50 ms; a stale
 * kept-alive connection at once. Rejects with the last failure.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  signal: AbortSignal,
  operation: string,
  advice: (error: unknown) => RetryAdvice,
): Promise<T> {
  let failures = 0;
  let stale = 0;
  for (let throttles = 0; ;) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof Error && staleSockets.has(error) && stale++ === 0) continue;
      const said = advice(error);
      if (said === 'throttled') {
        throttles++;
        countThrottled(signal, operation);
        const wait = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (throttles - 1));
        const deadline = deadlineOf(signal);
        const late =
          deadline === undefined
            ? throttles >= THROTTLED_ATTEMPTS_WITHOUT_DEADLINE
            : Date.now() + wait + ANSWER_MS > deadline;
        if (late) throw error;
        await pause(wait, signal);
      } else {
        failures++;
        if (said === 'final' || failures >= ATTEMPTS) throw error;
        await pause(RETRY_DELAY_MS, signal);
      }
    }
  }
}

/** Waits, or stops waiting when the signal fires (the next attempt then fails with it). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
