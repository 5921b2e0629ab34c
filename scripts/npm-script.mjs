// `node scripts/npm-script.mjs <script> [args…]`: the npm scripts that chain several commands
// (typecheck, lint, format, unused-exports, test). npm appends `npm run lint -- --help` to the last
// command of a chain only, so the commands before it ran in full (format rewrote every file); here
// `--help` or `-h` prints the script's usage and runs nothing, and other arguments go where they
// mean something (the last command, as npm would).
import { spawn } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { PROJECT_ROOT } from '../paths.mjs';

// ts-unused-exports reports exports nothing imports; these are imported from outside the sources
// (the package's entry points, the examples, the test and build configuration).
const UNUSED_EXPORTS_EXCLUDED = [
  'src/handler.ts',
  'src/client/index.ts',
  'src/cdk/index.ts',
  'examples/',
  'types/',
  'test/global-setup.ts',
  'vitest.config.ts',
  '.d.mts',
  // esbuild.config.mjs reads its table of stand-ins.
  'tools/playground/browser-builtins.ts',
];

const npmRun = (script) => ({ command: 'npm', args: ['run', '--silent', script], says: `npm run ${script}` });
const bin = (command, ...args) => ({ command, args, says: [command, ...args].join(' ') });

/** Each script: its usage line, what it does, and the commands it runs in order. */
const NPM_SCRIPTS = {
  typecheck: {
    usage: 'npm run typecheck',
    help: `Type-checks the sources, tests, tools and examples with tsc (tsconfig.json), then the
playground's page code with the DOM's types (tools/playground/tsconfig.json); writes nothing.`,
    steps: [bin('tsc', '-p', '.'), bin('tsc', '-p', 'tools/playground')],
  },
  lint: {
    usage: 'npm run lint',
    help: `Checks without changing anything: eslint, prettier --check, exports nothing imports
(npm run unused-exports), and cfn-lint on template.yaml and waf.yaml when it is installed.
npm run format fixes what eslint and prettier can.`,
    steps: [
      bin('eslint', '.'),
      bin('prettier', '--check', '.'),
      npmRun('unused-exports'),
      { command: process.execPath, args: ['scripts/cfn-lint.mjs'], says: 'cfn-lint (scripts/cfn-lint.mjs)' },
    ],
  },
  format: {
    usage: 'npm run format',
    help: 'Rewrites files in place: prettier --write on every file, then eslint --fix.',
    steps: [bin('prettier', '--write', '.'), bin('eslint', '--fix', '.')],
  },
  'unused-exports': {
    usage: 'npm run unused-exports',
    help: `Fails on an export that nothing imports (ts-unused-exports on tsconfig.unused-exports.json: the
project with the playground's page code), except in the package's entry points, examples/, types/,
the test configuration and what the build imports.`,
    steps: [
      bin(
        'ts-unused-exports',
        'tsconfig.unused-exports.json',
        `--excludePathsFromReport=${UNUSED_EXPORTS_EXCLUDED.join(';')}`,
      ),
    ],
  },
  test: {
    usage: 'npm test [-- vitest arguments…]',
    help: `Type-checks, lints, then runs every vitest project with coverage (vitest run --coverage);
arguments go to vitest, e.g. npm test -- test/tools.test.ts. The first run on a machine also
fetches Node.js 22 and 24 from npm and builds AWS's Lambda runtime client into .cache/ (it needs
cmake, make and g++; README.md says how long that takes), with progress lines: beside the type
check and lint, and then beside the tests that do not need it, while those that do wait for it.`,
    steps: [npmRun('typecheck'), npmRun('lint'), bin('vitest', 'run', '--coverage')],
    // The build (when stale), then the first run's set-up of what runs the zip (Node 22/24, the
    // runtime client), run beside the type check and lint; on a fresh machine that set-up is two to
    // three minutes, most of it curl's single-threaded configure, which leaves a core idle once the
    // type check and lint are done. So the last step waits for the build only: vitest starts with
    // the set-up still going (LAMBDA_RUNTIMES_SET_UP_BY names its process), the test files that
    // need it wait for it (test/setup-runtimes.ts) and the others run meanwhile. A failed set-up
    // ends the run.
    buildsFirst: true,
    alongside: {
      command: process.execPath,
      args: ['scripts/run-tool.mjs', 'set-up-runtimes'],
      says: 'the set-up of the runtimes',
    },
    takesArguments: true,
    // The whole run takes minutes: it says which step it is at.
    numbered: true,
  },
};

// The commands still running, to end them when a step fails before they do.
const running = new Set();

/**
 * Starts one command, inheriting the terminal (and the environment, with `env` added): its process
 * and a promise of its exit code.
 */
function startStep(step, args, env = {}) {
  // npm puts node_modules/.bin on the PATH of a script; the commands are found there.
  const child = spawn(step.command, args, { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const done = new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`could not run ${step.command}: ${error.message}\n`);
      resolve(1);
    });
    child.once('close', (code) => resolve(code ?? 1));
  });
  return { child, done };
}

/** Builds dist/ when stale (scripts/ensure-build.mjs, in this process); resolves to 0, or 1 when it fails. */
async function buildIfStale() {
  try {
    const { ensureBuilt } = await import('./ensure-build.mjs');
    await ensureBuilt();
    return 0;
  } catch (error) {
    process.stderr.write(`the build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/**
 * Runs a script's commands in order, stopping at the first that fails, with its `alongside`
 * command (if any) started first (after the build, for `buildsFirst`) and waited for before the
 * last step; with `buildsFirst`, the last step waits for the build only and runs beside what is
 * left of the alongside command, which ends it if it fails. Returns the exit code.
 */
async function runScript(name, args) {
  const script = NPM_SCRIPTS[name];
  if (script === undefined) {
    process.stderr.write(`npm-script: no script named ${JSON.stringify(name)}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`Usage: ${script.usage}\n\n${script.help}\n`);
    return 0;
  }
  if (args.length > 0 && script.takesArguments !== true) {
    process.stderr.write(`${name}: takes no arguments, received ${args.join(' ')}\nUsage: ${script.usage}\n`);
    return 2;
  }
  const last = script.steps.length - 1;
  const built = script.buildsFirst === true ? buildIfStale() : Promise.resolve(0);
  // The alongside command, once the build is done: its process and exit code; the build's failure instead.
  const alongside =
    script.alongside === undefined
      ? undefined
      : built.then((status) =>
          // Nothing is started once the run has ended (a step failed during the build).
          status === 0 && !ended
            ? startStep(script.alongside, script.alongside.args)
            : { child: undefined, done: status || 1 },
        );
  if (alongside !== undefined) {
    const building = script.buildsFirst === true ? 'the build, then ' : '';
    process.stderr.write(`${name}: meanwhile, ${building}${script.alongside.says}\n`);
  }
  const failed = (status) => {
    process.stderr.write(`${name}: ${script.alongside.says} failed (exit code ${String(status)}); see above\n`);
    return status;
  };
  for (const [index, step] of script.steps.entries()) {
    const stepArgs = index === last ? [...step.args, ...args] : step.args;
    let env = {};
    let besideDone = Promise.resolve(0);
    if (index === last && alongside !== undefined) {
      const { child, done } = await alongside;
      if (script.buildsFirst === true && child !== undefined && child.exitCode === null) {
        env = { LAMBDA_RUNTIMES_SET_UP_BY: String(child.pid) };
        besideDone = done;
      } else {
        const status = await done;
        if (status !== 0) return child === undefined ? status : failed(status);
      }
    }
    if (script.numbered === true) {
      const beside = Object.keys(env).length === 0 ? '' : `, beside ${script.alongside.says}`;
      process.stderr.write(`${name}: step ${String(index + 1)} of ${String(last + 1)}, ${step.says}${beside}\n`);
    }
    const { child, done } = startStep(step, stepArgs, env);
    // The set-up (curl's configure, then the runtime tests that wait for it) is the longest path:
    // what runs beside it yields the CPU to it, and the processes it starts inherit that.
    if (Object.keys(env).length > 0 && child.pid !== undefined) {
      setPriority(child.pid, Math.min(19, getPriority() + 10));
    }
    // A failed set-up ends the step that runs beside it: the tests that wait for it would fail too.
    void besideDone.then((status) => {
      if (status !== 0) child.kill();
    });
    const status = await done;
    const besideStatus = await besideDone;
    if (besideStatus !== 0) return failed(besideStatus);
    // A failed step ends the run; the set-up alongside is atomic per package, so it may simply stop.
    if (status !== 0) return status;
  }
  return 0;
}

const [name, ...args] = process.argv.slice(2);
// Set once the script's result is known.
let ended = false;
process.exitCode = await runScript(name ?? '', args);
ended = true;
// A step failed while the set-up alongside still runs: end it too (each package it installs is
// moved into place only when complete, so stopping it half-way leaves nothing half-installed).
for (const child of running) child.kill();
