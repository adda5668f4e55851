import type { ServiceEndpoint } from './service.ts';

// Glance v2 images: every page (the reference read only the first, 25 by default).

export interface GlanceImage {
  id: string;
  name: string;
  tags: string[];
  /** Top-level string properties (Glance v2 puts custom properties beside the fixed fields). */
  properties: Record<string, string>;
}

const PAGE = 1000;

export class Glance {
  private readonly endpoint: ServiceEndpoint;

  constructor(endpoint: ServiceEndpoint) {
    this.endpoint = endpoint;
  }

  async images(): Promise<GlanceImage[]> {
    const base = (await this.endpoint.url()).replace(/\/v2(\.\d+)?$/, '');
    const images: GlanceImage[] = [];
    let path = `${base}/v2/images?limit=${PAGE}`;
    for (let pages = 0; pages < 10_000; pages++) {
      const res = await this.endpoint.request<{ images?: RawImage[]; next?: string }>({ method: 'GET', path, what: 'Glance: list images' });
      images.push(...(res.body?.images ?? []).map(toImage));
      const next = res.body?.next;
      if (!next || (res.body?.images ?? []).length === 0) return images;
      // `next` is relative to the server root ("/v2/images?marker=…").
      path = `${base}${next.replace(/^.*?(\/v2\/)/, '$1')}`;
    }
    throw new Error('Glance: list images: more than 10000 pages');
  }
}

interface RawImage { id: string; name?: string | null; tags?: string[]; [key: string]: unknown }

function toImage(i: RawImage): GlanceImage {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(i)) if (typeof v === 'string') properties[k] = v;
  return { id: i.id, name: i.name ?? '', tags: i.tags ?? [], properties };
}
