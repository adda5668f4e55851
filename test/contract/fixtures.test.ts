import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/run.ts';
import { checkSchema, schemaFor, type Call } from './agent-fields.ts';

// The recorded answers of a real Nova Zed carry every field the agents read, with its type.
const DIR = join(REPO, 'test/fixtures/openstack-zed');
interface Fixture { request: { service: Call['service']; method: string; path: string; microversion: string | null }; response: { status: number; headers: Record<string, string>; body: unknown } }
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture) }));
const call = (f: Fixture): Call => ({ ...f.request, status: f.response.status });

describe('recorded Zed answers satisfy the agents\' field contract', () => {
  const checked = fixtures.filter((f) => schemaFor(call(f)));
  it('covers the calls the agents make', () => {
    expect(fixtures.length).toBeGreaterThan(100);
    expect(checked.length).toBeGreaterThan(60);
  });
  for (const f of checked) {
    it(f.file, () => {
      expect(checkSchema(f.response.body, schemaFor(call(f))!)).toEqual([]);
      if (f.request.method === 'POST' && f.request.path === '/auth/tokens' && f.response.status === 201) {
        expect(f.response.headers['x-subject-token']).toBeTypeOf('string');
      }
    });
  }
});

describe('the contract can fail: a changed field the agents read is caught', () => {
  const get = (name: string) => structuredClone(fixtures.find((f) => f.file === name)!);
  it.each([
    ['nova-services-list-2.53.json', (b: any) => { delete b.services[0].forced_down; }, 'forced_down: missing'],
    ['nova-services-list-2.53.json', (b: any) => { b.services[0].id = 7; }, 'id: expected string'],
    ['nova-services-list-2.1.json', (b: any) => { b.services[0].host = null; }, 'host: expected string'],
    ['nova-servers-detail-host-compute1-limit2-page1-2.93.json', (b: any) => { delete b.servers[0]['OS-EXT-SRV-ATTR:host']; }, 'OS-EXT-SRV-ATTR:host: missing'],
    ['nova-servers-detail-host-compute1-limit2-page1-2.93.json', (b: any) => { b.servers[0].flavor = { id: 'x' }; }, 'original_name: missing'],
    ['nova-servers-detail-host-compute1-limit2-page1-2.1.json', (b: any) => { b.servers[0].flavor = { original_name: 'x' }; }, 'flavor.id: missing'],
    ['nova-flavors-detail-is_public-None-2.93.json', (b: any) => { delete b.flavors[0].extra_specs; }, 'extra_specs: missing'],
    ['glance-images-list-limit2-page1.json', (b: any) => { b.images[0].tags = 'evacuable'; }, 'tags: expected an array'],
    ['keystone-auth-password-project-by-name.json', (b: any) => { b.token.catalog[0].endpoints[0].interface = 1; }, 'interface: expected string'],
    ['nova-migrations-host-compute1-evacuation-done-2.59.json', (b: any) => { delete b.migrations[0].migration_type; }, 'migration_type: missing'],
  ])('%s: %s', (file, mutate, problem) => {
    const f = get(file);
    expect(checkSchema(f.response.body, schemaFor(call(f))!)).toEqual([]);
    mutate(f.response.body);
    expect(checkSchema(f.response.body, schemaFor(call(f))!).join('\n')).toContain(problem);
  });
});
