import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { CHILD_PATH } from '../child.ts';

/** Tools an agent runs, looked up on the PATH its children get; one line per missing tool. */
export function binaryProblems(tools: readonly string[]): string[] {
  return tools.filter((t) => !CHILD_PATH.split(':').some((dir) => {
    try { accessSync(join(dir, t), constants.X_OK); return true; } catch { return false; }
  })).map((t) => `${t} is not installed (looked in ${CHILD_PATH})`);
}
