import { createHash, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwsServiceError, callAwsJson, endpointOf } from '../../src/look-up/lazy/aws-json-client.js';
import { failureKindOf } from '../../src/look-up/lazy/lookup-failure.js';
import { startCallRound, throttledIn } from '../../src/look-up/lazy/call-round.js';
import { listenOnLoopback, type LocalServer } from '../../tools/local/servers.js';

// No emulator here checks signatures, so this server does, with its own plain Signature V4
// (written apart from the client's, which is the AWS SDK's signer).
const SECRET = 'local-secret-key';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

function signatureProblem(request: IncomingMessage, body: string): string | undefined {
  const authorization = request.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (match === null) return 'no Signature V4 authorization';
  const [, , date = '', region = '', service = '', signedHeaders = '', signature] = match;
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-target'))
    return 'unsigned headers';
  const canonical = [
    request.method,
    request.url,
    '',
    ...names.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}`),
    '',
    signedHeaders,
    sha256(body),
  ].join('\n');
  const amzDate = String(request.headers['x-amz-date']);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key)
    .update(['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n'))
    .digest('hex');
  return expected === signature ? undefined : 'signature does not match';
}

let server: LocalServer;
const seen: { target: string; contentType: string; scope: string; token: string }[] = [];
let failNext = 0;
// Answers this many calls as a quota does: 400 with the service's throttling error.
let throttleNext = 0;
let throttleAs = 'TooManyRequestsException';

beforeAll(async () => {
  server = await listenOnLoopback(
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({
          target: String(request.headers['x-amz-target']),
          contentType: String(request.headers['content-type']),
          scope: /Credential=[^/]+\/\d{8}\/([^,]+), /.exec(String(request.headers.authorization))?.[1] ?? '',
          token: String(request.headers['x-amz-security-token']),
        });
        if (request.headers['x-amz-target'] === 'AWSCognitoIdentityProviderService.Broken') {
          response.writeHead(500).end('<html>Internal error</html>');
          return;
        }
        if (throttleNext > 0) {
          throttleNext--;
          response.writeHead(400, { 'X-Amzn-ErrorType': throttleAs }).end(JSON.stringify({ message: 'Rate exceeded' }));
          return;
        }
        if (failNext > 0) {
          failNext--;
          response
            .writeHead(503, { 'X-Amzn-ErrorType': 'ServiceUnavailableException:http://internal.amazon.com/' })
            .end('{}');
          return;
        }
        const problem = signatureProblem(request, body);
        if (problem !== undefined) {
          response
            .writeHead(403)
            .end(JSON.stringify({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: problem }));
          return;
        }
        response
          .writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ echo: JSON.parse(body) as unknown }));
      });
    }),
  );
});
afterAll(() => server.stop());
afterEach(() => {
  vi.unstubAllEnvs();
  seen.length = 0;
  failNext = 0;
  throttleNext = 0;
  throttleAs = 'TooManyRequestsException';
});

const SERVICE = {
  signingName: 'cognito-idp',
  endpointVariable: 'COGNITO_IDENTITY_PROVIDER',
  contentType: 'application/x-amz-json-1.1',
  targetPrefix: 'AWSCognitoIdentityProviderService',
};

function useLambdaEnvironment(secret = SECRET) {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOCAL');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', secret);
  vi.stubEnv('AWS_SESSION_TOKEN', 'session-token');
  vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', server.endpoint);
}

describe('callAwsJson', () => {
  it('sends a request signed with Signature V4 for the service and region, with the session token', async () => {
    useLambdaEnvironment();
    const input = { UserPoolId: 'eu-west-1_X', Filter: 'email = "a@example.com"', Limit: 1 };
    expect(await callAwsJson(SERVICE, 'ListUsers', input, new AbortController().signal)).toEqual({ echo: input });
    expect(seen).toEqual([
      {
        target: 'AWSCognitoIdentityProviderService.ListUsers',
        contentType: 'application/x-amz-json-1.1',
        scope: 'eu-west-1/cognito-idp/aws4_request',
        token: 'session-token',
      },
    ]);
  });

  it('names what AWS refused as AWS names it, with the status, and keeps no message', async () => {
    useLambdaEnvironment('a-different-secret');
    const failure = await callAwsJson(SERVICE, 'ListUsers', {}, new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AwsServiceError);
    expect(failure).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    expect(failureKindOf(failure)).toBe('permanent-failure');
  });

  it('tries a transient failure once more, and reports the second failure as transient', async () => {
    useLambdaEnvironment();
    failNext = 1;
    await expect(callAwsJson(SERVICE, 'ListUsers', {}, new AbortController().signal)).resolves.toEqual({ echo: {} });
    expect(seen).toHaveLength(2);
    failNext = 2;
    const failure = await callAwsJson(SERVICE, 'ListUsers', {}, new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } });
    expect(failureKindOf(failure)).toBe('transient-failure');
  });

  it('retries a throttled call with back-off within its round, counting each throttled answer', async () => {
    useLambdaEnvironment();
    const controller = new AbortController();
    startCallRound(controller.signal, Date.now() + 2000);
    throttleNext = 4;
    await expect(callAwsJson(SERVICE, 'AdminGetUser', {}, controller.signal)).resolves.toEqual({ echo: {} });
    expect(seen).toHaveLength(5);
    expect(throttledIn(controller.signal)).toEqual({ AdminGetUser: 4 });
  });

  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException'])(
    'treats %s as throttling too, whatever the service',
    async (name) => {
      useLambdaEnvironment();
      const controller = new AbortController();
      startCallRound(controller.signal, Date.now() + 2000);
      throttleAs = name;
      throttleNext = 2;
      await expect(callAwsJson(SERVICE, 'GetItem', {}, controller.signal)).resolves.toEqual({ echo: {} });
      expect(throttledIn(controller.signal)).toEqual({ GetItem: 2 });
    },
  );

  it('stops retrying a throttled call when no retry could answer before the round ends, as a transient failure', async () => {
    useLambdaEnvironment();
    const controller = new AbortController();
    startCallRound(controller.signal, Date.now() + 100);
    throttleNext = 100;
    const startedAt = Date.now();
    const failure = await callAwsJson(SERVICE, 'ListUsers', {}, controller.signal).catch((error: unknown) => error);
    // No wait at all: one attempt, however long it took on a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(failure).toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 400 } });
    expect(failureKindOf(failure)).toBe('transient-failure');
    expect(seen).toHaveLength(1);
    expect(throttledIn(controller.signal)).toEqual({ ListUsers: 1 });
  });

  it('tries a throttled call a few times at most outside a round, and counts nothing', async () => {
    useLambdaEnvironment();
    throttleNext = 100;
    const signal = new AbortController().signal;
    const failure = await callAwsJson(SERVICE, 'GetParameter', {}, signal).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'TooManyRequestsException' });
    expect(seen).toHaveLength(4);
    expect(throttledIn(signal)).toBeUndefined();
  });

  it('names an error whose body is not JSON after its status', async () => {
    useLambdaEnvironment();
    const failure = await callAwsJson(SERVICE, 'Broken', {}, new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ name: 'Http500Error', $metadata: { httpStatusCode: 500 } });
  });

  it('stops when its signal is aborted', async () => {
    useLambdaEnvironment();
    const failure = await callAwsJson(SERVICE, 'ListUsers', {}, AbortSignal.abort()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'AbortError' });
  });

  it('refuses to sign without credentials, as a permanent failure', async () => {
    useLambdaEnvironment();
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    const failure = await callAwsJson(SERVICE, 'ListUsers', {}, new AbortController().signal).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ name: 'CredentialsProviderError' });
    expect(failureKindOf(failure)).toBe('permanent-failure');
  });
});

describe('endpointOf', () => {
  it('takes the service’s own variable, then AWS_ENDPOINT_URL, then the regional endpoint', () => {
    expect(
      endpointOf(SERVICE, 'eu-west-1', {
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://a',
        AWS_ENDPOINT_URL: 'http://b',
      }),
    ).toBe('http://a');
    expect(endpointOf(SERVICE, 'eu-west-1', { AWS_ENDPOINT_URL: 'http://b' })).toBe('http://b');
    expect(endpointOf(SERVICE, 'eu-west-1', {})).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(endpointOf(SERVICE, 'cn-north-1', {})).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/');
  });
});

describe('callAwsJson over HTTPS, as AWS is reached', () => {
  it('signs and sends the request over TLS to an https endpoint', async () => {
    // A throwaway certificate for 127.0.0.1, made with openssl for this test only.
    const dir = mkdtempSync(path.join(tmpdir(), 'aws-json-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const tls = await listenOnLoopback(
        createHttpsServer(
          { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
          (request, response) => {
            request.resume();
            request.on('end', () => {
              response.writeHead(200).end(JSON.stringify({ secure: true, target: request.headers['x-amz-target'] }));
            });
          },
        ),
      );
      try {
        useLambdaEnvironment();
        vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', tls.endpoint.replace('http:', 'https:'));
        // The certificate is no CA's: trust it for this request only. The client's own agent takes no
        // CA, and NODE_EXTRA_CA_CERTS is read only at start-up, so certificate checks are turned off,
        // and Node's warning that they are (once per process, on stderr) is expected: that one
        // warning alone is kept off a green run's output; any other goes through.
        vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
        const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
        const warnings = vi.spyOn(process, 'emitWarning').mockImplementation((...args: unknown[]) => {
          if (!String(args[0]).includes('NODE_TLS_REJECT_UNAUTHORIZED')) emitWarning(...args);
        });
        try {
          await expect(callAwsJson(SERVICE, 'ListUsers', {}, new AbortController().signal)).resolves.toEqual({
            secure: true,
            target: 'AWSCognitoIdentityProviderService.ListUsers',
          });
        } finally {
          warnings.mockRestore();
        }
      } finally {
        await tls.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
