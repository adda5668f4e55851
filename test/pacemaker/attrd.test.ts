import { afterAll, describe, expect, it } from 'vitest';
import { Attrd, AttrdError, parseAttributes } from '../../lib/pacemaker/attrd.ts';
import { SecretLeakError } from '../../lib/child.ts';
import { registerSecret } from '../../lib/secrets.ts';
import { run } from '../helpers/run.ts';

// Against the real pacemaker-attrd of the cluster test/helpers/cluster/cluster.sh starts.
const attrd = new Attrd();
const NAME = `ihaa-test-${process.pid}`;
const nodes: string[] = [];
const node = (n: string) => { nodes.push(n); return n; };

afterAll(async () => {
  for (const n of nodes) await attrd.remove(NAME, { node: n, private: true }).catch(() => {});
});

describe('attrd_updater wrapper (real Pacemaker)', () => {
  it('reads back what it wrote, per node', async () => {
    await attrd.update(NAME, 'yes', { node: node('compute-a'), private: true });
    await attrd.update(NAME, 'no', { node: node('compute-b'), private: true });
    expect(await attrd.query(NAME, 'compute-a')).toBe('yes');
    expect(await attrd.query(NAME, 'compute-b')).toBe('no');
  });
  it('queries all nodes', async () => {
    await attrd.update(NAME, 'yes', { node: node('compute-c'), private: true });
    const all = await attrd.queryAll(NAME);
    expect(all).toEqual(expect.arrayContaining([{ node: 'compute-c', value: 'yes' }]));
  });
  it('values with quotes, angle brackets, ampersands, spaces and @ survive the round trip', async () => {
    const tricky = `ctl-1@1700000000 "quoted" <x> & 'y'`;
    await attrd.update(NAME, tricky, { node: node('compute-d'), private: true });
    expect(await attrd.query(NAME, 'compute-d')).toBe(tricky);
    expect((await attrd.queryAll(NAME)).find((e) => e.node === 'compute-d')?.value).toBe(tricky);
  });
  it('an absent attribute is undefined / empty, not an error', async () => {
    expect(await attrd.query(`${NAME}-never-set`, 'compute-a')).toBeUndefined();
    expect(await attrd.queryAll(`${NAME}-never-set`)).toEqual([]);
  });
  it('remove empties the value (attrd cannot delete), which reads as absent', async () => {
    await attrd.update(NAME, 'yes', { node: node('compute-e'), private: true });
    await attrd.remove(NAME, { node: 'compute-e', private: true });
    expect(await attrd.query(NAME, 'compute-e')).toBeUndefined();
    expect((await attrd.queryAll(NAME)).some((e) => e.node === 'compute-e')).toBe(false);
  });
  it('private values stay out of the CIB', async () => {
    await attrd.update(NAME, 'private-value', { node: node('compute-f'), private: true });
    const cib = await run('cibadmin', ['-Q', '-o', 'status']);
    expect(cib.code).toBe(0);
    expect(cib.stdout).not.toContain('private-value');
  });
  it('sees every node even when run under Pacemaker (OCF_RESKEY_CRM_meta_on_node set)', async () => {
    await attrd.update(NAME, 'yes', { node: node('compute-g'), private: true });
    await attrd.update(NAME, 'yes', { node: node('compute-h'), private: true });
    // What the reference NovaEvacuate suffers: attrd_updater with that variable sees one node.
    const raw = await run('attrd_updater', ['-Q', '-A', '-n', NAME, '--output-as=xml'], { env: { ...process.env, OCF_RESKEY_CRM_meta_on_node: 'compute-g' } as Record<string, string> });
    const rawNodes = parseAttributes(raw.stdout).map((e) => e.node);
    process.env.OCF_RESKEY_CRM_meta_on_node = 'compute-g';
    try {
      const ours = (await attrd.queryAll(NAME)).map((e) => e.node);
      expect(ours).toEqual(expect.arrayContaining(['compute-g', 'compute-h']));
      // Pacemaker 2.1.5 answers for that one node only: passing our environment on would lose the rest.
      expect(rawNodes).toEqual(['compute-g']);
    } finally {
      delete process.env.OCF_RESKEY_CRM_meta_on_node;
    }
  });
  it('a failing attrd_updater is an AttrdError with one line; a hanging one is cut at its timeout', async () => {
    const broken = new Attrd({ binary: '/bin/false' });
    await expect(broken.update(NAME, 'x', { node: 'n' })).rejects.toThrow(AttrdError);
    await expect(broken.update(NAME, 'x', { node: 'n' })).rejects.toThrow(/attrd_updater: set .* failed: exit code 1$/);
    const missing = new Attrd({ binary: '/nonexistent/attrd_updater' });
    await expect(missing.query(NAME)).rejects.toThrow(AttrdError);
    const slow = new Attrd({ binary: `${process.cwd()}/test/fixtures/bin/sleep-forever`, timeoutMs: 300 });
    const t0 = Date.now();
    await expect(slow.query(NAME)).rejects.toThrow('no answer within 0.3 s');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('refuses to pass a secret as a value', async () => {
    registerSecret('attrd-secret-value');
    await expect(attrd.update(NAME, 'attrd-secret-value', { node: 'compute-z' })).rejects.toThrow(SecretLeakError);
  });
});

describe('parseAttributes', () => {
  it('reads attributes in any order and decodes entities', () => {
    const xml = '<pacemaker-result><attribute host="h1" name="evacuate" value="a&quot;b&lt;&amp;&#64;"/>\n<attribute name="evacuate" value="" host="h2"/></pacemaker-result>';
    expect(parseAttributes(xml)).toEqual([{ node: 'h1', value: 'a"b<&@' }, { node: 'h2', value: '' }]);
  });
});
