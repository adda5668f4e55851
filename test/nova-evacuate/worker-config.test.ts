import { describe, expect, expectTypeOf, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { novaEvacuate } from '../../lib/nova-evacuate/agent.ts';
import { readWorkerConfig, workerMessage } from '../../lib/nova-evacuate/worker-config.ts';
import type { novaEvacuateParams } from '../../lib/nova-evacuate/params.ts';
import type { OcfContext } from '../../lib/ocf/agent.ts';
import { OCF } from '../../lib/ocf/exit-codes.ts';
import { runOcfAgent } from '../../lib/ocf/run.ts';
import { buildAuthConfig } from '../../lib/openstack/config.ts';

// The worker's Keystone settings, from NovaEvacuate's OCF parameters through the message start
// sends on the worker's stdin: a declared default (endpoint_type=internalURL, user_domain=Default,
// insecure=0) must not override clouds.yaml or OS_*.

type Ctx = OcfContext<typeof novaEvacuateParams>;

/** The context NovaEvacuate's start gets (no worker launched). */
async function startContext(env: Record<string, string>): Promise<Ctx> {
  let seen: Ctx | undefined;
  const agent = { ...novaEvacuate, checkInstalled: () => [], start: async (ctx: Ctx) => { seen = ctx; return OCF.SUCCESS; } };
  const code = await runOcfAgent(agent, { argv: ['start'], env: { OCF_RESOURCE_INSTANCE: 'nova-evacuate', HA_RSCTMP: mkdtempSync(join(tmpdir(), 'ihaa-wc-')), ...env }, out: () => {}, err: () => {} });
  if (!seen) throw new Error(`start was not called (exit ${code})`);
  return seen;
}

/** What the worker reads back and connects with. */
async function workerAuth(env: Record<string, string>) {
  const c = readWorkerConfig(JSON.stringify(workerMessage(await startContext(env), '/run/hb', undefined)));
  return { config: c, auth: buildAuthConfig({ values: c.values, given: c.given, env: c.env }) };
}

const OS_ENV = {
  OS_AUTH_URL: 'https://keystone.example:5000/v3', OS_USERNAME: 'ha', OS_PASSWORD: 'os-env-pw', OS_PROJECT_NAME: 'hap',
  OS_USER_DOMAIN_NAME: 'Users', OS_PROJECT_DOMAIN_NAME: 'Projects', OS_INTERFACE: 'public', OS_INSECURE: '1',
};

describe('NovaEvacuate worker configuration', () => {
  it('carries only the parameters the operator set as given, with typed values', async () => {
    const { config } = await workerAuth({ ...OS_ENV, OCF_RESKEY_concurrency: '8', OCF_RESKEY_reserved_hosts: '' });
    expect([...config.given]).toEqual(['concurrency']);
    expect(config.values).toMatchObject({ concurrency: 8, threshold: 50, endpoint_type: 'internalURL', insecure: false });
    // Checked by tsc: declared types, present whenever the declaration has a default.
    expectTypeOf(config.values.concurrency).toEqualTypeOf<number>();
    expectTypeOf(config.values.dry_run).toEqualTypeOf<boolean>();
    expectTypeOf(config.values.event_log).toEqualTypeOf<string>();
    expectTypeOf(config.values.reserved_hosts).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.values.password).toEqualTypeOf<string | undefined>();
  });
  it('OS_* variables win over the declared defaults', async () => {
    const { auth } = await workerAuth(OS_ENV);
    expect(auth).toMatchObject({ interface: 'public', userDomainName: 'Users', projectDomainName: 'Projects', insecure: true, password: 'os-env-pw' });
  });
  it('clouds.yaml wins over the declared defaults', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ihaa-wc-clouds-')), 'clouds.yaml');
    writeFileSync(file, `clouds:
  prod:
    auth:
      auth_url: https://keystone.example:5000/v3
      username: ha
      password: cloud-pw
      project_name: hap
      user_domain_name: Users
      project_domain_name: Projects
    interface: admin
    verify: false
`);
    const { auth } = await workerAuth({ OS_CLIENT_CONFIG_FILE: file, OCF_RESKEY_cloud: 'prod' });
    expect(auth).toMatchObject({ interface: 'admin', userDomainName: 'Users', projectDomainName: 'Projects', insecure: true, password: 'cloud-pw' });
  });
  it('a parameter the operator set still wins over OS_*', async () => {
    const { auth } = await workerAuth({ ...OS_ENV, OCF_RESKEY_endpoint_type: 'adminURL', OCF_RESKEY_user_domain: 'Default', OCF_RESKEY_insecure: '0' });
    expect(auth).toMatchObject({ interface: 'admin', userDomainName: 'Default', insecure: false });
  });
});
