// `node scripts/npm-script.mjs <script> [args…]`: the npm scripts that chain several commands
// (typecheck, lint, format, unused-exports, test). npm appends `npm run lint -- --help` to the last
// command of a chain only, so the commands before it ran in full (format rewrote every file); here
// `--help` or `-h` prints the script's usage and runs nothing, and other arguments go where they
// mean something (the last command, as npm would).
import { spawnSync } from 'node:child_process';
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
cmake, make and g++; README.md says how long that takes), with progress lines.`,
    steps: [npmRun('typecheck'), npmRun('lint'), bin('vitest', 'run', '--coverage')],
    takesArguments: true,
    // The whole run takes minutes: it says which step it is at.
    numbered: true,
  },
};

/** Runs a script's commands in order, stopping at the first that fails; returns the exit code. */
function runScript(name, args) {
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
  for (const [index, step] of script.steps.entries()) {
    const stepArgs = index === last ? [...step.args, ...args] : step.args;
    if (script.numbered === true) {
      process.stderr.write(`${name}: step ${String(index + 1)} of ${String(last + 1)}, ${step.says}\n`);
    }
    // npm puts node_modules/.bin on the PATH of a script; the commands are found there.
    const result = spawnSync(step.command, stepArgs, { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (result.error !== undefined) {
      process.stderr.write(`${name}: could not run ${step.command}: ${result.error.message}\n`);
      return 1;
    }
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

const [name, ...args] = process.argv.slice(2);
process.exitCode = runScript(name ?? '', args);
