import { dirname } from 'node:path';
import { existsSync } from 'node:fs';
import type { OcfAgent, OcfContext } from '../ocf/agent.ts';
import { OCF, OcfError, type OcfCode } from '../ocf/exit-codes.ts';
import { stateDirectory } from '../ocf/state.ts';
import { validateOpenstackParams } from '../openstack/validate.ts';
import { VERSION } from '../version.ts';
import { novaEvacuateParams } from './params.ts';
import { heartbeatAgeMs, launchWorker, recordWorker, stopWorker, unrecordedWorker, workerAlive, workerFiles } from './supervisor.ts';
import { workerMessage } from './worker-config.ts';
import { binaryProblems } from '../ocf/binaries.ts';
import { isSea } from '../sea.ts';

// ocf:openstack:NovaEvacuate — start launches the evacuation worker, monitor checks it is alive
// and not stuck, stop ends it. The evacuation itself: lib/evacuation/worker.ts.

const HEARTBEAT_STALE_MS = 60_000;

function files(ctx: OcfContext<typeof novaEvacuateParams>) {
  return workerFiles(stateDirectory(ctx.env), ctx.instance, dirname(ctx.values.event_log));
}

export const novaEvacuate: OcfAgent<typeof novaEvacuateParams> = {
  name: 'NovaEvacuate',
  provider: 'openstack',
  version: VERSION,
  shortdesc: 'Evacuates the instances of fenced compute hosts',
  longdesc:
    'Watches the evacuate marks fence_compute records in attrd (and the durable ledger in the CIB) and rebuilds the evacuable instances of each fenced compute host on other hosts through the Nova API: several hosts at once, a bounded number of requests in flight, every instance verified, none evacuated twice. Run one instance, on a controller. The work happens in a worker process that start launches and monitor supervises.',
  params: novaEvacuateParams,
  actions: [
    { name: 'start', timeout: '20s' },
    { name: 'stop', timeout: '30s' },
    { name: 'monitor', timeout: '20s', interval: '10s', depth: '0' },
    { name: 'validate-all', timeout: '20s' },
    { name: 'meta-data', timeout: '5s' },
  ],
  validate(values, env) {
    const problems = validateOpenstackParams(values, env);
    if (!/^2\.\d+$/.test(values.max_microversion)) problems.push('max_microversion must look like 2.94');
    if (values.metrics_file && !/^\/.+\.prom$/.test(values.metrics_file)) problems.push('metrics_file must be an absolute path ending in .prom (node_exporter\'s textfile collector reads only those)');
    return problems;
  },
  checkInstalled: () => binaryProblems(['attrd_updater', 'crm_attribute', 'cibadmin', 'stonith_admin']),
  async start(ctx): Promise<OcfCode> {
    const f = files(ctx);
    if (workerAlive(f)) return OCF.SUCCESS;
    // A worker holding the lock that no state file records (the state directory was lost): adopted, never doubled.
    const orphan = unrecordedWorker(f);
    if (orphan) {
      recordWorker(f, orphan);
      ctx.state.write(String(orphan.pid));
      ctx.log.warning(`evacuation worker ${orphan.pid} was running without a record: adopted`);
      return OCF.SUCCESS;
    }
    // In the single executable the program is the binary itself; otherwise Node runs the bundle.
    const script = isSea() ? undefined : process.argv[1];
    const readyMs = Math.max(2000, (ctx.timeoutMs ?? 20_000) - 3000);
    const clusterLog = [ctx.env.PCMK_logfile, '/var/log/pacemaker/pacemaker.log'].find((p) => p && existsSync(p));
    const r = await launchWorker(f, script, workerMessage(ctx, f.heartbeat, clusterLog), readyMs);
    ctx.state.write(String(r.pid));
    ctx.log.info(`evacuation worker ${r.pid} started`);
    return OCF.SUCCESS;
  },
  async stop(ctx): Promise<OcfCode> {
    await stopWorker(files(ctx), Math.max(1000, (ctx.timeoutMs ?? 30_000) - 5000));
    ctx.state.remove();
    return OCF.SUCCESS;
  },
  async monitor(ctx): Promise<OcfCode> {
    const f = files(ctx);
    const alive = workerAlive(f);
    if (ctx.isProbe) return alive ? OCF.SUCCESS : OCF.NOT_RUNNING;
    if (!ctx.state.exists() && !alive) return OCF.NOT_RUNNING;
    if (!alive) throw new OcfError(OCF.ERR_GENERIC, `the evacuation worker is gone; see ${f.log}`);
    const age = heartbeatAgeMs(f);
    if (age === undefined || age > HEARTBEAT_STALE_MS) throw new OcfError(OCF.ERR_GENERIC, `the evacuation worker has not reported for ${Math.round((age ?? 0) / 1000)} s`);
    return OCF.SUCCESS;
  },
};
