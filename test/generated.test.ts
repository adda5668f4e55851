import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../scripts/generate.ts';
import { REPO, run } from './helpers/run.ts';

describe('generated files are up to date (run `npm run generate` after changing a declaration)', () => {
  for (const [path, expected] of generatedFiles()) {
    it(path, () => {
      expect(readFileSync(join(REPO, path), 'utf8')).toBe(expected);
    });
  }
  it('man -l renders fence_compute(8) without warnings', async () => {
    const r = await run('man', ['--warnings', '-l', join(REPO, 'man/fence_compute.8')], { env: { ...process.env, MANWIDTH: '80' } as Record<string, string> });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fence_compute - Fence agent');
    expect(r.stdout).toMatch(/--auth-url=url/);
    expect(r.stderr).toBe('');
  });
});
