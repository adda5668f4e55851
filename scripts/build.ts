// Bundles agents/main.ts with esbuild into build/js (code-split, so `-o metadata` loads only
// the declarations) and writes build/bin/<agent> launchers that run it on the project's Node 24.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const AGENT_NAMES = ['fence_compute'] as const;
export const BIN_DIR = join(ROOT, 'build', 'bin');

export async function buildBundle(): Promise<void> {
  const out = join(ROOT, 'build', 'js');
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: [join(ROOT, 'agents', 'main.ts')],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outExtension: { '.js': '.mjs' },
    // Bundled CommonJS code only ever requires Node built-ins: load them on demand.
    banner: { js: 'const require = (id) => process.getBuiltinModule(id);' },
    logLevel: 'warning',
  });
  mkdirSync(BIN_DIR, { recursive: true });
  const node = process.execPath;
  for (const name of AGENT_NAMES) {
    const file = join(BIN_DIR, name);
    writeFileSync(file, `#!/bin/sh\n# Development launcher written by scripts/build.ts\nIHA_AGENT=${name} exec "${node}" "${join(out, 'main.mjs')}" "$@"\n`);
    chmodSync(file, 0o755);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBundle();
