import type { Catalog } from './endpoints.ts';
import { header, isObject, json, jsonBody } from './http-types.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import type { User } from './identity-model.ts';
import { appCredentialBody, tokenBody, versionDoc } from './keystone-views.ts';
import type { CloudModel } from './model.ts';
import type { TokenRecord, TokenStore } from './tokens.ts';

const VARY = { vary: 'X-Auth-Token' };
const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };

function keystoneError(status: number, message: string): SimResponse {
  return json(status, { error: { code: status, message, title: TITLES[status] ?? 'Error' } }, VARY);
}

const unauthorized = (): SimResponse => keystoneError(401, 'The request you have made requires authentication.');
const badRequest = (what: string): SimResponse => keystoneError(400, `${what} The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`);

type Auth = { ok: Omit<TokenRecord, 'id' | 'issuedAt' | 'expiresAt' | 'auditId'> } | { error: SimResponse };

// Keystone v3: version discovery, password / application credential / token authentication
// with project scope, and application credential creation.
export class Keystone {
  readonly #model: CloudModel;
  readonly #tokens: TokenStore;
  readonly #catalog: Catalog;

  constructor(model: CloudModel, tokens: TokenStore, catalog: Catalog) {
    this.#model = model;
    this.#tokens = tokens;
    this.#catalog = catalog;
  }

  handle(req: SimRequest): SimResponse {
    const p = req.path.replace(/\/+$/, '');
    if (req.method === 'GET' && p === '') {
      return json(300, { versions: { values: [versionDoc(req.root)] } }, { ...VARY, location: `${req.root}/v3/` });
    }
    if (req.method === 'GET' && p === '/v3') return json(200, { version: versionDoc(req.root) }, VARY);
    if (p === '/v3/auth/tokens' && req.method === 'POST') return this.#authenticate(req);
    if (p === '/v3/auth/tokens' && req.method === 'GET') return this.#validate(req);
    const ac = /^\/v3\/users\/([^/]+)\/application_credentials$/.exec(p);
    if (ac && req.method === 'POST') return this.#createAppCredential(req, decodeURIComponent(ac[1] ?? ''));
    return keystoneError(404, 'Could not find the requested resource.');
  }

  #authenticate(req: SimRequest): SimResponse {
    let body: unknown;
    try {
      body = jsonBody(req);
    } catch {
      return badRequest('Malformed JSON in request body.');
    }
    const auth = isObject(body) ? body['auth'] : undefined;
    if (!isObject(auth) || !isObject(auth['identity'])) return badRequest("Expecting to find identity in auth.");
    const result = this.#identify(auth['identity'], auth['scope']);
    if ('error' in result) return result.error;
    const t = this.#tokens.issue(result.ok);
    return json(201, tokenBody(t, this.#model.identity, this.#catalog, req.url.origin), { ...VARY, 'x-subject-token': t.id });
  }

  #identify(identity: Record<string, unknown>, scope: unknown): Auth {
    const methods = identity['methods'];
    if (!Array.isArray(methods) || methods.length === 0) return { error: badRequest("Expecting to find methods in identity.") };
    const method = String(methods[0]);
    let user: User | undefined;
    let fixedProject: string | null = null;
    let appCredentialId: string | null = null;
    let roles: string[] | null = null;
    if (method === 'password') {
      const u = isObject(identity['password']) ? identity['password']['user'] : undefined;
      if (!isObject(u)) return { error: badRequest('Expecting to find user in password.') };
      user = this.#findUser(u);
      if (!user || !user.enabled || u['password'] !== user.password) return { error: unauthorized() };
    } else if (method === 'application_credential') {
      const a = identity['application_credential'];
      if (!isObject(a)) return { error: badRequest('Expecting to find application_credential in identity.') };
      const ac = typeof a['id'] === 'string' ? this.#model.identity.appCredentials.get(a['id'])
        : [...this.#model.identity.appCredentials.values()].find((c) => c.name === a['name']
          && isObject(a['user']) && c.userId === this.#findUser(a['user'])?.id);
      if (!ac || a['secret'] !== ac.secret) return { error: unauthorized() };
      if (scope !== undefined) return { error: unauthorized() }; // app credentials carry their own scope
      user = this.#model.identity.users.get(ac.userId);
      fixedProject = ac.projectId;
      appCredentialId = ac.id;
      roles = ac.roles;
    } else if (method === 'token') {
      const t = this.#tokens.get(isObject(identity['token']) ? String(identity['token']['id']) : undefined);
      if (!t) return { error: unauthorized() };
      user = this.#model.identity.users.get(t.userId);
    } else {
      return { error: unauthorized() };
    }
    if (!user) return { error: unauthorized() };
    let projectId = fixedProject;
    if (projectId === null && scope !== undefined) {
      const p = isObject(scope) && isObject(scope['project']) ? scope['project'] : undefined;
      if (!p) return { error: unauthorized() }; // domain and system scopes are not simulated
      const domain = isObject(p['domain']) ? String(p['domain']['id'] ?? p['domain']['name']) : undefined;
      const project = typeof p['id'] === 'string' ? this.#model.identity.projects.get(p['id'])
        : this.#model.identity.project(String(p['name']), domain);
      if (!project) return { error: unauthorized() };
      projectId = project.id;
    }
    if (projectId !== null) {
      roles ??= this.#model.identity.rolesOn(user.id, projectId);
      if (roles.length === 0) return { error: unauthorized() };
    }
    return { ok: { userId: user.id, projectId, roles: roles ?? [], methods: [method], appCredentialId } };
  }

  #findUser(u: Record<string, unknown>): User | undefined {
    if (typeof u['id'] === 'string') return this.#model.identity.users.get(u['id']);
    const d = isObject(u['domain']) ? u['domain']['id'] ?? u['domain']['name'] : undefined;
    if (typeof u['name'] !== 'string' || typeof d !== 'string') return undefined;
    return this.#model.identity.user(u['name'], d);
  }

  #validate(req: SimRequest): SimResponse {
    if (!this.#tokens.get(header(req, 'x-auth-token'))) return unauthorized();
    const subject = this.#tokens.get(header(req, 'x-subject-token'));
    if (!subject) return keystoneError(404, 'Could not find token.');
    return json(200, tokenBody(subject, this.#model.identity, this.#catalog, req.url.origin), { ...VARY, 'x-subject-token': subject.id });
  }

  #createAppCredential(req: SimRequest, userId: string): SimResponse {
    const caller = this.#tokens.get(header(req, 'x-auth-token'));
    if (!caller) return unauthorized();
    if (caller.userId !== userId) return keystoneError(403, 'You are not authorized to perform the requested action.');
    let body: unknown;
    try {
      body = jsonBody(req);
    } catch {
      return badRequest('Malformed JSON in request body.');
    }
    const spec = isObject(body) ? body['application_credential'] : undefined;
    if (!isObject(spec) || typeof spec['name'] !== 'string') return badRequest("'name' is a required property.");
    const name = spec['name'];
    const id = this.#model.identity;
    if ([...id.appCredentials.values()].some((c) => c.userId === userId && c.name === name)) {
      return keystoneError(409, 'Conflict occurred attempting to store application_credential - Duplicate entry.');
    }
    if (!caller.projectId) return keystoneError(403, 'You are not authorized to perform the requested action.');
    const ac = id.addAppCredential({
      name, user: userId, project: caller.projectId, roles: caller.roles,
      secret: typeof spec['secret'] === 'string' ? spec['secret'] : undefined,
      description: typeof spec['description'] === 'string' ? spec['description'] : null,
    });
    return json(201, appCredentialBody(ac, id, req.root, true), VARY);
  }
}
