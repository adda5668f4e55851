import { Logger } from '../log.ts';
import { registerSecret } from '../secrets.ts';
import { connectOpenStack } from '../openstack/connect.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { sharedFencingHistory } from '../pacemaker/fencing.ts';
import { onlineNodes } from '../pacemaker/nodes.ts';
import { onCibWritten } from '../pacemaker/cib-changes.ts';
import { EventLog } from '../evacuation/events.ts';
import { bothSinks, EvacuationMetrics } from '../evacuation/metrics.ts';
import { EvacuationWorker } from '../evacuation/worker.ts';
import { secretValues } from '../params/values.ts';
import { readBoundedStdin } from '../stdin.ts';
import { touchHeartbeat } from './supervisor.ts';
import { novaEvacuateParams } from './params.ts';
import { readWorkerConfig } from './worker-config.ts';
import { holdWorkerLock, WORKER_LOCK_HELD_EXIT, WorkerLockHeld } from './worker-lock.ts';

/** The worker process: configuration from stdin (never argv/environment), then the loop. */
export async function workerMain(): Promise<number> {
  const input = readWorkerConfig(await readBoundedStdin(process.stdin, 10_000));
  // First: two workers must never act on the cluster at once.
  try {
    await holdWorkerLock(input.heartbeat);
  } catch (e) {
    if (!(e instanceof WorkerLockHeld)) throw e;
    process.stderr.write(`${e.message}: this one exits\n`);
    return WORKER_LOCK_HELD_EXIT;
  }
  const v = input.values;
  // The parameters' secrets enter this process here; OS_* and clouds.yaml ones in buildAuthConfig.
  for (const s of secretValues(novaEvacuateParams, v)) registerSecret(s);
  const log = new Logger({ tag: `NovaEvacuate(${input.instance})`, verbose: v.verbose });
  const os = await connectOpenStack(v, input.given, input.env, log);
  const eventLog = new EventLog(v.event_log, log, input.clusterLog);
  const metrics = v.metrics_file ? new EvacuationMetrics(v.metrics_file, (l) => log.warning(l)) : undefined;
  const worker = new EvacuationWorker({
    node: input.node,
    tag: v.evacuable_tag,
    concurrency: v.concurrency,
    reservedHosts: (v.reserved_hosts ?? '').split(/[\s,]+/).filter(Boolean),
    maxMicroversion: v.max_microversion,
    noSharedStorage: v.no_shared_storage,
    threshold: v.threshold,
    verifyMs: v.verify_timeout * 1000,
    maxAttempts: v.max_attempts,
    requireFencing: v.require_fencing,
    pollMs: v.poll_interval * 1000,
    evacuateDelayMs: v.evacuate_delay * 1000,
    graceMs: v.request_timeout * 1000 + 5000,
    dryRun: v.dry_run,
    naming: { hostMap: v.host_map, domain: v.domain },
  }, {
    os, attrd: new Attrd(), ledger: new Ledger(), fencingHistory: sharedFencingHistory(), onlineNodes: () => onlineNodes(), log, watchMarks: (onChange) => onCibWritten(onChange),
    events: metrics ? bothSinks(eventLog, metrics) : eventLog, metrics,
  });
  process.on('SIGTERM', () => worker.stop());
  process.on('SIGINT', () => worker.stop());
  touchHeartbeat(input.heartbeat);
  const beat = setInterval(() => touchHeartbeat(input.heartbeat), 5000);
  await worker.run();
  clearInterval(beat);
  await log.close();
  return 0;
}
