import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AnswerCutOffError,
  AnswerTooLargeError,
  postForJson,
  type RetryAdvice,
  withRetries,
} from '../../src/look-up/lazy/https-client.js';
import { failureKindOf } from '../../src/look-up/lazy/lookup-failure.js';

/** What the server does with the next requests, in order; then it answers `{"ok":true}`. */
type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let url: URL;
const script: Behaviour[] = [];
const seen: { socket: number }[] = [];
let sockets = 0;

const answerOk: Behaviour = (_, response) => {
  response.setHeader('content-type', 'application/json');
  response.end('{"ok":true}');
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const socket = request.socket as typeof request.socket & { number?: number };
    socket.number ??= ++sockets;
    seen.push({ socket: socket.number });
    request.resume();
    request.on('end', () => (script.shift() ?? answerOk)(request, response));
  });
  // Keeps connections open between requests, as AWS's endpoints and the providers' do.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script.length = 0;
  seen.length = 0;
});

const post = (signal = AbortSignal.timeout(2000), maxBytes = 1024) =>
  postForJson({ url, headers: { 'content-type': 'application/json' }, body: '{}', signal, maxBytes });

describe('postForJson', () => {
  it('gives the status, the headers and the JSON object, over a connection kept for the next call', async () => {
    const first = await post();
    const second = await post();

    expect(first).toMatchObject({ status: 200, json: { ok: true } });
    expect(first.headers['content-type']).toBe('application/json');
    expect(second.json).toEqual({ ok: true });
    expect(seen.map((request) => request.socket)).toEqual([seen[0]?.socket, seen[0]?.socket]);
  });

  it('gives no JSON for an answer that is not a JSON object', async () => {
    script.push(
      (_, response) => response.end('[1]'),
      (_, response) => response.end('<html>'),
    );

    expect((await post()).json).toBeUndefined();
    expect((await post()).json).toBeUndefined();
  });

  it('stops reading an answer over its bound, with AnswerTooLargeError', async () => {
    script.push((_, response) => response.end(`{"x":"${'x'.repeat(2000)}"}`));

    const failure: unknown = await post().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AnswerTooLargeError);
    expect(failureKindOf(failure)).toBe('permanent-failure');
  });

  it('says an answer cut off mid-way is cut off, a transient failure', async () => {
    script.push((_, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => response.socket?.destroy(), 20);
    });

    const failure: unknown = await post().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AnswerCutOffError);
    expect(failureKindOf(failure)).toBe('transient-failure');
  });

  it('rejects with an AbortError as soon as the signal fires, and at once when it has', async () => {
    script.push(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();

    await expect(post(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(1000);
    const before = seen.length;
    await expect(post(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(before);
  });
});

describe('withRetries', () => {
  const attempt = (signal = AbortSignal.timeout(2000)) =>
    post(signal).then((answer) => {
      if (answer.status >= 500) throw Object.assign(new Error('5xx'), { $metadata: { httpStatusCode: answer.status } });
      return answer.json;
    });
  const failWith500: Behaviour = (_, response) => {
    response.statusCode = 503;
    response.end('{}');
  };

  it('sends again at once on a kept-alive connection the server had closed, even when told nothing is retried', async () => {
    await post();
    // The next request on that connection finds it closed: nothing was answered.
    script.push((request) => request.socket.destroy());
    const final = (): RetryAdvice => 'final';

    await expect(withRetries(() => attempt(), AbortSignal.timeout(2000), 'test', final)).resolves.toEqual({
      ok: true,
    });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((request) => request.socket)).size).toBe(2);
  });

  it('retries a failure the caller calls transient once, and one it calls final never', async () => {
    script.push(failWith500);
    await expect(
      withRetries(
        () => attempt(),
        AbortSignal.timeout(2000),
        'test',
        () => 'once',
      ),
    ).resolves.toEqual({
      ok: true,
    });
    expect(seen).toHaveLength(2);

    seen.length = 0;
    script.push(failWith500, failWith500, failWith500);
    await expect(
      withRetries(
        () => attempt(),
        AbortSignal.timeout(2000),
        'test',
        () => 'once',
      ),
    ).rejects.toThrow('5xx');
    expect(seen).toHaveLength(2);

    seen.length = 0;
    script.length = 0;
    script.push(failWith500);
    await expect(
      withRetries(
        () => attempt(),
        AbortSignal.timeout(2000),
        'test',
        () => 'final',
      ),
    ).rejects.toThrow('5xx');
    expect(seen).toHaveLength(1);
  });
});
