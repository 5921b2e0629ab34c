import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The e2e suites start servers; their own hooks set tighter limits where it matters.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
