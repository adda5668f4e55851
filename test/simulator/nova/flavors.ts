import type { SimResponse } from '../http-types.ts';
import type { Flavor } from '../model-types.ts';
import { isAdmin, links, ok } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { collectionLinks, pageParams } from './paging.ts';

function detailView(ctx: NovaCtx, f: Flavor): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: f.id, name: f.name, ram: f.ram, disk: f.disk,
    swap: ctx.mv.lt('2.75') && f.swap === 0 ? '' : f.swap, // "" for no swap until 2.75
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral, 'OS-FLV-DISABLED:disabled': f.disabled, vcpus: f.vcpus,
    'os-flavor-access:is_public': f.isPublic, rxtx_factor: f.rxtxFactor, links: links(ctx, 'flavors', f.id),
  };
  if (ctx.mv.ge('2.55')) v['description'] = f.description;
  if (ctx.mv.ge('2.61')) v['extra_specs'] = { ...f.extraSpecs };
  return v;
}

function summaryView(ctx: NovaCtx, f: Flavor): Record<string, unknown> {
  return { id: f.id, name: f.name, links: links(ctx, 'flavors', f.id), ...(ctx.mv.ge('2.55') ? { description: f.description } : {}) };
}

function visible(ctx: NovaCtx, f: Flavor): boolean {
  return f.isPublic || (ctx.token.projectId !== null && f.projects.has(ctx.token.projectId));
}

// Nova's _parse_is_public: absent -> public (+ private ones the project may use), "None" -> all.
function isPublicFilter(ctx: NovaCtx): (f: Flavor) => boolean {
  if (!isAdmin(ctx)) return (f) => visible(ctx, f) && !f.disabled;
  const raw = ctx.query.get('is_public');
  if (raw === null) return (f) => visible(ctx, f);
  if (raw.toLowerCase() === 'none') return () => true;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return (f) => visible(ctx, f);
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return (f) => !f.isPublic;
  throw new NovaError(400, `Invalid is_public filter [${raw}]`);
}

/** GET /flavors and /flavors/detail, sorted by flavorid, with limit/marker. */
export function listFlavors(ctx: NovaCtx, details: boolean): SimResponse {
  const filter = isPublicFilter(ctx);
  let list = [...ctx.model.flavors.values()].filter(filter).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { limit, marker } = pageParams(ctx);
  if (marker !== undefined) {
    if (!ctx.model.flavors.has(marker)) throw new NovaError(400, `Marker ${marker} could not be found.`);
    list = list.filter((f) => f.id > marker);
  }
  const page = list.slice(0, limit);
  const body: Record<string, unknown> = { flavors: page.map((f) => (details ? detailView(ctx, f) : summaryView(ctx, f))) };
  const next = collectionLinks(ctx, page.length, limit, details ? 'flavors/detail' : 'flavors', page[page.length - 1]?.id);
  if (next.length) body['flavors_links'] = next;
  return ok(ctx, body);
}

function findFlavor(ctx: NovaCtx, id: string): Flavor {
  const f = ctx.model.flavors.get(id);
  if (!f || (!isAdmin(ctx) && !visible(ctx, f))) throw new NovaError(404, `Flavor ${id} could not be found.`);
  return f;
}

export function showFlavor(ctx: NovaCtx, [id = '']: string[]): SimResponse {
  return ok(ctx, { flavor: detailView(ctx, findFlavor(ctx, id)) });
}

export function flavorExtraSpecs(ctx: NovaCtx, [id = '', key]: string[]): SimResponse {
  const f = findFlavor(ctx, id);
  if (key === undefined) return ok(ctx, { extra_specs: { ...f.extraSpecs } });
  const value = f.extraSpecs[key];
  if (value === undefined) throw new NovaError(404, `Flavor ${id} has no extra specs with key ${key}.`);
  return ok(ctx, { [key]: value });
}
