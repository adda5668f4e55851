import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudModel, startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { nova } from './test-client.ts';

describe('simulator model', () => {
  it('is deterministic for a seed', () => {
    const ids = (seed: string) => {
      const m = new CloudModel({ seed });
      m.addCompute('c');
      return [m.addServer({ host: 'c' }).id, m.compute('c').uuid];
    };
    expect(ids('a')).toEqual(ids('a'));
    expect(ids('a')).not.toEqual(ids('b'));
    expect(ids('a')[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('re-indexes a server when its host is assigned', () => {
    const m = new CloudModel();
    m.addCompute('a');
    m.addCompute('b');
    const s = m.addServer({ host: 'a' });
    s.host = 'b';
    expect([m.countOn('a'), m.countOn('b')]).toEqual([0, 1]);
    expect(s.node).toBe('b');
    expect(() => m.addServer({ host: 'nope' })).toThrow(/unknown compute/);
  });

  it('removes a compute service once no server is on it', () => {
    const m = new CloudModel();
    m.addCompute('a');
    const s = m.addServer({ host: 'a' });
    expect(() => m.removeCompute('a')).toThrow(/still hosts servers/);
    m.deleteServer(s.id);
    m.removeCompute('a');
    expect([m.computes.has('a'), [...m.services.values()].some((x) => x.host === 'a')]).toEqual([false, false]);
  });

  describe('with thousands of servers', () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator();
      for (let h = 0; h < 50; h++) sim.model.addCompute(`compute-${h}`);
      for (let i = 0; i < 5000; i++) sim.model.addServer({ host: `compute-${i % 50}` });
    });
    afterAll(() => sim.stop());

    it('lists one host and pages through everything quickly', async () => {
      const t0 = performance.now();
      const one = await nova(sim, 'GET', '/servers/detail?all_tenants=1&host=compute-7', { mv: '2.93' });
      expect(one.body.servers).toHaveLength(100);
      let url = '/servers/detail?all_tenants=1&limit=1000';
      let total = 0;
      while (url) {
        const r = await nova(sim, 'GET', url, { mv: '2.1' });
        total += r.body.servers.length;
        const next: string | undefined = r.body.servers_links?.[0]?.href;
        url = next ? next.slice(`${sim.baseUrl}/compute/v2.1`.length) : '';
      }
      expect(total).toBe(5000);
      expect(performance.now() - t0).toBeLessThan(5000);
    });
  });
});
