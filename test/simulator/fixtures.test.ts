import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR, loadFixtures } from './contract/fixtures.ts';
import { prepare } from './contract/seed.ts';
import { compareHeaders, compareShape } from './contract/shape.ts';
import { buildWorld } from './contract/world.ts';
import { startSimulator } from './index.ts';

// Contract test: every recorded Zed call (test/fixtures/openstack-zed/*.json, picked up as they
// appear) is replayed against a fresh simulator holding an equivalent model; the answer must
// have the same status, the same JSON shape and the same content-type / microversion headers.
const { fixtures, broken } = loadFixtures();
const world = buildWorld(fixtures);
let checked = 0;

describe(`simulator contract vs ${fixtures.length} recorded Zed responses`, () => {
  afterAll(() => {
    console.log(`contract: ${checked} of ${fixtures.length} fixtures from ${FIXTURE_DIR} matched`
      + (broken.length ? `; ${broken.length} unreadable` : '') + (fixtures.length === 0 ? ' (none recorded yet)' : ''));
  });

  it(`finds the fixture folder (${fixtures.length} fixtures; an empty or missing folder checks nothing)`, () => {
    expect(fixtures.length + broken.length).toBeGreaterThanOrEqual(0);
  });

  for (const b of broken) {
    it(`${b.name} is a readable fixture`, () => {
      throw new Error(`${b.name}.json: ${b.error} (being re-recorded? run again)`);
    });
  }

  for (const fx of fixtures) {
    it(`${fx.name}: ${fx.request.method} ${fx.request.path.slice(0, 60)} -> ${fx.response.status}`, async () => {
      const sim = await startSimulator({ maxMicroversion: world.maxMicroversion, controlServices: false, rebuildMs: 60_000 });
      try {
        const r = prepare(sim, fx, world);
        const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual',
          signal: AbortSignal.timeout(5000) });
        const text = await res.text();
        const body: unknown = text === '' ? null : JSON.parse(text);
        const problems = [
          ...(res.status === fx.response.status ? [] : [`status: expected ${fx.response.status}, got ${res.status}`]),
          ...compareHeaders(fx.response.headers, res.headers),
          ...compareShape(fx.response.body, body),
        ];
        expect(problems, `${fx.name}\nsimulator said: ${text.slice(0, 600)}`).toEqual([]);
        checked++;
      } finally {
        await sim.stop();
      }
    });
  }
});
