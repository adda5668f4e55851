import { describe, expect, it } from 'vitest';
import { pacemakerNodeOf, resolveService, targetNames } from '../lib/host-names.ts';
import type { NovaService } from '../lib/openstack/nova.ts';

const svc = (host: string): NovaService => ({ id: host, host, binary: 'nova-compute', state: 'up', status: 'enabled', forcedDown: false, disabledReason: null, updatedAt: null });
const hosts = (...h: string[]) => h.map(svc);

describe('Pacemaker node → Nova host', () => {
  it('exact Nova host', () => {
    expect(resolveService('compute-0', {}, hosts('compute-0', 'compute-1')).host).toBe('compute-0');
  });
  it('short name + domain, which wins over an exact short host', () => {
    expect(resolveService('compute-0', { domain: 'example.com' }, hosts('compute-0.example.com', 'compute-0.other.net')).host).toBe('compute-0.example.com');
    expect(resolveService('compute-0', { domain: 'example.com' }, hosts('compute-0', 'compute-0.example.com')).host).toBe('compute-0.example.com');
    expect(resolveService('compute-0', { domain: 'example.com' }, hosts('compute-0')).host).toBe('compute-0');
  });
  it('a unique short name across mixed DNS domains (the reference failed here)', () => {
    const services = hosts('compute-0.a.example', 'compute-1.b.example');
    expect(resolveService('compute-1', {}, services).host).toBe('compute-1.b.example');
    expect(resolveService('compute-1.b.example', {}, services).host).toBe('compute-1.b.example');
  });
  it('an ambiguous short name is an error naming the candidates', () => {
    expect(() => resolveService('compute-0', {}, hosts('compute-0.a', 'compute-0.b'))).toThrow(/several Nova hosts \(compute-0.a, compute-0.b\)/);
  });
  it('host_map wins, and must name a host Nova knows', () => {
    const services = hosts('nova-host-7', 'node-a');
    expect(resolveService('node-a', { hostMap: 'node-a:nova-host-7;node-b:nova-host-8' }, services).host).toBe('nova-host-7');
    expect(() => resolveService('node-b', { hostMap: 'node-b:nova-host-8' }, services)).toThrow(/maps node-b to nova-host-8, which has no nova-compute/);
  });
  it('an unknown host is an error', () => {
    expect(() => resolveService('ghost', {}, hosts('compute-0'))).toThrow('Nova has no nova-compute service for ghost');
  });
  it('list names: Nova names, unique short names, host_map keys', () => {
    expect(targetNames({ hostMap: 'pcmk-x:c2.d' }, hosts('c1.d', 'c2.d', 'c3.a', 'c3.b')).sort()).toEqual(['c1', 'c1.d', 'c2', 'c2.d', 'c3.a', 'c3.b', 'pcmk-x']);
  });
});

describe('Nova host → the Pacemaker node crm_mon shows', () => {
  it('its host_map key, else its short name when domain adds the domain, else the host itself', () => {
    expect(pacemakerNodeOf('hv-0.example.com', { hostMap: 'compute-0:hv-0.example.com;compute-1:hv-1.example.com' })).toBe('compute-0');
    expect(pacemakerNodeOf('compute-0.example.com', { domain: '.example.com' })).toBe('compute-0');
    expect(pacemakerNodeOf('compute-0.other.net', { domain: 'example.com' })).toBe('compute-0.other.net');
    expect(pacemakerNodeOf('compute-0', {})).toBe('compute-0');
  });
});
