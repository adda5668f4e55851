import { Logger } from '../log.ts';
import { registerChildSecret } from '../child.ts';
import { connectOpenStack } from '../openstack/connect.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { fencingHistory } from '../pacemaker/fencing.ts';
import { onlineNodes } from '../pacemaker/nodes.ts';
import { onCibWritten } from '../pacemaker/cib-changes.ts';
import { EventLog } from '../evacuation/events.ts';
import { EvacuationWorker } from '../evacuation/worker.ts';
import { secretValues } from '../params/values.ts';
import type { ParamValues } from '../params/types.ts';
import { readBoundedStdin } from '../stdin.ts';
import { touchHeartbeat } from './supervisor.ts';
import { novaEvacuateParams } from './params.ts';

interface WorkerInput { values: ParamValues; node: string; instance: string; env: Record<string, string>; heartbeat: string; clusterLog?: string }

/** The worker process: configuration from stdin (never argv/environment), then the loop. */
export async function workerMain(): Promise<number> {
  const input = JSON.parse(await readBoundedStdin(process.stdin, 10_000)) as WorkerInput;
  const v = input.values;
  const log = new Logger({ tag: `NovaEvacuate(${input.instance})`, verbose: v.verbose === true });
  for (const s of [...secretValues(novaEvacuateParams, v), input.env.OS_PASSWORD]) { log.addSecret(s); registerChildSecret(s); }
  const given = new Set(Object.keys(v).filter((k) => v[k] !== undefined));
  const os = await connectOpenStack(v, given, input.env, log);
  const num = (k: string) => Number(v[k] ?? 0);
  const worker = new EvacuationWorker({
    node: input.node,
    tag: String(v.evacuable_tag ?? 'evacuable'),
    concurrency: num('concurrency'),
    reservedHosts: String(v.reserved_hosts ?? '').split(/[\s,]+/).filter(Boolean),
    maxMicroversion: String(v.max_microversion ?? '2.94'),
    noSharedStorage: v.no_shared_storage === true,
    threshold: num('threshold'),
    verifyMs: num('verify_timeout') * 1000,
    maxAttempts: num('max_attempts'),
    requireFencing: v.require_fencing !== false,
    pollMs: num('poll_interval') * 1000,
    evacuateDelayMs: num('evacuate_delay') * 1000,
    graceMs: num('request_timeout') * 1000 + 5000,
    dryRun: v.dry_run === true,
    naming: { hostMap: typeof v.host_map === 'string' ? v.host_map : undefined, domain: typeof v.domain === 'string' ? v.domain : undefined },
  }, {
    os, attrd: new Attrd(), ledger: new Ledger(), fencingHistory: (n) => fencingHistory(n), onlineNodes: () => onlineNodes(), log, watchMarks: (onChange) => onCibWritten(onChange),
    events: new EventLog(typeof v.event_log === 'string' ? v.event_log : undefined, log, input.clusterLog),
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
