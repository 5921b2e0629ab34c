// The AWS calls the lookups make (Cognito, DynamoDB, SSM), as signed AWS JSON requests over
// node:https: on a cold start far cheaper than the AWS SDK v3 clients (docs/performance.md has the
// figures). The signing is the SDK's own maintained Signature V4 code.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { postForJson, withRetries } from './https-client.js';
import { failureKindOf, isThrottling } from './lookup-failure.js';

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

// Large enough for the biggest answer a lookup asks for (a 400 KB DynamoDB item); a bound all the same.
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Calls one operation and returns its JSON answer. The region and credentials are Lambda's
 * (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); the endpoint is
 * AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL when set (as for the SDK), else the regional one.
 * Retried as https-client.ts's withRetries does: a throttled call (isThrottling) with jittered
 * back-off within its round's deadline, and counted there; any other transient failure
 * (failureKindOf) once. Rejects with an AwsServiceError named as AWS names it, a network error
 * (with its `code`), or an AbortError when the signal fires.
 */
export function callAwsJson(
  service: AwsJsonService,
  operation: string,
  input: unknown,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  return withRetries(
    () => callOnce(service, operation, input, signal),
    signal,
    operation,
    (error) => (isThrottling(error) ? 'throttled' : failureKindOf(error) === 'transient-failure' ? 'once' : 'final'),
  );
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
  const answer = await postForJson({
    url,
    headers: signed.headers,
    body,
    signal,
    maxBytes: MAX_ANSWER_BYTES,
  });
  const { status, json } = answer;
  if (status >= 200 && status < 300 && json !== undefined) return json;
  throw new AwsServiceError(errorNameOf(answer.headers['x-amzn-errortype'], json, status), status);
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
