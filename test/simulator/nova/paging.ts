import { NovaError } from './errors.ts';
import type { NovaCtx } from './context.ts';

/** limit/marker query parameters; limit is capped at the model's max_limit like Nova. */
export function pageParams(ctx: NovaCtx): { limit: number; marker: string | undefined; explicitLimit: boolean } {
  const raw = ctx.query.get('limit');
  const max = ctx.model.limits.novaMaxLimit;
  if (raw === null) return { limit: max, marker: ctx.query.get('marker') ?? undefined, explicitLimit: false };
  if (!/^[0-9]+$/.test(raw)) {
    throw new NovaError(400, `Invalid input for query parameters limit. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`);
  }
  return { limit: Math.min(Number(raw), max), marker: ctx.query.get('marker') ?? undefined, explicitLimit: true };
}

/** Items after the marker (exclusive), given the full ordered list of candidates. */
export function afterMarker<T>(items: T[], marker: string | undefined, idOf: (t: T) => string, isAfter?: (t: T) => boolean): T[] {
  if (marker === undefined) return items;
  if (isAfter) return items.filter(isAfter);
  const i = items.findIndex((t) => idOf(t) === marker);
  if (i < 0) throw new NovaError(400, `Marker ${marker} could not be found.`);
  return items.slice(i + 1);
}

// nova/api/openstack/common.py ViewBuilder._get_collection_links: a "next" link whenever the
// page is full; query parameters sorted, the marker set (in place if present, else appended).
export function collectionLinks(ctx: NovaCtx, page: number, limit: number, collection: string, lastId: string | undefined):
  Array<{ rel: string; href: string }> {
  if (limit === 0 || page !== limit || lastId === undefined) return [];
  const params = [...ctx.query.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const i = params.findIndex(([k]) => k === 'marker');
  if (i >= 0) params[i] = ['marker', lastId];
  else params.push(['marker', lastId]);
  return [{ rel: 'next', href: `${ctx.root}/v2.1/${collection}?${new URLSearchParams(params).toString()}` }];
}
