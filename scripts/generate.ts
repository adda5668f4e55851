// Writes every generated file (man pages, README parameter tables) from the declarations.
// test/generated.test.ts fails when a committed file differs from a fresh generation.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fenceCompute } from '../lib/fence-compute/agent.ts';
import { fenceComputeManPage } from '../lib/fence-compute/manpage.ts';
import { readmeParamTable } from '../lib/docs/readme-table.ts';
import { novaEvacuate } from '../lib/nova-evacuate/agent.ts';
import { novaEvacuateManPage } from '../lib/nova-evacuate/manpage.ts';
import { computeUnfenceTrigger } from '../lib/unfence-trigger/agent.ts';
import { unfenceTriggerManPage } from '../lib/unfence-trigger/manpage.ts';

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

/** Path (relative to the repo) → expected content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('man/fence_compute.8', fenceComputeManPage(fenceCompute));
  files.set('man/ocf_openstack_NovaEvacuate.7', novaEvacuateManPage());
  files.set('man/ocf_openstack_compute-unfence-trigger.7', unfenceTriggerManPage());
  let readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  readme = replaceBlock(readme, 'fence_compute-params', readmeParamTable(fenceCompute.params, 'fence'));
  readme = replaceBlock(readme, 'NovaEvacuate-params', readmeParamTable(novaEvacuate.params, 'ocf'));
  readme = replaceBlock(readme, 'compute-unfence-trigger-params', readmeParamTable(computeUnfenceTrigger.params, 'ocf'));
  files.set('README.md', readme);
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [path, content] of generatedFiles()) writeFileSync(join(ROOT, path), content);
}
