import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { USES_LAMBDA_RUNTIMES } from './test/helpers/runtime-users.js';

// These run the built zip under the Lambda runtime client, on each runtime Lambda offers
// (nodejs22.x, nodejs24.x) and each log format (Text, JSON). The zip's own suite runs on all four;
// the hostile-input corpus and the suites that add the emulators run on two that between them cover
// both runtimes and both formats (Lambda's defaults, Node 22 with Text, and the other two
// together): a third and a fourth run would test the same code on the same runtimes for about a
// minute and a half of CI.
const ZIP_TESTS = ['test/zip.test.ts'];
const RUNTIME_TESTS = [
  ...ZIP_TESTS,
  'test/zip-hostile-input.test.ts',
  'test/e2e/sign-up.e2e.test.ts',
  'test/e2e/lookups.e2e.test.ts',
  'test/e2e/captcha.e2e.test.ts',
  'test/e2e/velocity-limits.runtime.e2e.test.ts',
  'test/e2e/email-domain-checks.runtime.e2e.test.ts',
];
const RUNTIMES = [
  ['22', 'Text', RUNTIME_TESTS],
  ['24', 'JSON', RUNTIME_TESTS],
  ['22', 'JSON', ZIP_TESTS],
  ['24', 'Text', ZIP_TESTS],
] as const;

// These need what the build makes (dist/, the zip), a server on loopback or a child process:
// they run after the global setup, which builds the zip when stale and fetches what runs it.
// The unit project is everything else: no build, no network, seconds to run.
const INTEGRATION_TESTS = [
  // Runs the Amplify example's bundle under the runtime client.
  'test/amplify.test.ts',
  'test/e2e/**',
  'test/attach/**',
  'test/cdk/**',
  'test/tools.test.ts',
  'test/build.test.ts',
  'test/client.test.ts',
  'test/client-docs.test.ts',
  'test/readme-cli.test.ts',
  'test/waf.test.ts',
  'test/look-up/aws-json-client.test.ts',
  'test/look-up/captcha.test.ts',
  'test/look-up/https-client.test.ts',
  // Opens the built playground page in a headless Chromium.
  'test/playground/page.test.ts',
];

// The files that keep a worker longest (20 to 40 s each on 2 cores, 2026-12-07), longest first,
// on whichever project runs them. Vitest runs its projects one after another and, on a machine with
// no record of earlier runs (CI's fresh clone), a project's files largest first: a long file that
// starts last keeps one worker busy while the others wait for it. The rest follow in vitest's own
// order, the unit project's short files last, where they fill the gaps.
const LONGEST_FIRST = [
  'test/e2e/lookups.e2e.test.ts',
  'test/tools.test.ts',
  'test/cdk/pre-signup-trigger.test.ts',
  'test/e2e/burst.e2e.test.ts',
  'test/e2e/sign-up.e2e.test.ts',
  'test/cdk/cdk-cli.test.ts',
  'test/zip-hostile-input.test.ts',
  'test/e2e/federated-link.e2e.test.ts',
  'test/zip.test.ts',
];

// While `npm test` still sets up Node 22/24 and the runtime client beside the tests
// (LAMBDA_RUNTIMES_SET_UP_BY), the files that need them wait (test/setup-runtimes.ts): the others
// go first, so that the workers have work meanwhile.
const settingUp = process.env.LAMBDA_RUNTIMES_SET_UP_BY !== undefined;

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const inVitestOrder = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const name = path.relative(file.project.config.root, file.moduleId);
      const index = LONGEST_FIRST.indexOf(name);
      const waits = settingUp && (file.project.name.startsWith('node') || USES_LAMBDA_RUNTIMES.includes(name));
      return (waits ? LONGEST_FIRST.length + 1 : 0) + (index === -1 ? LONGEST_FIRST.length : index);
    };
    return inVitestOrder
      .map((file, order) => ({ file, order, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    setupFiles: ['test/setup-fast-check.ts'],
    // Most test files wait on child processes and servers, not on the CPU: three at a time finish
    // in about half the time of vitest's default here (one worker on two cores).
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    // The e2e suites start servers; their own hooks set tighter limits where it matters.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...RUNTIME_TESTS, ...INTEGRATION_TESTS],
          // A worker imports the sources once for all the unit files it runs, instead of once per
          // file: the project takes about 10 s instead of 45 here (2026-12-07), and a third of the
          // CPU. The unit tests start no server and leave no state behind (the few that mock a module
          // or stub the environment undo it after each test); they passed in shuffled orders.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION_TESTS.map((glob) => (glob.endsWith('/**') ? `${glob}/*.test.ts` : glob)),
          exclude: RUNTIME_TESTS,
          // Builds the zip when stale, and fetches Node 22/24 and builds the runtime client on first need.
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/setup-runtimes.ts'],
        },
      },
      ...RUNTIMES.map(([node, logFormat, include]) => ({
        extends: true as const,
        test: {
          name: `node${node}-${logFormat}`,
          include: [...include],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/setup-runtimes.ts'],
          env: { LAMBDA_NODE: node, LAMBDA_LOG_FORMAT: logFormat },
        },
      })),
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportsDirectory: 'coverage',
      thresholds: {
        lines: 95,
        branches: 95,
        // The decision, its rules and the response plan are pure: every line and branch is testable.
        'src/decide/**/*.ts': { lines: 100, branches: 100, functions: 100, statements: 100 },
        'src/look-up/decide-with-lookups.ts': { lines: 100, branches: 100, functions: 100, statements: 100 },
        'src/respond/plan-response.ts': { lines: 100, branches: 100, functions: 100, statements: 100 },
      },
    },
  },
});
