import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type LocalServer } from './servers.js';

/** The error a function posted, as the runtime client formats it. */
interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** What Lambda answers for one invocation: the result, or the error the handler threw. */
export interface Invocation {
  readonly result?: unknown;
  readonly error?: FunctionError;
}

/** A Lambda Runtime API on loopback, for one function process: the endpoint it polls, and how to invoke it. */
interface RuntimeApi extends LocalServer {
  /** `host:port`, as the runtime client reads it from AWS_LAMBDA_RUNTIME_API. */
  readonly hostPort: string;
  /** Queues an invocation and resolves with what the function posted back. */
  invoke(event: unknown, timeoutMs: number): Promise<Invocation>;
  /** Resolves when the runtime client asks for its first invocation (init is over), or rejects on an init error. */
  readonly ready: Promise<void>;
}

const PREFIX = '/2018-06-01/runtime';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:PreSignUp';

interface Pending {
  readonly id: string;
  readonly body: string;
  readonly deadlineMs: number;
  readonly settle: (invocation: Invocation) => void;
}

/**
 * The HTTP protocol the Lambda runtime interface client speaks: `GET …/invocation/next` (the event
 * as the body, with the request id, deadline and function ARN as headers), then
 * `POST …/invocation/{id}/response` or `…/{id}/error`, or `POST …/init/error` if the handler
 * could not load. One invocation at a time, as Lambda gives one execution environment.
 */
export async function startRuntimeApi(): Promise<RuntimeApi> {
  const queue: Pending[] = [];
  const inFlight = new Map<string, Pending>();
  let waitingForNext: ServerResponse | undefined;
  let initFailure: FunctionError | undefined;
  let markReady: () => void = () => undefined;
  let failInit: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failInit = reject;
  });
  // Nobody may be waiting on `ready` when an init error comes in.
  ready.catch(() => undefined);

  const handOut = () => {
    const next = queue.shift();
    if (waitingForNext === undefined || next === undefined) {
      if (next !== undefined) queue.unshift(next);
      return;
    }
    inFlight.set(next.id, next);
    waitingForNext.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': next.id,
      'Lambda-Runtime-Deadline-Ms': String(next.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': FUNCTION_ARN,
      'Lambda-Runtime-Trace-Id': `Root=1-00000000-${next.id.replaceAll('-', '').slice(0, 24)};Sampled=0`,
    });
    waitingForNext.end(next.body);
    waitingForNext = undefined;
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.method === 'GET' && url === `${PREFIX}/invocation/next`) {
        markReady();
        waitingForNext = response;
        handOut();
        return;
      }
      const posted = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      if (request.method === 'POST' && posted !== null) {
        const pending = inFlight.get(decodeURIComponent(posted[1] ?? ''));
        if (pending === undefined) {
          response.writeHead(400).end();
          return;
        }
        inFlight.delete(pending.id);
        response.writeHead(202).end();
        pending.settle(
          posted[2] === 'response' ? { result: parseOrText(body) } : { error: parseOrText(body) as FunctionError },
        );
        return;
      }
      if (request.method === 'POST' && url === `${PREFIX}/init/error`) {
        const failure = parseOrText(body) as FunctionError;
        initFailure = failure;
        response.writeHead(202).end();
        failInit(new Error(`init error: ${body}`));
        for (const pending of [...queue, ...inFlight.values()]) pending.settle({ error: failure });
        return;
      }
      response.writeHead(404).end();
    });
  });
  const listening = await listenOnLoopback(server);
  const hostPort = listening.endpoint.replace(/^http:\/\//, '');

  return {
    ...listening,
    hostPort,
    ready,
    invoke(event, timeoutMs) {
      if (initFailure !== undefined) return Promise.resolve({ error: initFailure });
      return new Promise((resolve) => {
        const id = randomUUID();
        const timer = setTimeout(() => {
          inFlight.delete(id);
          resolve({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutMs} ms` } });
        }, timeoutMs + 1000);
        queue.push({
          id,
          body: JSON.stringify(event),
          deadlineMs: Date.now() + timeoutMs,
          settle: (invocation) => {
            clearTimeout(timer);
            resolve(invocation);
          },
        });
        handOut();
      });
    },
  };
}

function parseOrText(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
