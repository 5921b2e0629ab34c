import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';

import { PROJECT_ROOT } from '../../paths.mjs';

const FUNCTION_PROCESS = path.join(PROJECT_ROOT, 'tools/local/function-process.mjs');

/** What Lambda answers for one invocation: the result, or the error the handler threw. */
interface Invocation {
  readonly result?: unknown;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
}

export interface RunningFunction {
  invoke(event: unknown, timeoutMs?: number): Promise<Invocation>;
  /** What the function wrote to stdout and stderr, line by line. */
  readonly logs: string[];
  stop(): Promise<void>;
}

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
 * Starts the handler of a folder in a process of its own, as Lambda would, with only the given
 * settings plus what the AWS SDK needs to sign requests to a local emulator.
 */
export async function startFunction(dir: string, env: Record<string, string>): Promise<RunningFunction> {
  const child: ChildProcess = fork(FUNCTION_PROCESS, [dir], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => logs.push(...chunk.split('\n').filter((line) => line !== '')));
  }
  const pending = new Map<string, (invocation: Invocation) => void>();
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`function process exited with ${code}: ${logs.join('\n')}`)));
    child.on('message', (message: { ready?: boolean; id?: string } & Invocation) => {
      if (message.ready) resolve();
      else if (message.id !== undefined) pending.get(message.id)?.(message);
    });
  });
  return {
    logs,
    invoke(event, timeoutMs = 5000) {
      const id = randomUUID();
      return new Promise((resolve) => {
        pending.set(id, (invocation) => {
          pending.delete(id);
          resolve(invocation);
        });
        child.send({ id, event, timeoutMs });
      });
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.removeAllListeners('exit');
        // Closing the IPC channel lets the process end by itself, its output flushed; a hung one is killed.
        const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
        child.once('exit', () => {
          clearTimeout(killer);
          // Output still in the pipes arrives before 'close'.
          if (child.stdout === null || child.stdout.closed) resolve();
          else child.once('close', () => resolve());
        });
        child.disconnect();
      });
    },
  };
}
