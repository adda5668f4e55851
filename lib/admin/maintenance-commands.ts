import type { Command } from 'commander';
import type { Logger } from '../log.ts';
import { connectCloud } from './cloud.ts';
import { maintenanceEnd } from './maintenance-end.ts';
import { maintenanceStart, type Interrupts } from './maintenance-start.ts';

// `instance-ha maintenance start|end`. Ctrl-C once: nothing new is sent, the migrations under way
// are followed to their end and reported; twice: stop at once (what is under way is listed).

const seconds = (v: string) => { const n = Number(v); if (!Number.isFinite(n) || n <= 0) throw new Error(`not a number of seconds: ${v}`); return n * 1000; };
const count = (v: string) => { const n = Number(v); if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive integer: ${v}`); return n; };

export function registerMaintenance(program: Command, log: Logger, result: { code: number }): void {
  const m = program.command('maintenance').description('planned maintenance of a compute host: drain it by live migration, take it out, bring it back');
  m.command('start').argument('<host>').description('disable HOST with a reason, hold NovaEvacuate for it, live-migrate every instance off, take the node out of the cluster')
    .option('--reason <text>', 'the disable reason Nova shows')
    .option('--no-migrate', 'leave the instances where they are')
    .option('--block-migration', 'copy the disks (no shared storage); the default lets Nova decide')
    .option('--concurrency <n>', 'migrations in flight at most', count, 4)
    .option('--verify-timeout <s>', 'how long one migration may take', seconds, 600_000)
    .option('--timeout <s>', 'how long to wait for the cluster', seconds, 300_000)
    .option('--os-cloud <name>', 'clouds.yaml entry (default: OS_CLOUD, else the OS_* variables)')
    .action(async (host: string, o: { reason?: string; migrate: boolean; blockMigration?: boolean; concurrency: number; verifyTimeout: number; timeout: number; osCloud?: string }) => {
      result.code = await withInterrupts((signals) => connectCloud(o.osCloud, log).then((os) => maintenanceStart(os, host, {
        reason: o.reason, migrate: o.migrate, blockMigration: o.blockMigration === true, concurrency: o.concurrency, verifyMs: o.verifyTimeout, timeoutMs: o.timeout,
      }, log, signals)));
    });
  m.command('end').argument('<host>').description('bring HOST back: the node into the cluster, nova-compute up, the service enabled, HA back')
    .option('--return-instances', 'live-migrate back the instances that left it in maintenance start')
    .option('--concurrency <n>', 'migrations in flight at most', count, 4)
    .option('--verify-timeout <s>', 'how long one migration may take', seconds, 600_000)
    .option('--timeout <s>', 'how long to wait for the node and nova-compute', seconds, 600_000)
    .option('--os-cloud <name>', 'clouds.yaml entry (default: OS_CLOUD, else the OS_* variables)')
    .action(async (host: string, o: { returnInstances?: boolean; concurrency: number; verifyTimeout: number; timeout: number; osCloud?: string }) => {
      result.code = await withInterrupts((signals) => connectCloud(o.osCloud, log).then((os) => maintenanceEnd(os, host, {
        returnInstances: o.returnInstances === true, concurrency: o.concurrency, verifyMs: o.verifyTimeout, timeoutMs: o.timeout,
      }, log, signals)));
    });
}

async function withInterrupts(body: (signals: Interrupts) => Promise<number>): Promise<number> {
  const stop = new AbortController();
  let interrupts = 0;
  const onInt = () => {
    interrupts++;
    process.stderr.write(interrupts === 1 ? '\ninterrupted: nothing new is sent; following the migrations under way (Ctrl-C again to stop at once)\n' : '\nstopping now\n');
    if (interrupts > 1) stop.abort();
  };
  process.on('SIGINT', onInt);
  try {
    return await body({ interrupted: () => interrupts > 0, stopped: stop.signal });
  } finally {
    process.off('SIGINT', onInt);
  }
}
