import { defineConfig } from 'vitest/config';

// The end-to-end scenarios on the real OpenStack (test/openstack-real) instead of the simulator:
// the same testbed (test/e2e/testbed.sh), brought up with IHA_E2E_OPENSTACK=real.
process.env.IHA_E2E_OPENSTACK = 'real';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e-real.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
