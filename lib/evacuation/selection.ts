import type { GlanceImage } from '../openstack/glance.ts';
import type { NovaAggregate, NovaFlavor, NovaServer } from '../openstack/nova.ts';

// Which instances of a failed host come back elsewhere. Pure: decided from data only.
//
// The reference rule: an image tagged `evacuable` (Glance tag) or a flavor with extra spec
// `evacuable=true` opts instances in; when nothing anywhere is tagged, every instance is
// evacuable. Additions: server metadata `evacuable=true|false` overrides both ways, and when
// any host aggregate has metadata `evacuable=true`, hosts outside such aggregates are left alone.

export interface SelectionInput {
  host: string;
  servers: readonly NovaServer[];
  images: readonly GlanceImage[];
  flavors: readonly NovaFlavor[];
  aggregates: readonly NovaAggregate[];
  /** Tag / extra-spec / metadata key; `evacuable` by default. */
  tag?: string;
}

export interface Selection {
  selected: NovaServer[];
  skipped: { server: NovaServer; reason: string }[];
  /** Why the rule applied: "nothing tagged: all instances", "tagged images/flavors". */
  rule: string;
}

const isTrue = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'true';
const isFalse = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'false';

export function selectEvacuable(input: SelectionInput): Selection {
  const tag = input.tag ?? 'evacuable';
  const taggedImages = new Set(input.images.filter((i) => i.tags.includes(tag)).map((i) => i.id));
  const taggedFlavors = new Set(input.flavors.filter((f) => isTrue(f.extraSpecs?.[tag])).map((f) => f.id));
  const taggedAggregates = input.aggregates.filter((a) => isTrue(a.metadata[tag]));
  const anyTagged = taggedImages.size > 0 || taggedFlavors.size > 0;
  const selected: NovaServer[] = [];
  const skipped: Selection['skipped'] = [];

  const hostInTaggedAggregate = taggedAggregates.some((a) => a.hosts.includes(input.host));
  for (const server of input.servers) {
    const own = server.metadata[tag];
    if (isFalse(own)) { skipped.push({ server, reason: `server metadata ${tag}=false` }); continue; }
    if (isTrue(own)) { selected.push(server); continue; }
    if (taggedAggregates.length > 0 && !hostInTaggedAggregate) {
      skipped.push({ server, reason: `host ${input.host} is in no aggregate with ${tag}=true` });
      continue;
    }
    if (!anyTagged) { selected.push(server); continue; }
    const flavorTagged = server.flavorExtraSpecs ? isTrue(server.flavorExtraSpecs[tag]) : taggedFlavors.has(server.flavorId ?? '');
    const imageTagged = server.imageId !== null && taggedImages.has(server.imageId);
    if (flavorTagged || imageTagged) selected.push(server);
    else skipped.push({ server, reason: `neither its image nor its flavor is tagged ${tag}` });
  }
  const rule = anyTagged ? `tagged images (${taggedImages.size}) or flavors (${taggedFlavors.size})` : 'nothing tagged: every instance';
  return { selected, skipped, rule: taggedAggregates.length > 0 ? `${rule}, in aggregates with ${tag}=true` : rule };
}
