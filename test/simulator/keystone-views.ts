import type { Catalog } from './endpoints.ts';
import type { AppCredential, IdentityModel } from './identity-model.ts';
import { keystoneTime } from './time.ts';
import type { TokenRecord } from './tokens.ts';

export function versionDoc(root: string): Record<string, unknown> {
  return {
    id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${root}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function tokenBody(t: TokenRecord, identity: IdentityModel, catalog: Catalog, origin: string): unknown {
  const user = identity.users.get(t.userId);
  const domainOf = (id: string) => ({ id, name: identity.domains.get(id)?.name ?? id });
  const token: Record<string, unknown> = {
    methods: t.methods,
    user: { domain: domainOf(user?.domainId ?? 'default'), id: t.userId, name: user?.name ?? '', password_expires_at: null },
    audit_ids: [t.auditId],
    expires_at: keystoneTime(t.expiresAt),
    issued_at: keystoneTime(t.issuedAt),
  };
  const project = t.projectId ? identity.projects.get(t.projectId) : undefined;
  if (project) {
    token['project'] = { domain: domainOf(project.domainId), id: project.id, name: project.name };
    token['is_domain'] = false;
    token['roles'] = t.roles.map((name) => ({ id: identity.roles.get(name)?.id ?? name, name }));
    token['catalog'] = catalog.build(origin);
  }
  if (t.appCredentialId) {
    const ac = identity.appCredentials.get(t.appCredentialId);
    token['application_credential'] = { id: t.appCredentialId, name: ac?.name ?? '', restricted: true };
  }
  return { token };
}

export function appCredentialBody(ac: AppCredential, identity: IdentityModel, root: string, withSecret: boolean): unknown {
  const body: Record<string, unknown> = {
    id: ac.id, name: ac.name, description: ac.description, user_id: ac.userId, project_id: ac.projectId,
    system: null, expires_at: null, unrestricted: null,
    roles: ac.roles.map((name) => ({ id: identity.roles.get(name)?.id ?? name, name, domain_id: null, description: null,
      options: { immutable: true } })),
  };
  if (withSecret) body['secret'] = ac.secret;
  body['links'] = { self: `${root}/v3/application_credentials/${ac.id}` };
  return { application_credential: body };
}
