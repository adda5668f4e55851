import type { IdSource } from './ids.ts';
import type { InterfaceName, ServiceName } from './http-types.ts';

// URL layout: [/internal|/admin]/<segment>/...  One model serves every region and interface;
// the call log records which one a client picked (agents default to the internal interface).
const SEGMENTS: Record<string, { service: ServiceName; region: string }> = {
  identity: { service: 'identity', region: 'RegionOne' },
  compute: { service: 'compute', region: 'RegionOne' },
  compute2: { service: 'compute', region: 'RegionTwo' },
  image: { service: 'image', region: 'RegionOne' },
  image2: { service: 'image', region: 'RegionTwo' },
};
const INTERFACES: InterfaceName[] = ['public', 'internal', 'admin'];

export interface Target {
  service: ServiceName;
  region: string;
  iface: InterfaceName;
  rootPath: string; // e.g. /internal/compute
  rest: string;     // e.g. /v2.1/servers
}

export function parseTarget(pathname: string): Target | undefined {
  const m = /^(?:\/(internal|admin))?\/([a-z0-9]+)(?=\/|$)(.*)$/.exec(pathname);
  const seg = m ? SEGMENTS[m[2] ?? ''] : undefined;
  if (!m || !seg) return undefined;
  const iface = (m[1] ?? 'public') as InterfaceName;
  return { ...seg, iface, rootPath: pathname.slice(0, pathname.length - (m[3] ?? '').length), rest: m[3] ?? '' };
}

function ifacePrefix(iface: InterfaceName): string {
  return iface === 'public' ? '' : `/${iface}`;
}

export interface CatalogEndpoint { id: string; interface: InterfaceName; region_id: string; url: string; region: string }
export interface CatalogService { endpoints: CatalogEndpoint[]; id: string; type: string; name: string }

/** Stable catalog ids per simulator (the URLs depend on the origin the client used). */
export class Catalog {
  readonly #ids = new Map<string, string>();
  readonly #source: IdSource;

  constructor(source: IdSource) {
    this.#source = source;
  }

  #id(key: string): string {
    let v = this.#ids.get(key);
    if (!v) this.#ids.set(key, (v = this.#source.hex()));
    return v;
  }

  build(origin: string): CatalogService[] {
    const service = (type: string, name: string, urls: Array<[string, (p: string) => string]>): CatalogService => ({
      endpoints: urls.flatMap(([region, url]) => INTERFACES.map((iface) => ({
        id: this.#id(`${type} ${region} ${iface}`), interface: iface, region_id: region,
        url: url(origin + ifacePrefix(iface)), region,
      }))),
      id: this.#id(type), type, name,
    });
    return [
      service('identity', 'keystone', [['RegionOne', (b) => `${b}/identity/v3/`]]),
      service('compute', 'nova', [['RegionOne', (b) => `${b}/compute/v2.1`], ['RegionTwo', (b) => `${b}/compute2/v2.1`]]),
      service('image', 'glance', [['RegionOne', (b) => `${b}/image`], ['RegionTwo', (b) => `${b}/image2`]]),
    ];
  }
}
