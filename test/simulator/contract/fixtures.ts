import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The recorded Zed calls (format: test/fixtures/openstack-zed/README.md).
export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/openstack-zed');

export interface FixtureRequest {
  service: 'identity' | 'compute' | 'image';
  method: string;
  endpoint: string;
  path: string;
  microversion: string | null;
  headers: Record<string, string>;
  body: unknown;
}

export interface Fixture {
  name: string;
  request: FixtureRequest;
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export interface LoadResult {
  fixtures: Fixture[];
  /** Files that are not a readable fixture (e.g. caught mid-rewrite by the recorder). */
  broken: Array<{ name: string; error: string }>;
}

/** Every *.json call fixture (files starting with "_" are not calls); none if the folder is absent. */
export function loadFixtures(dir = FIXTURE_DIR): LoadResult {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('_')).sort();
  } catch {
    return { fixtures: [], broken: [] };
  }
  const out: LoadResult = { fixtures: [], broken: [] };
  for (const f of files) {
    const name = f.replace(/\.json$/, '');
    try {
      const j = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture;
      if (typeof j.request?.method !== 'string' || typeof j.response?.status !== 'number') throw new Error('not a call fixture');
      out.fixtures.push({ ...j, name });
    } catch (e) {
      out.broken.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
