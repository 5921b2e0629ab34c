import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The e2e suites start servers; their own hooks set tighter limits where it matters.
    testTimeout: 20_000,
    hookTimeout: 30_000,
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
