import { header, json } from './http-types.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import type { Image } from './model-types.ts';
import type { CloudModel } from './model.ts';
import { isoSeconds } from './time.ts';
import type { TokenStore } from './tokens.ts';

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Glance (webob) error bodies, as in glance-image-show-not-found.json. */
export function glanceError(status: number, message: string): SimResponse {
  const title = REASONS[status] ?? 'Error';
  return json(status, { message: `${message}<br /><br />\n\n\n`, code: `${status} ${title}`, title });
}

const UNAUTHORIZED = 'This server could not verify that you are authorized to access the document you requested. '
  + 'Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply '
  + 'the credentials required.';

function imageView(img: Image): Record<string, unknown> {
  return {
    ...img.properties, name: img.name, disk_format: img.diskFormat, container_format: img.containerFormat,
    visibility: img.visibility, size: img.size, virtual_size: img.size, status: img.status,
    checksum: 'fcd6bcb56c1689fcef28b57c22475bad', protected: img.protected, min_ram: img.minRam, min_disk: img.minDisk,
    owner: img.owner, os_hidden: false, os_hash_algo: 'sha512', os_hash_value: 'e'.repeat(128), id: img.id,
    created_at: isoSeconds(img.createdAt), updated_at: isoSeconds(img.updatedAt), tags: [...img.tags],
    self: `/v2/images/${img.id}`, file: `/v2/images/${img.id}/file`, schema: '/v2/schemas/image', stores: 'fs',
  };
}

// Glance v2: image list (newest first, limit/marker, tag filter, relative "next" link) and show.
export function handleGlance(req: SimRequest, model: CloudModel, tokens: TokenStore): SimResponse {
  const p = req.path.replace(/\/+$/, '');
  if (req.method === 'GET' && p === '') {
    return json(300, { versions: [{ id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${req.root}/v2/` }] }] });
  }
  if (!tokens.get(header(req, 'x-auth-token'))) return glanceError(401, UNAUTHORIZED);
  if (req.method === 'GET' && p === '/v2/images') return listImages(req, model);
  const show = /^\/v2\/images\/([^/]+)$/.exec(p);
  if (req.method === 'GET' && show) {
    const img = model.images.get(decodeURIComponent(show[1] ?? ''));
    return img ? json(200, imageView(img)) : glanceError(404, `No image found with ID ${show[1]}`);
  }
  return glanceError(404, 'The resource could not be found.');
}

function listImages(req: SimRequest, model: CloudModel): SimResponse {
  const q = req.url.searchParams;
  const rawLimit = q.get('limit');
  let limit = model.limits.glanceDefaultLimit;
  if (rawLimit !== null) {
    if (!/^-?\d+$/.test(rawLimit)) return glanceError(400, 'limit param must be an integer');
    if (Number(rawLimit) < 0) return glanceError(400, 'limit param must be positive');
    limit = Math.min(Number(rawLimit), model.limits.glanceMaxLimit);
  }
  const tags = q.getAll('tag');
  const order = (a: Image, b: Image) => b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq;
  let list = [...model.images.values()].filter((i) => tags.every((t) => i.tags.includes(t))).sort(order);
  const marker = q.get('marker');
  if (marker !== null) {
    const m = model.images.get(marker);
    if (!m) return glanceError(400, `Invalid marker. Image ${marker} could not be found.`);
    list = list.filter((i) => order(m, i) < 0);
  }
  const page = list.slice(0, limit);
  const first = new URLSearchParams([...q.entries()].filter(([k]) => k !== 'marker')).toString();
  const body: Record<string, unknown> = { images: page.map(imageView), first: `/v2/images${first ? `?${first}` : ''}`,
    schema: '/v2/schemas/images' };
  const last = page[page.length - 1];
  if (last && page.length === limit) {
    const next = new URLSearchParams([...q.entries()].filter(([k]) => k !== 'marker'));
    next.set('marker', last.id);
    body['next'] = `/v2/images?${next.toString()}`;
  }
  return json(200, body);
}
