import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { COGNITO_TIMEOUT_MS } from '../../src/model/limits.js';
import {
  checkRuntimeClientCanBeBuilt,
  ensureRuntimeClient,
  nodeBinaryFor,
  type RuntimeChoice,
} from './lambda-runtimes.js';
import { type Invocation, startRuntimeApi } from './runtime-api.js';

export interface RunningFunction {
  invoke(event: unknown, timeoutMs?: number): Promise<Invocation>;
  /** What the function wrote to stdout and stderr, line by line. */
  readonly logs: string[];
  /** The runtime client's process id, for reading its memory. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** How Lambda would run the function: which Node.js, and which log format. */
export interface FunctionRuntime {
  readonly node: RuntimeChoice;
  readonly logFormat: 'Text' | 'JSON';
  /** AWS_LAMBDA_LOG_LEVEL (Lambda sets it only with the JSON format); unset by default. */
  readonly logLevel?: string;
}

/** The runtime the tests and tools use unless told otherwise: what template.yaml deploys. */
export const DEFAULT_RUNTIME: FunctionRuntime = { node: '22', logFormat: 'JSON' };

/**
 * Unzips a zip into a new folder under the system's temporary folder, outside the repository,
 * where no node_modules can be reached: what runs there is only what the zip holds.
 */
export function unzipToTemp(zipBytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pre-signup-zip-'));
  for (const [name, contents] of Object.entries(unzipSync(zipBytes))) {
    const target = path.join(dir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, contents);
  }
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the function in a folder (the unzipped zip) as Lambda does: AWS's runtime interface client
 * on the chosen Node.js, `index.handler`, polling a local Runtime API, with the variables Lambda
 * sets, the given settings, and what the AWS SDK needs to sign requests to a local emulator.
 * Resolves once the client asks for its first invocation, so init is over.
 */
export async function startFunction(
  dir: string,
  env: Record<string, string>,
  runtime: FunctionRuntime = DEFAULT_RUNTIME,
): Promise<RunningFunction> {
  // Before Node.js is fetched: no build tools, no point fetching it.
  checkRuntimeClientCanBeBuilt();
  const [node, client] = await Promise.all([nodeBinaryFor(runtime.node), ensureRuntimeClient()]);
  const api = await startRuntimeApi();
  const child: ChildProcess = spawn(node, [client, 'index.handler'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_LAMBDA_RUNTIME_API: api.hostPort,
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'index.handler',
      AWS_LAMBDA_FUNCTION_NAME: 'PreSignUp',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/PreSignUp',
      AWS_LAMBDA_LOG_STREAM_NAME: 'local',
      AWS_LAMBDA_LOG_FORMAT: runtime.logFormat,
      ...(runtime.logLevel === undefined ? {} : { AWS_LAMBDA_LOG_LEVEL: runtime.logLevel }),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => logs.push(...chunk.split('\n').filter((line) => line !== '')));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    }
    await api.stop();
  };
  try {
    await Promise.race([
      api.ready,
      exited.then((code) => {
        throw new Error(`the runtime client exited with ${String(code)} before init ended: ${logs.join('\n')}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    logs,
    pid: child.pid,
    invoke: (event, timeoutMs = COGNITO_TIMEOUT_MS) => api.invoke(event, timeoutMs),
    stop,
  };
}

/**
 * The runtime a test run uses: LAMBDA_NODE (22, 24 or host) and LAMBDA_LOG_FORMAT (Text or JSON),
 * as vitest's runtime projects set them; what template.yaml deploys otherwise.
 */
export function runtimeFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): FunctionRuntime {
  const node = env.LAMBDA_NODE ?? DEFAULT_RUNTIME.node;
  const logFormat = env.LAMBDA_LOG_FORMAT ?? DEFAULT_RUNTIME.logFormat;
  if (node !== '22' && node !== '24' && node !== 'host')
    throw new Error(`LAMBDA_NODE must be 22, 24 or host, not ${node}`);
  if (logFormat !== 'Text' && logFormat !== 'JSON')
    throw new Error(`LAMBDA_LOG_FORMAT must be Text or JSON, not ${logFormat}`);
  return { node, logFormat };
}
