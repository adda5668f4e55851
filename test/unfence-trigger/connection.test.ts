import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeUnfenceTrigger } from '../../lib/unfence-trigger/agent.ts';
import { OCF } from '../../lib/ocf/exit-codes.ts';
import { runOcfAgent } from '../../lib/ocf/run.ts';
import { StateFile } from '../../lib/ocf/state.ts';
import { selfSignedCert } from '../helpers/tls.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

// compute-unfence-trigger's monitor reaching Nova with settings from OS_* or clouds.yaml only:
// the declared defaults (endpoint_type=internalURL, user_domain and project_domain=Default,
// insecure=0) were not set by the operator and must not override them. The simulator speaks
// TLS with a self-signed certificate and knows the user only in domain "Users", so a default
// that wins shows as a failed check; the call log shows the interface used.

const TLS = selfSignedCert();
let sim: Simulator;
// A fresh simulator per test and nothing in the cluster: the node name need not be unique.
const node = 'compute-utc';

beforeEach(async () => {
  sim = await startSimulator({ tls: TLS });
  sim.model.identity.domains.set('users', { id: 'users', name: 'Users' });
  const project = sim.model.identity.addProject({ name: 'hap', domain: 'Users' });
  sim.model.identity.addUser({ name: 'ha', password: 'ha-user-pw', domain: 'Users', roles: { [project.id]: ['admin', 'member', 'reader'] } });
  sim.model.addCompute(node);
  sim.model.disable(node, 'left by the test');
});
afterEach(async () => { await sim.stop(); });

/** monitor of a started trigger: 190 (disabled in Nova) proves it reached Nova. */
async function monitor(env: Record<string, string>) {
  const rsc = mkdtempSync(join(tmpdir(), 'ihaa-utc-'));
  new StateFile(rsc, 'compute-unfence-trigger', 'trigger:0').write(node);
  let err = '';
  const code = await runOcfAgent(computeUnfenceTrigger, {
    argv: ['monitor'],
    env: { OCF_RESOURCE_INSTANCE: 'trigger:0', HA_RSCTMP: rsc, OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_on_node: node, ...env },
    out: () => {}, err: (t) => { err += t; },
  });
  const interfaces = new Set(sim.calls.all.filter((c) => c.service === 'compute').map((c) => c.iface));
  return { code, err, interfaces: [...interfaces] };
}

describe('compute-unfence-trigger: Keystone settings not given are not defaulted over', () => {
  it('OS_* variables', async () => {
    const r = await monitor({
      OS_AUTH_URL: sim.authUrl, OS_USERNAME: 'ha', OS_PASSWORD: 'ha-user-pw', OS_PROJECT_NAME: 'hap',
      OS_USER_DOMAIN_NAME: 'Users', OS_PROJECT_DOMAIN_NAME: 'Users', OS_INTERFACE: 'admin', OS_INSECURE: 'true',
    });
    expect(r.code, r.err).toBe(OCF.DEGRADED);
    expect(r.interfaces).toEqual(['admin']);
  });
  it('clouds.yaml', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ihaa-utc-clouds-')), 'clouds.yaml');
    writeFileSync(file, `clouds:
  prod:
    auth:
      auth_url: ${sim.authUrl}
      username: ha
      password: ha-user-pw
      project_name: hap
      user_domain_name: Users
      project_domain_name: Users
    interface: admin
    verify: false
`);
    const r = await monitor({ OS_CLIENT_CONFIG_FILE: file, OS_CLOUD: 'prod' });
    expect(r.code, r.err).toBe(OCF.DEGRADED);
    expect(r.interfaces).toEqual(['admin']);
  });
});
