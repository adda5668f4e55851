import { defineConfig } from 'vitest/config';

// The live contract suite: the agents' OpenStack calls against the simulator and a real
// Keystone + Nova + Glance (Zed) from Debian's packages, started once for the run; and the built
// `instance-ha maintenance` on both (its ledger in the local test cluster, also started once).
export default defineConfig({
  test: {
    include: ['test/**/*.openstack.ts'],
    globalSetup: ['test/openstack-real/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
