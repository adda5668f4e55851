import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './run.ts';

/** Parameter names of Debian's fence_compute 4.12 metadata (checked live in stonith-admin.test.ts). */
export const REFERENCE_NAMES = readFileSync(join(REPO, 'test/fixtures/reference/fence_compute-4.12-parameters.txt'), 'utf8').trim().split('\n');

export const parameterNames = (xml: string): string[] => [...xml.matchAll(/<parameter name="([^"]+)"/g)].map((m) => m[1] ?? '');
