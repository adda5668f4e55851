import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAuthConfig, interfaceOf } from '../../lib/openstack/config.ts';
import { parseYamlSubset } from '../../lib/openstack/clouds-yaml.ts';
import { resolveValues } from '../../lib/params/values.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';
import { Microversion } from '../../lib/openstack/microversion.ts';
import { maskSecrets } from '../../lib/secrets.ts';

const params = (raw: Record<string, string>) => {
  const r = resolveValues(fenceComputeParams, new Map(Object.entries(raw)));
  return { values: r.values, given: r.given };
};

const CLOUDS = `# a comment
clouds:
  prod:
    auth:
      auth_url: https://keystone.example:5000/v3
      username: "cloud-user"
      password: 'it''s-secret'
      project_name: admin
      user_domain_name: Users
    region_name: RegionTwo
    interface: public
    verify: false
`;

function cloudsFile(text = CLOUDS): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ihaa-clouds-')), 'clouds.yaml');
  writeFileSync(file, text);
  return file;
}

describe('Keystone settings: parameters > clouds.yaml > OS_*', () => {
  it('parameters alone', () => {
    const c = buildAuthConfig({ ...params({ auth_url: 'http://k/v3', username: 'u', tenant_name: 'p', endpoint_type: 'publicURL' }), env: {}, password: 'pw' });
    expect(c).toMatchObject({ authUrl: 'http://k/v3', username: 'u', password: 'pw', projectName: 'p', userDomainName: 'Default', interface: 'public', insecure: false, timeoutMs: 10_000 });
  });
  it('clouds.yaml fills what parameters leave out; defaults do not override it', () => {
    const env = { OS_CLIENT_CONFIG_FILE: cloudsFile() };
    const c = buildAuthConfig({ ...params({ cloud: 'prod', username: 'param-user' }), env });
    expect(c).toMatchObject({ authUrl: 'https://keystone.example:5000/v3', username: 'param-user', password: "it's-secret", projectName: 'admin', userDomainName: 'Users', regionName: 'RegionTwo', interface: 'public', insecure: true });
  });
  it('an explicit insecure=0 wins over verify: false in clouds.yaml', () => {
    const env = { OS_CLIENT_CONFIG_FILE: cloudsFile() };
    expect(buildAuthConfig({ ...params({ cloud: 'prod', insecure: '0' }), env }).insecure).toBe(false);
  });
  it('OS_* variables come last', () => {
    const c = buildAuthConfig({ ...params({ auth_url: 'http://k/v3' }), env: { OS_USERNAME: 'env-user', OS_PASSWORD: 'env-pw', OS_PROJECT_NAME: 'envp', OS_REGION_NAME: 'R9', OS_AUTH_URL: 'http://ignored/v3' } });
    expect(c).toMatchObject({ authUrl: 'http://k/v3', username: 'env-user', password: 'env-pw', projectName: 'envp', regionName: 'R9' });
  });
  it('a password or application credential secret from clouds.yaml or OS_* becomes a secret there', () => {
    buildAuthConfig({ ...params({ auth_url: 'http://k/v3' }), env: { OS_PASSWORD: 'os-password-1', OS_APPLICATION_CREDENTIAL_SECRET: 'os-ac-secret-1' } });
    const file = cloudsFile(CLOUDS.replace("'it''s-secret'", 'cloud-password-1'));
    buildAuthConfig({ ...params({ cloud: 'prod' }), env: { OS_CLIENT_CONFIG_FILE: file } });
    expect(maskSecrets('os-password-1 os-ac-secret-1 cloud-password-1')).toBe('**** **** ****');
  });
  it('a missing cloud is one clear error', () => {
    expect(() => buildAuthConfig({ ...params({ cloud: 'nope' }), env: { OS_CLIENT_CONFIG_FILE: cloudsFile() } })).toThrow(/cloud 'nope' is not in/);
  });
  it('endpoint_type names map to v3 interfaces', () => {
    expect(['publicURL', 'internalURL', 'adminURL', 'internal'].map(interfaceOf)).toEqual(['public', 'internal', 'admin', 'internal']);
  });
  it('the YAML reader refuses what it does not understand', () => {
    expect(() => parseYamlSubset('clouds: {a: 1}')).toThrow(/unsupported YAML/);
    expect(() => parseYamlSubset('clouds:\n\tx: 1')).toThrow(/tabs/);
    expect(parseYamlSubset('a:\n  b: 1 # note\n  c: "x # y"\n')).toEqual({ a: { b: 1, c: 'x # y' } });
  });
});

describe('microversions', () => {
  it('compare numerically', () => {
    expect(Microversion.parse('2.9').compare(Microversion.parse('2.10'))).toBeLessThan(0);
    expect(Microversion.min(Microversion.parse('2.95'), Microversion.parse('2.88')).toString()).toBe('2.88');
    expect(Microversion.parse('2.53').atLeast('2.53')).toBe(true);
    expect(Microversion.parse('2.53').headers('compute')).toEqual({ 'OpenStack-API-Version': 'compute 2.53', 'X-OpenStack-Nova-API-Version': '2.53' });
  });
});
