// The per-program parts of the packaging, from agents/registry.ts, written next to the single
// executable by scripts/build-sea.ts (or `node scripts/packaging-lists.ts [dir]`):
//   agent.sh.in  packaging/launcher/agent.sh.in with its metadata case filled in
//   programs.mk  what the Makefile installs per program (it includes this file)
//   rpm-files    the %files list of the RPM spec (%files -f)
// Written at build time, by the project's Node: `make install` needs no Node.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRAMS, completionPath, installPath, manPath, type Program } from '../agents/registry.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCHER_TEMPLATE = join(ROOT, 'packaging', 'launcher', 'agent.sh.in');
const AGENTS = PROGRAMS.filter((p) => p.protocol !== 'cli');

/** Words that are literal inside a double-quoted shell pattern and a make variable. */
function plain(word: string): string {
  if (!/^[\w.=-]+$/.test(word)) throw new Error(`not a plain word for the packaging: ${JSON.stringify(word)}`);
  return word;
}

/** The case patterns ("<agent> <args>") the launcher answers from the build-time XML. */
export function launcherCase(): string {
  return PROGRAMS.filter((p) => p.metadata)
    .map((p) => p.metadata!.map((args) => `"${[p.name, ...args].map(plain).join(' ')}"`).join(' | '))
    .join(' | \\\n    ');
}

export function launcher(): string {
  const template = readFileSync(LAUNCHER_TEMPLATE, 'utf8');
  if (!template.includes('@METADATA_CALLS@')) throw new Error(`${LAUNCHER_TEMPLATE} has no @METADATA_CALLS@`);
  return template.replace('@METADATA_CALLS@', launcherCase());
}

/** Make variables; SBINDIR, OCFDIR, BINDIR are the Makefile's names for the registry's DIRS. */
export function makeFragment(): string {
  const at = (p: Program) => `$(${p.dir.toUpperCase()}DIR)/${plain(p.name)}`;
  return [
    '# Written by scripts/packaging-lists.ts from agents/registry.ts.',
    `LAUNCHERS := ${AGENTS.map(at).join(' ')}`,
    `LINKS := ${PROGRAMS.filter((p) => p.protocol === 'cli').map(at).join(' ')}`,
    `MANPAGES := ${PROGRAMS.flatMap((p) => (p.man ? [`${plain(p.man.page)}.${p.man.section}`] : [])).join(' ')}`,
    `COMPLETIONS := ${PROGRAMS.filter((p) => p.completion).map((p) => plain(p.name)).join(' ')}`,
    '',
  ].join('\n');
}

/** The programs' installed files (the layout of `make install` with PREFIX=/usr). */
export function rpmFiles(): string {
  return `${PROGRAMS.flatMap((p) => [installPath(p), manPath(p) ?? [], completionPath(p) ?? []].flat()).join('\n')}\n`;
}

export function writePackagingLists(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'agent.sh.in'), launcher());
  writeFileSync(join(dir, 'programs.mk'), makeFragment());
  writeFileSync(join(dir, 'rpm-files'), rpmFiles());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writePackagingLists(resolve(process.argv[2] ?? join(ROOT, 'build', 'sea')));
}
