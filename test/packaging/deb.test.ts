import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { buildSea, METADATA_CALLS } from '../../scripts/build-sea.ts';
import { REPO, run } from '../helpers/run.ts';
import { DIVERT_FENCE_COMPUTE, lockSystemPaths, unlockSystemPaths } from '../helpers/system-lock.ts';
import { REFERENCE_NAMES, parameterNames } from '../helpers/reference.ts';

// The shipped artefacts: the single executable, the .deb installed on this machine (over
// Debian's fence-agents, through dpkg-divert) and removed again, the RPM built with rpmbuild.

const RNG = '/usr/share/cluster/relaxng/metadata.rng';
const DTD = '/usr/share/resource-agents/ra-api-1.dtd';
let deb = '';

async function removePackage(): Promise<void> {
  await run('dpkg', ['-r', 'instance-ha-agents'], { timeoutMs: 120_000 });
}

describe('packages', () => {
  beforeAll(async () => {
    await lockSystemPaths();
    await removePackage(); // left by a run that was killed
    await run('bash', [DIVERT_FENCE_COMPUTE, 'restore']);
    await buildSea();
    const r = await run('bash', [join(REPO, 'packaging/debian/build-deb.sh')], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    deb = join(REPO, r.stdout.trim());
  }, 400_000);
  afterAll(async () => {
    await removePackage();
    unlockSystemPaths();
  }, 120_000);

  it('the single executable is not stripped and runs every agent by its link name', async () => {
    const bin = join(REPO, 'build/sea/bin');
    expect((await run('file', [realpathSync(join(bin, 'fence_compute'))])).stdout).toContain('not stripped');
    expect((await run(join(bin, 'fence_compute'), ['-o', 'metadata'])).stdout).toContain('<resource-agent name="fence_compute"');
    expect((await run(join(bin, 'NovaEvacuate'), ['meta-data'])).stdout).toContain('<resource-agent name="NovaEvacuate"');
    expect((await run(join(bin, 'compute-unfence-trigger'), ['meta-data'])).stdout).toContain('name="compute-unfence-trigger"');
  });
  it('installs over Debian\'s fence-agents with dpkg-divert; the installed agents validate', async () => {
    const i = await run('dpkg', ['-i', deb], { timeoutMs: 120_000 });
    expect(i.code, i.stderr).toBe(0);
    expect((await run('dpkg-divert', ['--list', '/usr/sbin/fence_compute'])).stdout).toContain('by instance-ha-agents');
    expect(existsSync('/usr/sbin/fence_compute.distrib')).toBe(true);
    const fc = await run('/usr/sbin/fence_compute', ['-o', 'metadata']);
    expect((await run('xmllint', ['--noout', '--relaxng', RNG, '-'], { input: fc.stdout })).code).toBe(0);
    expect(REFERENCE_NAMES.filter((n) => !parameterNames(fc.stdout).includes(n))).toEqual([]);
    expect((await run('stonith_admin', ['--metadata', '--agent', 'fence_compute'])).stdout).toContain('name="host_map"');
    for (const agent of ['NovaEvacuate', 'compute-unfence-trigger']) {
      const md = await run(`/usr/lib/ocf/resource.d/openstack/${agent}`, ['meta-data']);
      const v = await run('xmllint', ['--noout', '--dtdvalid', DTD, '-'], { input: md.stdout });
      expect(v.stderr, agent).not.toMatch(/validity error|parser error/);
      expect((await run('crm_resource', ['--show-metadata', `ocf:openstack:${agent}`])).code, agent).toBe(0);
    }
    // The launchers answer metadata from build-time XML: byte for byte what the executable prints.
    expect((await run('/usr/sbin/fence_compute', [], { input: 'action=metadata\n' })).stdout).toBe(fc.stdout);
    for (const [agent, args] of METADATA_CALLS) {
      const launcher = agent === 'fence_compute' ? '/usr/sbin/fence_compute' : `/usr/lib/ocf/resource.d/openstack/${agent}`;
      const env = { ...process.env, IHA_AGENT: agent } as Record<string, string>;
      expect((await run(launcher, args)).stdout, agent).toBe((await run('/usr/lib/instance-ha-agents/instance-ha-agents', args, { env })).stdout);
      expect(readFileSync(launcher, 'utf8'), agent).toContain('/metadata/');
    }
    expect((await run('crm_resource', ['--validate', '--class', 'ocf', '--provider', 'openstack', '--agent', 'NovaEvacuate', '--option', 'username=a'])).code).toBe(6);
    const man = await run('man', ['-P', 'cat', 'fence_compute'], { env: { ...process.env, MANWIDTH: '80' } as Record<string, string> });
    expect(man.stdout).toMatch(/fence_compute\s+-\s+Fence agent/);
    expect((await run('dpkg', ['-c', deb])).stdout).toContain('./usr/lib/instance-ha-agents/instance-ha-agents');
  });
  it('removal gives /usr/sbin/fence_compute back to Debian', async () => {
    await removePackage();
    expect((await run('dpkg-divert', ['--list', '/usr/sbin/fence_compute'])).stdout).toBe('');
    expect((await run('dpkg-divert', ['--list', '/usr/share/man/man8/fence_compute.8.gz'])).stdout).toBe('');
    expect(readFileSync('/usr/sbin/fence_compute', 'utf8')).toMatch(/^#!\/usr\/bin\/python3/);
    expect(existsSync('/usr/lib/ocf/resource.d/openstack/NovaEvacuate')).toBe(false);
  });
  it('the RPM builds with rpmbuild and lists the same layout', async () => {
    const r = await run('bash', [join(REPO, 'packaging/rpm/build-rpm.sh')], { timeoutMs: 400_000 });
    expect(r.code, r.stderr).toBe(0);
    const rpm = r.stdout.trim().split('\n').pop() ?? '';
    const list = await run('rpm', ['-qlp', rpm]);
    expect(list.stdout).toContain('/usr/sbin/fence_compute');
    expect(list.stdout).toContain('/usr/lib/ocf/resource.d/openstack/NovaEvacuate');
    expect((await run('rpm', ['-qp', '--conflicts', rpm])).stdout).toContain('fence-agents-compute');
  }, 400_000);
});
