import { defineConfig } from 'vitest/config';

// The scale suite: the testbed with IHA_SCALE_N computes (default 25; test/scale/scale.sh), its
// tests one after another.
export default defineConfig({
  test: {
    include: ['test/scale/**/*.scale.ts'],
    globalSetup: ['test/scale/global-setup.ts'],
    testTimeout: 1_200_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
