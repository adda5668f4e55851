import { holdsSecret } from './secrets.ts';

// Every child process (attrd_updater, crm_attribute, cibadmin, stonith_admin, password_script)
// goes through here: a fixed, minimal environment — never the agent's own, which carries
// OCF_RESKEY_password and, under Pacemaker, OCF_RESKEY_CRM_meta_on_node (that makes
// attrd_updater -A answer for one node only) — a hard timeout, and a last check that no secret
// (lib/secrets.ts) is in argv or environment.

export const CHILD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ChildResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ChildOptions {
  timeoutMs: number;
  /** Extra variables (never secrets: checked). */
  env?: Record<string, string>;
  input?: string;
}

export class SecretLeakError extends Error {
  override name = 'SecretLeakError';
}

export function childEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: CHILD_PATH, LANG: 'C', LC_ALL: 'C' };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return { ...env, ...extra };
}

export function assertNoSecret(argv: readonly string[], env: Record<string, string>): void {
  const haystack = [...argv, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)];
  if (haystack.some(holdsSecret)) throw new SecretLeakError('refusing to start a child process: a secret would be in its argv or environment');
}

export async function runChild(file: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  const env = childEnvironment(options.env);
  assertNoSecret([file, ...args], env);
  const { execa } = await import('execa');
  // Own process group, killed whole at the deadline: a script's grandchildren (sleep, curl)
  // would otherwise keep its pipes open and the caller waiting.
  const child = execa(file, args, {
    env,
    extendEnv: false,
    reject: false,
    detached: true,
    input: options.input ?? '',
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }, options.timeoutMs);
  const result = await child.finally(() => clearTimeout(timer));
  const notFound = result.failed && result.exitCode === undefined && !timedOut && !result.signal;
  return {
    exitCode: result.exitCode ?? (notFound ? 127 : 1),
    stdout: String(result.stdout ?? ''),
    stderr: notFound ? `${file}: cannot run it (${result.code ?? 'spawn failed'})` : String(result.stderr ?? ''),
    timedOut,
  };
}
