// Running a fence agent as Pacemaker would: options as key=value lines on stdin (the password
// never in argv or the environment), a fixed small environment, a time limit on its process group.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './cloud.ts';
import { AUTH_URL } from './nova.ts';

const SNAPSHOT = join(ROOT, 'build', 'bench', 'real-nova-agent');
export const OURS_FENCE_COMPUTE = join(SNAPSHOT, 'bin', 'fence_compute');

/**
 * Builds our agents (scripts/build.ts) and keeps a private copy: others rebuild build/js on this
 * machine at any time, which must not pull the executable away in the middle of a run.
 */
export function snapshotOurAgent(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.ts')], { stdio: 'inherit', timeout: 300_000 });
  rmSync(SNAPSHOT, { recursive: true, force: true });
  cpSync(join(ROOT, 'build', 'js'), join(SNAPSHOT, 'js'), { recursive: true });
  if (!existsSync(join(SNAPSHOT, 'js', 'main.mjs'))) throw new Error('build/js changed under us while copying it: run again');
  mkdirSync(join(SNAPSHOT, 'bin'));
  symlinkSync('../js/main.mjs', OURS_FENCE_COMPUTE);
}
export const REFERENCE_FENCE_EVACUATE = '/usr/sbin/fence_evacuate';

/** Debian's fence_compute 4.12: where our package diverts it while installed (looked up each time: others install it). */
export function referenceFenceCompute(): string {
  for (const p of ['/usr/sbin/fence_compute.distrib', '/usr/sbin/fence_compute']) {
    if (existsSync(p) && readFileSync(p, 'utf8').startsWith('#!/usr/bin/python3')) return p;
  }
  throw new Error("Debian's fence_compute not found (bash bench/reference/setup.sh)");
}

export const OURS_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: '/root' };
/**
 * The reference needs inspect.getargspec on Python 3.11: bench/reference's shim, in its environment
 * only. Its `attrd_updater` calls must not mark hosts in the shared test cluster (not what is
 * measured), so they find a stub first on PATH: the mark "succeeds", a query answers nothing.
 */
export function referenceEnv(): Record<string, string> {
  const stubs = mkdtempSync(join(tmpdir(), 'ihaa-bench-stubs-'));
  writeFileSync(join(stubs, 'attrd_updater'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return { ...OURS_ENV, PATH: `${stubs}:/usr/bin:/bin`, PYTHONPATH: join(dirname(fileURLToPath(import.meta.url)), '..', 'reference'), PYTHONDONTWRITEBYTECODE: '1' };
}

/** The options every run gives (Keystone v3 by names, the public endpoints start.sh registers). */
export function agentInput(action: string, host: string, password: string, extra: Record<string, string> = {}): string {
  const o = { action, plug: host, auth_url: AUTH_URL, username: 'admin', password, tenant_name: 'admin',
    user_domain: 'Default', project_domain: 'Default', endpoint_type: 'publicURL', ...extra };
  return Object.entries(o).map(([k, v]) => `${k}=${v}\n`).join('');
}

export interface AgentRun { exitCode: number | null; stderrTail: string }

export function runAgent(path: string, input: string, env: Record<string, string>, timeoutMs = 180_000): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, [], { env, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-20_000); });
    const timer = setTimeout(() => { try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ exitCode: code, stderrTail: stderr.split('\n').slice(-15).join('\n') }); });
    child.stdin.on('error', () => { /* it may exit before reading everything */ });
    child.stdin.end(input);
  });
}

export async function mustRun(what: string, path: string, input: string, env: Record<string, string>): Promise<void> {
  const r = await runAgent(path, input, env);
  if (r.exitCode !== 0) throw new Error(`${what}: exit ${r.exitCode}\n${r.stderrTail}`);
}
