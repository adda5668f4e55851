// Bundles agents/main.ts with esbuild into build/js (code-split, so `-o metadata` loads only
// the declarations), run by the project's Node 24, with build/bin/<agent> links to it.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRAMS } from '../agents/registry.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
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
    minify: true,
    keepNames: true,
    // Run straight by the kernel on the project's Node (no shell in between), and bundled
    // CommonJS code only ever requires Node built-ins: load them on demand.
    banner: { js: `#!${process.execPath}\nconst require = (id) => process.getBuiltinModule(id);` },
    logLevel: 'warning',
  });
  const main = join(out, 'main.mjs');
  chmodSync(main, 0o755);
  // build/bin/<agent> → ../js/main.mjs: the agent is chosen by the name it is invoked by.
  rmSync(BIN_DIR, { recursive: true, force: true });
  mkdirSync(BIN_DIR, { recursive: true });
  for (const { name } of PROGRAMS) symlinkSync('../js/main.mjs', join(BIN_DIR, name));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBundle();
