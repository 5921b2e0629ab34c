// The AWS calls the lookups make (Cognito, DynamoDB, SSM), as signed AWS JSON requests over
// node:https: on a cold start far cheaper than the AWS SDK v3 clients (docs/performance.md has the
// figures). The signing is the SDK's own maintained Signature V4 code.
import { createHash, createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { countThrottled, deadlineOf } from './call-round.js';

/** One AWS JSON API: how it is signed and addressed, and how it names its operations. */
export interface AwsJsonService {
  /** The signing name and the endpoint's first label, e.g. `cognito-idp`. */
  readonly signingName: string;
  /** The suffix of the SDK's endpoint variable, e.g. `COGNITO_IDENTITY_PROVIDER` for AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
  readonly endpointVariable: string;
  /** `application/x-amz-json-1.1` or `-1.0`. */
  readonly contentType: string;
  /** The prefix of X-Amz-Target, e.g. `AWSCognitoIdentityProviderService`. */
  readonly targetPrefix: string;
}

/** An error AWS answered with: named as the SDK names it, with the HTTP status where the SDK keeps it. */
export class AwsServiceError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };

  constructor(name: string, status: number) {
    // The message AWS sends may quote the request (the email, for one): it is not kept.
    super(`${name} (HTTP ${String(status)})`);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** The function has no AWS credentials in its environment, where Lambda always puts them. */
class CredentialsProviderError extends Error {
  constructor() {
    super('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    this.name = 'CredentialsProviderError';
  }
}

/** What the signer hands a hash: text or bytes in any of JavaScript's shapes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

// node:crypto's hash behind the interface the signer asks for.
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

// Connections are kept between invocations of one container, as the SDK's clients keep theirs.
const httpsAgent = new HttpsAgent({ keepAlive: true });
const httpAgent = new HttpAgent({ keepAlive: true });
// One retry for a transient failure, as long as the caller's signal allows: the SDK made up to
// three attempts, but the whole lookup budget is 2.5 s.
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
 * Calls one operation and returns its JSON answer. The region and credentials are Lambda's
 * (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); the endpoint is
 * AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL when set (as for the SDK), else the regional one.
 * A throttled call (any service's throttling error) is retried with jittered back-off within the
 * deadline of the round its signal belongs to (call-round.ts), and counted there; any other
 * transient failure is retried once. Rejects with an AwsServiceError named as AWS names it, a
 * network error (with its `code`), or an AbortError when the signal fires.
 */
export async function callAwsJson(
  service: AwsJsonService,
  operation: string,
  input: unknown,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  let otherFailures = 0;
  for (let throttles = 0; ;) {
    try {
      return await callOnce(service, operation, input, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      if (isThrottling(error)) {
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
        otherFailures++;
        if (otherFailures >= ATTEMPTS || !isWorthRetrying(error)) throw error;
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

// How AWS services name a throttled request (Cognito, DynamoDB, SSM, STS…), whatever the status.
const THROTTLING = /^(Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown)/;

/** Whether AWS refused the call for its rate (a quota), not for what it asked. */
function isThrottling(error: unknown): boolean {
  return error instanceof AwsServiceError && (error.$metadata.httpStatusCode === 429 || THROTTLING.test(error.name));
}

function isWorthRetrying(error: unknown): boolean {
  if (error instanceof AwsServiceError) return error.$metadata.httpStatusCode >= 500;
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

async function callOnce(
  service: AwsJsonService,
  operation: string,
  input: unknown,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const env = process.env;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) throw new CredentialsProviderError();
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const url = new URL(endpointOf(service, region));
  const body = JSON.stringify(input);
  const signer = new SignatureV4({
    service: service.signingName,
    region,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      'content-type': service.contentType,
      'x-amz-target': `${service.targetPrefix}.${operation}`,
    },
    body,
  });
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? httpsAgent : httpAgent,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const parsed = parseJson(text);
          if (status >= 200 && status < 300 && parsed !== undefined) resolve(parsed);
          else reject(new AwsServiceError(errorNameOf(response.headers['x-amzn-errortype'], parsed, status), status));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or the service's regional endpoint. */
export function endpointOf(
  service: AwsJsonService,
  region: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const configured = env[`AWS_ENDPOINT_URL_${service.endpointVariable}`] ?? env.AWS_ENDPOINT_URL;
  if (configured !== undefined && configured !== '') return configured;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service.signingName}.${region}.${suffix}/`;
}

/** The error's name, as AWS JSON protocols give it: `X-Amzn-ErrorType`, else `__type` (either may carry a prefix). */
function errorNameOf(header: unknown, body: Record<string, unknown> | undefined, status: number): string {
  const raw = typeof header === 'string' ? header : typeof body?.__type === 'string' ? body.__type : '';
  const name = raw.split(':')[0]?.split('#').pop() ?? '';
  return name !== '' ? name : `Http${String(status)}Error`;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
