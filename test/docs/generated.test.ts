import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../../scripts/generate.ts';
import { REPO, run } from '../helpers/run.ts';

describe('generated files are up to date (run `npm run generate` after changing a declaration)', () => {
  for (const [path, expected] of generatedFiles()) {
    it(path, () => {
      expect(readFileSync(join(REPO, path), 'utf8')).toBe(expected);
    });
  }
  it.each([
    ['man/fence_compute.8', /fence_compute\s+-\s+Fence agent/, /--auth-url=url/],
    ['man/ocf_openstack_NovaEvacuate.7', /ocf_openstack_NovaEvacuate\s+-\s+Evacuates/, /threshold \(integer\)/],
    ['man/ocf_openstack_compute-unfence-trigger.7', /compute-unfence-trigger\s+-\s+Starts/, /leave_disabled \(boolean\)/],
    ['man/instance-ha.8', /instance-ha\s+-\s+Instance-HA/, /instance-ha\s+evacuate\s+\[--host-is-off\]/],
  ])('man -l renders %s without warnings', async (page, name, option) => {
    const r = await run('man', ['--warnings', '-l', join(REPO, page)], { env: { ...process.env, MANWIDTH: '80' } as Record<string, string> });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(name);
    expect(r.stdout).toMatch(option);
    expect(r.stderr).toBe('');
  });
});
