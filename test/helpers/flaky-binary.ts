import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A stand-in for a Pacemaker tool (attrd_updater, stonith_admin) that fails or stalls on
// demand. Children get a scrubbed environment, so the switches are files next to the script.

export interface FlakyBinary {
  path: string;
  /** Exit 1 with one line on stderr until set back to false. */
  failing(on: boolean): void;
  /** Sleep this long before doing its job (0: no delay). */
  slow(seconds: number): void;
  remove(): void;
}

/** `real`: the command run when healthy (its arguments follow), e.g. 'exec attrd_updater "$@"'. */
export function flakyBinary(name: string, real: string): FlakyBinary {
  const dir = mkdtempSync(join(tmpdir(), `ihaa-flaky-${name}-`));
  const path = join(dir, name);
  const fail = join(dir, 'fail');
  const slow = join(dir, 'slow');
  writeFileSync(path, [
    '#!/bin/sh',
    `if [ -e ${fail} ]; then echo "${name}: connection to the daemon failed (injected)" >&2; exit 1; fi`,
    `if [ -e ${slow} ]; then sleep "$(cat ${slow})"; fi`,
    real, '',
  ].join('\n'));
  chmodSync(path, 0o755);
  const flag = (file: string, on: boolean, text = '') => (on ? writeFileSync(file, text) : rmSync(file, { force: true }));
  return {
    path,
    failing: (on) => flag(fail, on),
    slow: (seconds) => flag(slow, seconds > 0, String(seconds)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
