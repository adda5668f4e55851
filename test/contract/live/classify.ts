import { checkSchema, schemaFor, type Call } from '../agent-fields.ts';
import type { Exchange } from './recording-http.ts';

// Turns a recorded exchange into the Call of agent-fields.ts (service, path relative to the
// service's endpoint as in the recorded fixtures, microversion) and checks it against the contract.

export interface Endpoints {
  /** Keystone without /v3: where version discovery happens. */
  identityRoot: string;
  compute: string;
  image: string;
}

export function classify(x: Exchange, ep: Endpoints): Call | undefined {
  const mvHeader = Object.entries(x.requestHeaders).find(([k]) => k.toLowerCase() === 'openstack-api-version')?.[1];
  const microversion = mvHeader?.replace(/^compute\s+/, '') ?? null;
  const rel = (base: string) => (x.url === base || x.url.startsWith(`${base}/`) || x.url.startsWith(`${base}?`) ? x.url.slice(base.length) : undefined);
  const compute = rel(ep.compute);
  // Nova's version document is fetched at "<endpoint>/"; the contract names it by its origin path.
  if (compute !== undefined) return { service: 'compute', method: x.method, path: compute === '' || compute === '/' ? '/v2.1/' : compute, microversion, status: x.status };
  const image = rel(ep.image);
  if (image !== undefined) return { service: 'image', method: x.method, path: image, microversion: null, status: x.status };
  const identity = rel(ep.identityRoot);
  if (identity !== undefined) return { service: 'identity', method: x.method, path: identity.replace(/^\/v3(?=\/)/, '') || '/', microversion: null, status: x.status };
  return undefined;
}

/** Why these exchanges break the agents' field contract; empty when they conform. */
export function contractProblems(exchanges: readonly Exchange[], ep: Endpoints): string[] {
  return exchanges.flatMap((x) => {
    const call = classify(x, ep);
    if (!call) return [`${x.method} ${x.url}: not an endpoint of this cloud`];
    const schema = schemaFor(call);
    return schema ? checkSchema(x.body, schema).map((p) => `${callKey(call)}: ${p}`) : [];
  });
}

/** One name per kind of call: ids and query values replaced, so the two targets' calls pair up. */
export function callKey(c: Call): string {
  const [path = '', query] = c.path.split('?');
  const template = path.replace(/\/[0-9a-f]{32}(?=\/|$)|\/[0-9a-f-]{36}(?=\/|$)|\/\d+(?=\/|$)/gi, '/{id}');
  const keys = query ? `?${[...new URLSearchParams(query).keys()].sort().join('&')}` : '';
  return `${c.service} ${c.method} ${template}${keys}${c.microversion ? ` @${c.microversion}` : ''} -> ${c.status}`;
}
