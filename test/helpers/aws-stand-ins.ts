import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { listenOnLoopback, type LocalServer } from '../../tools/local/servers.js';

/** A TCP server that accepts connections and never answers: the worst kind of outage. */
export function startSilentServer(): Promise<LocalServer> {
  return listenOnLoopback(createServer(() => undefined));
}

/**
 * An AWS JSON endpoint that answers every request as AWS does when the caller lacks a permission:
 * 400 with `X-Amzn-ErrorType: AccessDeniedException`. No emulator can be told to deny, hence this.
 */
export function startDenyingServer(): Promise<LocalServer> {
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(400, {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amzn-ErrorType': 'AccessDeniedException',
        'X-Amzn-RequestId': 'local-request',
      });
      response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized' }));
    });
  });
  return listenOnLoopback(server);
}
