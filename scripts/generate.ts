// Writes every generated file (man pages, README parameter tables, bash completions) from the
// declarations of the programs in agents/registry.ts.
// test/docs/generated.test.ts fails when a committed file differs from a fresh generation.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRAMS } from '../agents/registry.ts';
import { readmeParamTable } from '../lib/docs/readme-table.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Replaces what stands between `<!-- kind:id -->` and `<!-- /kind:id -->` (bench/run.ts writes kind "bench"). */
export function replaceBlock(text: string, id: string, content: string, kind = 'generated'): string {
  const start = `<!-- ${kind}:${id} -->`;
  const end = `<!-- /${kind}:${id} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} block`);
  return `${text.slice(0, a + start.length)}\n${content}${text.slice(b)}`;
}

// Loaded once here, so that generatedFiles() stays synchronous (test/docs/generated.test.ts).
const DOCS = await Promise.all(PROGRAMS.map(async (p) => ({ p, docs: await p.docs?.() })));

/** Path (relative to the repo) → expected content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  let readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const { p, docs } of DOCS) {
    if (!docs) continue;
    if (p.man) files.set(`man/${p.man.page}.${p.man.section}`, docs.manPage);
    if (docs.params) readme = replaceBlock(readme, `${p.name}-params`, readmeParamTable(docs.params, p.protocol === 'fence' ? 'fence' : 'ocf'));
    if (Boolean(p.completion) !== (docs.completion !== undefined)) throw new Error(`${p.name}: the registry's completion flag and its docs disagree`);
    if (docs.completion) files.set(`packaging/completion/${p.name}`, docs.completion);
  }
  files.set('README.md', readme);
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [path, content] of generatedFiles()) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
  }
}
