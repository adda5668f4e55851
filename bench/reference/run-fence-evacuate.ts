// Runs Debian's unmodified reference agent, /usr/sbin/fence_evacuate, with `action=off` against
// a Keystone/Nova/Glance endpoint (normally the simulator), options on stdin (the password never
// in argv or the environment). Benchmark support, not a test.
//
// Python 3.11 removed inspect.getargspec, which the agent calls; bench/reference/sitecustomize.py
// adds it back and is put on PYTHONPATH for this run only. The agent's shebang is /usr/bin/python3
// and PATH starts with /usr/bin, so a pyenv python3 never gets in the way.
//
//   node bench/reference/run-fence-evacuate.ts --auth-url URL --host HOST [--endpoint-type publicURL]
//        [--username admin] [--tenant admin] [--verbose]          (password: $OS_PASSWORD, else admin-pw)
//   node bench/reference/run-fence-evacuate.ts --self-test N [--latency MS]
//        (starts the simulator with N instances on a failed host, runs the agent, checks N accepted POSTs)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const REFERENCE_AGENT = '/usr/sbin/fence_evacuate';
const SHIM_DIR = dirname(fileURLToPath(import.meta.url));

export interface ReferenceRunOptions {
  authUrl: string;
  /** The Nova host to evacuate (plug). */
  host: string;
  username?: string;
  password?: string;
  tenantName?: string;
  /** publicURL, internalURL or adminURL (the agent's default is internalURL). */
  endpointType?: string;
  userDomain?: string;
  projectDomain?: string;
  regionName?: string;
  verbose?: boolean;
  agent?: string;
  /** Kill the agent (its whole process group) after this long (default 30 min). */
  timeoutMs?: number;
}

export interface ReferenceRunResult {
  /** null when killed by a signal (see signal, timedOut). */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Date.now() just before the spawn: the same clock as the simulator's call log. */
  startedAt: number;
  wallMs: number;
  /** The last ~40 lines of stderr. */
  stderrTail: string;
  /** The agent's peak resident memory (VmHWM, sampled every 100 ms), KiB. */
  peakRssKiB: number;
}

/** VmHWM of a live process in KiB (0 once it is gone). */
export function vmHwmKiB(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The reference agents' environment: the getargspec shim on PYTHONPATH, nothing else of ours. */
export function referenceEnv(): Record<string, string> {
  return { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PYTHONPATH: SHIM_DIR, PYTHONDONTWRITEBYTECODE: '1', HOME: '/root' };
}

/** The agent's stdin: one key=value a line. */
export function referenceInput(o: ReferenceRunOptions, action = 'off'): string {
  const lines: Array<[string, string]> = [
    ['action', action],
    ['plug', o.host],
    ['auth_url', o.authUrl],
    ['username', o.username ?? 'admin'],
    ['password', o.password ?? 'admin-pw'],
    ['tenant_name', o.tenantName ?? 'admin'],
    ['endpoint_type', o.endpointType ?? 'publicURL'],
    ['user_domain', o.userDomain ?? 'Default'],
    ['project_domain', o.projectDomain ?? 'Default'],
  ];
  if (o.regionName) lines.push(['region_name', o.regionName]);
  if (o.verbose) lines.push(['verbose', '1']);
  return lines.map(([k, v]) => `${k}=${v}\n`).join('');
}

function tail(text: string, lines = 40): string {
  return text.split('\n').filter((l) => l !== '').slice(-lines).join('\n');
}

/** Spawns the agent asynchronously (the simulator usually runs in this very process). */
export function runFenceEvacuate(o: ReferenceRunOptions): Promise<ReferenceRunResult> {
  const agent = o.agent ?? REFERENCE_AGENT;
  const env = referenceEnv();
  return new Promise((resolvePromise, reject) => {
    const startedAt = Date.now();
    const t0 = performance.now();
    const child = spawn(agent, [], { env, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    let peakRssKiB = 0;
    const sampler = setInterval(() => { peakRssKiB = Math.max(peakRssKiB, vmHwmKiB(child.pid)); }, 100);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 1_000_000) stderr = stderr.slice(-200_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, o.timeoutMs ?? 30 * 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(e);
    });
    child.on('exit', () => { peakRssKiB = Math.max(peakRssKiB, vmHwmKiB(child.pid)); clearInterval(sampler); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      resolvePromise({ exitCode: code, signal, timedOut, startedAt, wallMs: performance.now() - t0, stderrTail: tail(stderr), peakRssKiB });
    });
    child.stdin.on('error', () => { /* the agent may exit before reading everything */ });
    child.stdin.end(referenceInput(o));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'auth-url': { type: 'string' }, host: { type: 'string' }, username: { type: 'string' }, tenant: { type: 'string' },
      'endpoint-type': { type: 'string' }, 'region-name': { type: 'string' }, verbose: { type: 'boolean' },
      'self-test': { type: 'string' }, latency: { type: 'string' },
    },
  });
  if (values['self-test'] !== undefined) {
    const n = Number(values['self-test']);
    const { startScenario } = await import('./scenario.ts');
    const { sim, host, serverIds } = await startScenario({ n, latencyMs: Number(values.latency ?? 200) });
    try {
      const r = await runFenceEvacuate({ authUrl: sim.authUrl, host, verbose: values.verbose ?? false });
      const accepted = serverIds.filter((id) => sim.calls.evacuations(id).some((c) => c.status === 200)).length;
      const posts = sim.calls.all.filter((c) => c.method === 'POST' && /\/servers\/[^/]+\/action$/.test(c.path));
      console.log(`exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''}, wall ${(r.wallMs / 1000).toFixed(2)} s, `
        + `${posts.length} evacuate POSTs, ${accepted}/${n} instances accepted`);
      const byPath = new Map<string, number>();
      for (const c of sim.calls.all) {
        const key = `${c.method} ${c.iface ?? '-'} ${c.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')} -> ${c.status}`;
        byPath.set(key, (byPath.get(key) ?? 0) + 1);
      }
      for (const [k, v] of byPath) console.log(`  ${v} x ${k}`);
      if (r.exitCode !== 0 || accepted !== n) {
        console.log(r.stderrTail);
        process.exitCode = 1;
      }
    } finally {
      await sim.stop();
    }
    return;
  }
  const authUrl = values['auth-url'];
  const host = values.host;
  if (!authUrl || !host) throw new Error('usage: run-fence-evacuate.ts --auth-url URL --host HOST | --self-test N');
  const r = await runFenceEvacuate({
    authUrl, host, username: values.username, tenantName: values.tenant, endpointType: values['endpoint-type'],
    regionName: values['region-name'], verbose: values.verbose ?? false, password: process.env.OS_PASSWORD,
  });
  console.log(JSON.stringify({ exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, wallMs: Math.round(r.wallMs) }));
  if (r.stderrTail) console.error(r.stderrTail);
  process.exitCode = r.exitCode ?? 1;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
