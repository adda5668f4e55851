import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where OCF agents keep per-resource state (ocf-shellfuncs' default). */
export const DEFAULT_RSCTMP = '/run/resource-agents';

export function stateDirectory(env: NodeJS.ProcessEnv): string {
  return env.HA_RSCTMP || DEFAULT_RSCTMP;
}

/**
 * `$HA_RSCTMP/<agent>-<instance>.state`: marks the resource started on this node. HA_RSCTMP is
 * a tmpfs cleared at boot, which is right: after a reboot nothing runs here.
 */
export class StateFile {
  readonly path: string;

  constructor(dir: string, agent: string, instance: string) {
    const safe = instance.replace(/[^\w.:@-]/g, '_');
    this.path = join(dir, `${agent}-${safe}.state`);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  read(): string | undefined {
    try { return readFileSync(this.path, 'utf8'); } catch { return undefined; }
  }

  /** Atomic write (temp file + rename), so a kill mid-write never leaves half a file. */
  write(content = ''): void {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o755 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, content, { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }
}
