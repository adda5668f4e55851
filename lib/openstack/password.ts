import { runChild } from '../child.ts';
import { registerSecret } from '../secrets.ts';
import type { ParamValues } from '../params/types.ts';

/**
 * The Keystone password: `password`, else the output of `password_script` (split on white
 * space and run without a shell, like the reference; trailing white space removed). The
 * script's output is a secret from then on. Bounded by shell_timeout.
 */
export async function resolvePassword(values: ParamValues): Promise<string | undefined> {
  if (typeof values.password === 'string' && values.password !== '') return values.password;
  const script = typeof values.password_script === 'string' ? values.password_script.trim() : '';
  if (!script) return undefined;
  const [file, ...args] = script.split(/\s+/);
  const timeoutMs = Number(values.shell_timeout ?? 180) * 1000;
  const r = await runChild(file ?? '', args, { timeoutMs });
  if (r.timedOut) throw new Error(`password_script did not finish within ${timeoutMs / 1000} s`);
  if (r.exitCode !== 0) throw new Error(`password_script failed with exit code ${r.exitCode}`);
  const password = r.stdout.replace(/\s+$/, '');
  if (!password) throw new Error('password_script printed no password');
  registerSecret(password);
  return password;
}
