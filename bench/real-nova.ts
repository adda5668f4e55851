// A 50-instance host failure on the REAL Keystone + Nova (Zed, fake driver) of
// test/openstack-real, handled three ways on the same cloud in the same run: ours (fence_compute
// -o off + the NovaEvacuate worker, real attrd/CIB of the local test cluster), the reference
// (Debian's fence_compute 4.12 + fence_evacuate -o off) and a bare REST floor (force-down, every
// evacuate POST at once). Timed from the kill -9 of the host's nova-compute, in Nova's own view.
// Prints a Markdown table and writes docs/bench-real-nova.md. Not a test.
//
//   node bench/real-nova.ts [--n 50] [--runs 3] [--host compute1]
//
// Takes /run/lock/ihaa-openstack.lock, installs and starts the cloud, measures, stops it. "ours"
// runs in a child under /run/lock/ihaa-cluster.lock (taken second, as everyone does), which
// starts the shared test cluster and stops it after. Each way's runs are saved to
// build/bench/real-nova-<way>.json; `--part render` redraws the report from them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { snapshotOurAgent } from './real-nova/agents.ts';
import { reset, ROOT } from './real-nova/cloud.ts';
import { measureOnce, type Timeline } from './real-nova/measure.ts';
import { adminPassword, Nova } from './real-nova/nova.ts';
import { conditions, renderReport, type Result } from './real-nova/report.ts';
import { floor, ours, reference, type WayName } from './real-nova/ways.ts';

const OPENSTACK_LOCK = '/run/lock/ihaa-openstack.lock';
const CLUSTER_LOCK = '/run/lock/ihaa-cluster.lock';
const OUT = join(ROOT, 'build', 'bench');
const FINDINGS = '## Findings';

const { values } = parseArgs({ options: {
  n: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' }, host: { type: 'string', default: 'compute1' },
  part: { type: 'string', default: 'all' },
} });
const n = Number(values.n);
const runs = Number(values.runs);
const host = values.host;
const self = fileURLToPath(import.meta.url);
const childArgs = ['--n', String(n), '--runs', String(runs), '--host', host];
const progress = (s: string) => process.stderr.write(`[real-nova ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** Runs `node bench/real-nova.ts --part PART` under `flock LOCK`, wrapped in setup/teardown shell commands. */
function underLock(lock: string, setup: string, teardown: string, part: string): void {
  progress(`waiting for ${lock}`);
  const script = `${setup} && "$@"; rc=$?; ${teardown}; exit $rc`;
  const r = spawnSync('flock', [lock, 'bash', '-c', script, 'real-nova', process.execPath, self, '--part', part, ...childArgs], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`--part ${part} (under ${lock}) exited ${r.status}`);
}

async function measureWay(name: WayName): Promise<void> {
  const password = adminPassword();
  const started = conditions();
  const timelines: Timeline[] = [];
  for (let i = 0; i < runs; i++) {
    const nova = await Nova.login(password);
    const way = name === 'ours' ? ours(host, password) : name === 'reference' ? reference(host, password) : floor(host, nova);
    const t = await measureOnce(way, nova, host, n);
    progress(`${name} run ${i + 1}/${runs}: fenced ${t.fenced} ms, all accepted ${t.allAccepted} ms, all ACTIVE elsewhere ${t.allActiveElsewhere} ms, host back ${t.hostBack} ms${t.breakdown ? ` (${JSON.stringify(t.breakdown)})` : ''}`);
    timelines.push(t);
  }
  await reset(await Nova.login(password), host); // leave the cloud clean for the next way
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `real-nova-${name}.json`), `${JSON.stringify({ way: name, n, host, timelines, conditions: started, loadAfter: conditions().load } satisfies Result, null, 1)}\n`);
}

/** Inside the openstack lock, the cloud up: the floor and the reference here, ours in a child holding the cluster lock too. */
async function cloud(): Promise<void> {
  await measureWay('floor');
  await measureWay('reference');
  underLock(CLUSTER_LOCK, 'bash test/helpers/cluster/cluster.sh start >&2', 'bash test/helpers/cluster/cluster.sh stop >&2', 'ours');
}

function render(): void {
  const read = (w: WayName) => {
    const f = join(OUT, `real-nova-${w}.json`);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Result) : undefined;
  };
  const { table, report } = renderReport({ ours: read('ours'), reference: read('reference'), floor: read('floor') });
  console.log(table);
  // The hand-written analysis below FINDINGS survives a re-render.
  const doc = join(ROOT, 'docs', 'bench-real-nova.md');
  const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
  const kept = old.includes(FINDINGS) ? old.slice(old.indexOf(FINDINGS)) : '';
  writeFileSync(doc, kept ? `${report}\n${kept}` : report);
  progress('wrote docs/bench-real-nova.md');
}

async function main(): Promise<void> {
  switch (values.part) {
    case 'all': {
      snapshotOurAgent();
      const os = 'test/openstack-real';
      underLock(OPENSTACK_LOCK, `bash ${os}/install.sh >&2 && bash ${os}/start.sh >&2`, `bash ${os}/stop.sh >&2`, 'cloud');
      render();
      return;
    }
    case 'cloud': return cloud();
    case 'ours': case 'reference': case 'floor': return measureWay(values.part);
    case 'render': return render();
    default: throw new Error('--part: all, cloud, ours, reference, floor or render');
  }
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.stack : String(e)); process.exitCode = 1; });
