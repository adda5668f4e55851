import { defineConfig } from 'vitest/config';

// The end-to-end suite: one real testbed (test/e2e/testbed.sh), scenarios one after another.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
