import { execa } from 'execa';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'build', 'bin');

export interface Run { code: number; stdout: string; stderr: string }

/** Runs a command to completion (bounded), never throwing on a non-zero exit. */
export async function run(file: string, args: readonly string[] = [], options: { input?: string | Uint8Array; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  const r = await execa(file, args, {
    input: options.input ?? '',
    env: options.env,
    reject: false,
    timeout: options.timeoutMs ?? 30_000,
  });
  if (r.timedOut) throw new Error(`${file} ${args.join(' ')} timed out`);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs one of our built agents (build/bin/<name>); fence_compute's shared token cache is off unless the test sets IHA_TOKEN_CACHE. */
export function runAgent(name: string, args: readonly string[] = [], options: Parameters<typeof run>[2] = {}): Promise<Run> {
  return run(join(BIN, name), args, { ...options, env: { IHA_TOKEN_CACHE: 'off', ...options.env } });
}
