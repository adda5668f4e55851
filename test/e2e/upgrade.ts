// A rolling upgrade, half done: our fence_compute fences and marks, the REFERENCE NovaEvacuate
// (test/e2e/reference/NovaEvacuate around Debian's unmodified fence_evacuate) evacuates and
// writes evacuate=no, knowing nothing of our ledger; our `on` and compute-unfence-trigger must
// take that `no` as done and return the host.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { controller, evacuateMark, HERE, run, setTargetRole, sh, STATE, waitResource } from './cluster-ops.ts';

const ROOT = join(HERE, '..', '..');
const PROVIDER = '/usr/lib/ocf/resource.d/ihaa-reference';
const SHIM = '/usr/lib/ocf/lib/ihaa-reference'; // the stand-in puts it on fence_evacuate's PYTHONPATH
export const REFERENCE = 'nova-evacuate-ref';

/** Ours stopped, the reference started in its place; returns the undo. */
export async function useReferenceNovaEvacuate(opts: { skipDone?: boolean } = {}): Promise<() => Promise<void>> {
  run('bash', [join(ROOT, 'bench/reference/setup.sh')], 900_000); // fence_evacuate's Python libraries (idempotent)
  mkdirSync(PROVIDER, { recursive: true });
  mkdirSync(SHIM, { recursive: true });
  copyFileSync(join(HERE, 'reference/NovaEvacuate'), join(PROVIDER, 'NovaEvacuate'));
  chmodSync(join(PROVIDER, 'NovaEvacuate'), 0o755);
  copyFileSync(join(ROOT, 'bench/reference/sitecustomize.py'), join(SHIM, 'sitecustomize.py'));
  const node = controller();
  const undo = async () => {
    sh('crm_resource', ['--resource', REFERENCE, '--meta', '--set-parameter', 'target-role', '--parameter-value', 'Stopped']);
    await waitResource(REFERENCE, node, false).catch(() => {});
    sh('crm', ['configure', 'delete', '--force', `${REFERENCE}-off-computes`, REFERENCE]);
    rmSync(PROVIDER, { recursive: true, force: true });
    rmSync(SHIM, { recursive: true, force: true });
    // Slow when a host's unfencing is being retried meanwhile (the cluster waits for it).
    setTargetRole('nova-evacuate', 'Started');
    await waitResource('nova-evacuate', node, true, 180_000);
  };
  try {
    setTargetRole('nova-evacuate', 'Stopped');
    await waitResource('nova-evacuate', node, false);
    // Through a file: the password stays out of every argv.
    const { authUrl } = JSON.parse(readFileSync(join(STATE, 'sim.json'), 'utf8')) as { authUrl: string };
    const crm = join(STATE, 'reference.crm');
    writeFileSync(crm, `primitive ${REFERENCE} ocf:ihaa-reference:NovaEvacuate params auth_url=${authUrl} username=admin password=admin-pw `
      + `tenant_name=admin user_domain=Default project_domain=Default endpoint_type=publicURL${opts.skipDone ? ' skip_done=1' : ''} `
      + 'op start timeout=20s op stop timeout=20s op monitor interval=10s timeout=600s\n'
      + `location ${REFERENCE}-off-computes ${REFERENCE} resource-discovery=never rule -inf: #kind eq remote\n`, { mode: 0o600 });
    run('crm', ['configure', 'load', 'update', crm]);
    rmSync(crm);
    await waitResource(REFERENCE, node, true);
  } catch (e) {
    await undo();
    throw e;
  }
  return undo;
}

/** Records every value the host's evacuate mark takes while the scenario runs. */
export function watchMark(host: string): { stop(): string[] } {
  const seen: string[] = [];
  const timer = setInterval(() => {
    const v = evacuateMark(host) ?? '(none)';
    if (seen[seen.length - 1] !== v) seen.push(v);
  }, 250);
  return { stop: () => { clearInterval(timer); return seen; } };
}
