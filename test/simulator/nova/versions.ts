import type { Microversion } from './microversion.ts';

// GET /compute/ and GET /compute/v2.1/ (shapes from nova-versions-root / nova-version-v2.1 fixtures).
export function versionsRoot(root: string, max: Microversion): unknown {
  return {
    versions: [
      { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z',
        links: [{ rel: 'self', href: `${root}/v2/` }] },
      { id: 'v2.1', status: 'CURRENT', version: max.toString(), min_version: '2.1', updated: '2013-07-23T11:33:21Z',
        links: [{ rel: 'self', href: `${root}/v2.1/` }] },
    ],
  };
}

export function versionV21(root: string, max: Microversion): unknown {
  return {
    version: {
      id: 'v2.1', status: 'CURRENT', version: max.toString(), min_version: '2.1', updated: '2013-07-23T11:33:21Z',
      links: [{ rel: 'self', href: `${root}/v2.1/` }, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    },
  };
}
