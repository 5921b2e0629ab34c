import { createServer } from 'node:http';
import { listenOnLoopback, type LocalServer } from '../../tools/local/servers.js';

/** How the proxy answers AdminLinkProviderForUser. */
type LinkAnswer = 'ok' | 'server-error' | 'limit-exceeded' | 'silent';

export interface LinkProxy extends LocalServer {
  /** The JSON body of every AdminLinkProviderForUser request, in order. */
  readonly linkRequests: unknown[];
  answerLinkWith(answer: LinkAnswer): void;
}

const LINK_TARGET = 'AWSCognitoIdentityProviderService.AdminLinkProviderForUser';
const JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * A stand-in for the one call no emulator implements. It forwards every Cognito request to
 * `cognitoLocal` unchanged (ListUsers and the rest stay real) and answers AdminLinkProviderForUser
 * itself, as Cognito would: `{}`, a 500 InternalErrorException, a 400 LimitExceededException, or
 * nothing at all. It records each link request, so a test can compare the exact body sent.
 */
export async function startLinkProxy(cognitoLocal: string): Promise<LinkProxy> {
  const linkRequests: unknown[] = [];
  let answer: LinkAnswer = 'ok';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = request.headers['x-amz-target'];
      if (target === LINK_TARGET) {
        linkRequests.push(JSON.parse(body.toString('utf8')) as unknown);
        const error = (status: number, type: string) => {
          response.writeHead(status, { 'content-type': JSON_1_1, 'x-amzn-errortype': type });
          response.end(JSON.stringify({ __type: type, message: 'from the test proxy' }));
        };
        if (answer === 'ok') {
          response.writeHead(200, { 'content-type': JSON_1_1 });
          response.end('{}');
        } else if (answer === 'server-error') error(500, 'InternalErrorException');
        else if (answer === 'limit-exceeded') error(400, 'LimitExceededException');
        // 'silent': no answer; stop() destroys the socket.
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-amz-target', 'authorization', 'x-amz-date']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(`${cognitoLocal}${request.url ?? '/'}`, { method: request.method ?? 'POST', headers, body })
        .then(async (forwarded) => {
          const relayed: Record<string, string> = { 'content-type': forwarded.headers.get('content-type') ?? JSON_1_1 };
          const errorType = forwarded.headers.get('x-amzn-errortype');
          if (errorType !== null) relayed['x-amzn-errortype'] = errorType;
          response.writeHead(forwarded.status, relayed);
          response.end(Buffer.from(await forwarded.arrayBuffer()));
        })
        .catch(() => {
          response.writeHead(502);
          response.end();
        });
    });
  });
  const local = await listenOnLoopback(server);
  return {
    ...local,
    linkRequests,
    answerLinkWith(next) {
      answer = next;
    },
  };
}
