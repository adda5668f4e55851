import { describe, expect, it } from 'vitest';
import { selectEvacuable } from '../../lib/evacuation/selection.ts';
import type { NovaServer, NovaFlavor, NovaAggregate } from '../../lib/openstack/nova.ts';
import type { GlanceImage } from '../../lib/openstack/glance.ts';

const server = (id: string, over: Partial<NovaServer> = {}): NovaServer => ({
  id, name: id, status: 'ACTIVE', taskState: null, vmState: 'active', host: 'c0', tenantId: 't',
  imageId: 'img-plain', flavorId: 'fl-plain', flavorName: undefined, flavorExtraSpecs: undefined, metadata: {}, locked: false, ...over,
});
const image = (id: string, tags: string[] = []): GlanceImage => ({ id, name: id, tags, properties: {} });
const flavor = (id: string, specs: Record<string, string> = {}): NovaFlavor => ({ id, name: id, isPublic: true, extraSpecs: specs });
const ids = (s: { selected: NovaServer[] }) => s.selected.map((x) => x.id).sort();
const base = { host: 'c0', aggregates: [] as NovaAggregate[] };

describe('evacuable instances', () => {
  it('nothing tagged anywhere: every instance', () => {
    const r = selectEvacuable({ ...base, servers: [server('a'), server('b', { imageId: null })], images: [image('img-plain')], flavors: [flavor('fl-plain')] });
    expect(ids(r)).toEqual(['a', 'b']);
    expect(r.rule).toContain('nothing tagged');
  });
  it('a tagged image selects its instances only', () => {
    const r = selectEvacuable({ ...base, servers: [server('a', { imageId: 'img-t' }), server('b')], images: [image('img-t', ['evacuable']), image('img-plain')], flavors: [] });
    expect(ids(r)).toEqual(['a']);
    expect(r.skipped[0]?.reason).toContain('neither its image nor its flavor');
  });
  it('image tags are exact (case-sensitive, as Glance stores them)', () => {
    const r = selectEvacuable({ ...base, servers: [server('a', { imageId: 'img-t' }), server('b', { imageId: 'img-u' })], images: [image('img-t', ['Evacuable']), image('img-u', ['evacuable'])], flavors: [] });
    expect(ids(r)).toEqual(['b']);
  });
  it('a flavor with evacuable=true (any case, spaces) selects by flavor id below 2.47', () => {
    const r = selectEvacuable({ ...base, servers: [server('a', { flavorId: 'fl-t' }), server('b')], images: [], flavors: [flavor('fl-t', { evacuable: ' True ' }), flavor('fl-plain', { evacuable: 'false' })] });
    expect(ids(r)).toEqual(['a']);
  });
  it('from 2.47 the server carries its flavor extra specs', () => {
    const r = selectEvacuable({ ...base, servers: [server('a', { flavorId: undefined, flavorExtraSpecs: { evacuable: 'true' } }), server('b', { flavorId: undefined, flavorExtraSpecs: {} })], images: [], flavors: [flavor('fl-t', { evacuable: 'true' })] });
    expect(ids(r)).toEqual(['a']);
  });
  it('boot-from-volume instances qualify by flavor only', () => {
    const r = selectEvacuable({ ...base, servers: [server('bfv', { imageId: null, flavorId: 'fl-t' }), server('bfv2', { imageId: null })], images: [image('img-t', ['evacuable'])], flavors: [flavor('fl-t', { evacuable: 'true' })] });
    expect(ids(r)).toEqual(['bfv']);
  });
  it('server metadata opts out and in', () => {
    const r = selectEvacuable({ ...base, servers: [server('out', { metadata: { evacuable: 'false' } }), server('in', { metadata: { evacuable: 'true' } }), server('plain')], images: [image('img-t', ['evacuable'])], flavors: [] });
    expect(ids(r)).toEqual(['in']);
    const none = selectEvacuable({ ...base, servers: [server('out', { metadata: { evacuable: 'false' } }), server('plain')], images: [], flavors: [] });
    expect(ids(none)).toEqual(['plain']);
  });
  it('aggregates with evacuable=true restrict evacuation to their hosts', () => {
    const agg = (hosts: string[]): NovaAggregate => ({ id: 1, name: 'ha', hosts, metadata: { evacuable: 'true' } });
    expect(ids(selectEvacuable({ host: 'c0', servers: [server('a')], images: [], flavors: [], aggregates: [agg(['c1'])] }))).toEqual([]);
    expect(ids(selectEvacuable({ host: 'c0', servers: [server('a')], images: [], flavors: [], aggregates: [agg(['c0'])] }))).toEqual(['a']);
  });
  it('the tag name is configurable', () => {
    const r = selectEvacuable({ ...base, tag: 'ha', servers: [server('a', { imageId: 'i' }), server('b')], images: [image('i', ['ha'])], flavors: [] });
    expect(ids(r)).toEqual(['a']);
  });
});
