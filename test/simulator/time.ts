// The timestamp spellings the real services use (see test/fixtures/openstack-zed).

/** Nova DB style: 2026-11-22T18:14:38.000000 (no zone). */
export function novaTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** Nova server / Glance style: 2026-11-22T18:14:42Z. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Keystone style: 2026-11-22T19:12:15.000000Z (whole seconds). */
export function keystoneTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}
