import { header } from '../http-types.ts';
import type { SimRequest, SimResponse } from '../http-types.ts';
import type { CloudModel } from '../model.ts';
import type { LiveMigrator } from '../live-migration.ts';
import type { Evacuator } from '../rebuild.ts';
import type { TokenStore } from '../tokens.ts';
import { serverAction } from './actions.ts';
import { listAggregates } from './aggregates.ts';
import type { NovaCtx, NovaHandler } from './context.ts';
import { NovaError, novaError, unauthorized } from './errors.ts';
import { flavorExtraSpecs, listFlavors, showFlavor } from './flavors.ts';
import { listHypervisors, showHypervisor } from './hypervisors.ts';
import { Microversion, negotiate, versionHeaders } from './microversion.ts';
import { listMigrations } from './migrations.ts';
import { listServers, showServer } from './servers.ts';
import { listServices, updateService } from './services.ts';
import { versionsRoot, versionV21 } from './versions.ts';

const ROUTES: Array<[string, RegExp, NovaHandler]> = [
  ['GET', /^\/os-services$/, listServices],
  ['PUT', /^\/os-services\/([^/]+)$/, updateService],
  ['GET', /^\/os-hypervisors$/, (c) => listHypervisors(c, false)],
  ['GET', /^\/os-hypervisors\/detail$/, (c) => listHypervisors(c, true)],
  ['GET', /^\/os-hypervisors\/([^/]+)$/, showHypervisor],
  ['GET', /^\/os-aggregates$/, listAggregates],
  ['GET', /^\/os-migrations$/, listMigrations],
  ['GET', /^\/servers$/, (c) => listServers(c, false)],
  ['GET', /^\/servers\/detail$/, (c) => listServers(c, true)],
  ['GET', /^\/servers\/([^/]+)$/, showServer],
  ['POST', /^\/servers\/([^/]+)\/action$/, serverAction],
  ['GET', /^\/flavors$/, (c) => listFlavors(c, false)],
  ['GET', /^\/flavors\/detail$/, (c) => listFlavors(c, true)],
  ['GET', /^\/flavors\/([^/]+)$/, showFlavor],
  ['GET', /^\/flavors\/([^/]+)\/os-extra_specs$/, flavorExtraSpecs],
  ['GET', /^\/flavors\/([^/]+)\/os-extra_specs\/([^/]+)$/, flavorExtraSpecs],
];

export interface NovaDeps {
  model: CloudModel;
  tokens: TokenStore;
  evacuator: Evacuator;
  liveMigrator: LiveMigrator;
  maxMicroversion: () => Microversion;
  authUrl: (req: SimRequest) => string;
}

// Nova behind keystonemiddleware: token check first (401 without microversion headers), then
// microversion negotiation (400/406), then the routed handler.
export function handleNova(req: SimRequest, deps: NovaDeps): SimResponse {
  const max = deps.maxMicroversion();
  const p = req.path;
  if (req.method === 'GET' && (p === '' || p === '/')) return { status: 200, body: versionsRoot(req.root, max),
    headers: { 'content-type': 'application/json' } };
  const token = deps.tokens.get(header(req, 'x-auth-token'));
  const isVersionDoc = req.method === 'GET' && (p === '/v2.1' || p === '/v2.1/');
  if (!token && !isVersionDoc) return unauthorized(deps.authUrl(req));
  const n = negotiate(req.headers, max);
  if (!n.ok) return novaError(n.status, n.message, n.echo);
  const mv = n.version.toString();
  if (isVersionDoc) return { status: 200, body: versionV21(req.root, max), microversion: mv,
    headers: { 'content-type': 'application/json', ...versionHeaders(mv) } };
  if (!token) return unauthorized(deps.authUrl(req));
  const rest = p.startsWith('/v2.1/') ? p.slice('/v2.1'.length).replace(/\/+$/, '') : undefined;
  const ctx: NovaCtx = { req, model: deps.model, token, mv: n.version, query: req.url.searchParams,
    evacuator: deps.evacuator, liveMigrator: deps.liveMigrator, root: req.root };
  let methodMismatch = false;
  for (const [method, re, handler] of rest === undefined ? [] : ROUTES) {
    const m = re.exec(rest ?? '');
    if (!m) continue;
    if (method !== req.method) {
      methodMismatch = true;
      continue;
    }
    try {
      return handler(ctx, m.slice(1).map(decodeURIComponent));
    } catch (e) {
      if (e instanceof NovaError) return novaError(e.status, e.message, mv);
      throw e;
    }
  }
  return methodMismatch ? novaError(405, 'The method specified is not allowed for this resource.', mv)
    : novaError(404, 'The resource could not be found.', mv);
}

export { Microversion };
