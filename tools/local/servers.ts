import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningFunction } from './function-host.js';
import { NODE_MODULES } from '../../paths.mjs';

export interface LocalServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts a server on a free loopback port. `stop` destroys every open connection first, so that a
 * client still waiting (or a server that never answers) cannot hold teardown.
 */
export async function listenOnLoopback(server: TcpServer | Server): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nobody listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const giveUpAt = Date.now() + 15_000;
  while (Date.now() < giveUpAt) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`server at ${url} did not answer in 15 s: ${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function startNodeServer(script: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  return startServerProcess(process.execPath, [script, ...args], options);
}

function startServerProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  let output = '';
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    // Keep only the tail: enough to explain a failure to start.
    stream.on('data', (chunk: string) => {
      output = (output + chunk).slice(-4000);
    });
  }
  return { child, output: () => output };
}

/** Where cognito-local listens and keeps its data; by default a free port and a fresh folder. */
interface CognitoLocalOptions {
  /** A fixed port on 127.0.0.1. */
  readonly port?: number | undefined;
  /** A folder that keeps the pools and users (in .cognito/db) after stop, for the next start. */
  readonly dataDir?: string | undefined;
}

/**
 * cognito-local on 127.0.0.1, calling the PreSignUp trigger through the given Lambda endpoint. Its
 * data lives in `<folder>/.cognito/db`: a fresh folder, removed on stop, unless `dataDir` is given.
 */
export async function startCognitoLocal(
  lambdaEndpoint: string,
  options: CognitoLocalOptions = {},
): Promise<LocalServer> {
  const kept = options.dataDir !== undefined;
  const dir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'cognito-local-'));
  mkdirSync(path.join(dir, '.cognito'), { recursive: true });
  writeFileSync(
    path.join(dir, '.cognito/config.json'),
    JSON.stringify({
      LambdaClient: {
        endpoint: lambdaEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      TriggerFunctions: { PreSignUp: 'PreSignUp' },
      // Without this every pool would use email as its username.
      UserPoolDefaults: { UsernameAttributes: [] },
    }),
  );
  const port = options.port ?? (await freePort());
  const { child, output } = startNodeServer(path.join(NODE_MODULES, 'cognito-local/lib/bin/start.js'), [], {
    cwd: dir,
    env: { PORT: String(port), HOST: '127.0.0.1', DEBUG: '' },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const removeData = () => {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(`${endpoint}/health`, child, output);
  } catch (error) {
    await stopProcess(child);
    removeData();
    throw error;
  }
  return {
    endpoint,
    async stop() {
      await stopProcess(child);
      removeData();
    },
  };
}

/** dynalite, a local DynamoDB, in memory on a free loopback port. */
export async function startDynalite(): Promise<LocalServer> {
  const port = await freePort();
  const { child, output } = startNodeServer(
    path.join(NODE_MODULES, 'dynalite/cli.js'),
    ['--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'],
    { cwd: tmpdir(), env: {} },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, output);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { endpoint, stop: () => stopProcess(child) };
}

/**
 * Whether `moto_server` (moto, a Python AWS emulator) is on PATH. It is installed on this project's
 * machines but does not come from npm, so a contributor's machine may lack it.
 */
export function hasMotoServer(): boolean {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  return dirs.some((dir) => existsSync(path.join(dir, 'moto_server')));
}

/**
 * moto_server on a free loopback port, in memory: SSM Parameter Store, Secrets Manager, Lambda's
 * permission API and IAM, among others. Starting takes about a second.
 */
export async function startMotoServer(): Promise<LocalServer> {
  const port = await freePort();
  const { child, output } = startServerProcess('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: tmpdir(),
    env: { HOME: process.env.HOME ?? tmpdir() },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(`${endpoint}/moto-api/`, child, output);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { endpoint, stop: () => stopProcess(child) };
}

/**
 * A stand-in for the Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) that
 * answers as the Lambda service does: 200 with the JSON result, or 200 with the header
 * `X-Amz-Function-Error: Unhandled` and `{errorType, errorMessage}` when the handler threw.
 * Invocations go to whichever function process is current, so each case can have its settings.
 */
export async function startLambdaService(): Promise<LocalServer & { use(target: RunningFunction | undefined): void }> {
  let target: RunningFunction | undefined;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const answer = async () => {
      if (request.method !== 'POST' || !/^\/2015-03-31\/functions\/[^/]+\/invocations$/.test(request.url ?? '')) {
        reply(404, { message: 'Not a Lambda Invoke request' });
        return;
      }
      if (target === undefined) {
        reply(
          404,
          { Type: 'User', message: 'Function not found' },
          { 'X-Amzn-ErrorType': 'ResourceNotFoundException' },
        );
        return;
      }
      const { result, error } = await target.invoke(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (error !== undefined) reply(200, error, { 'X-Amz-Function-Error': 'Unhandled' });
      else reply(200, result ?? null);
    };
    // A failure of the stand-in itself answers as Lambda's service does, instead of hanging the caller.
    request.on('end', () => {
      answer().catch((failure: unknown) => {
        reply(
          500,
          { message: `local Lambda service failed: ${String(failure)}` },
          { 'X-Amzn-ErrorType': 'ServiceException' },
        );
      });
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    use(next) {
      target = next;
    },
  };
}
