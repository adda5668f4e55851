import type { IdSource } from './ids.ts';

export interface Domain { id: string; name: string }
export interface User { id: string; name: string; domainId: string; password: string; enabled: boolean }
export interface Project { id: string; name: string; domainId: string }
export interface Role { id: string; name: string }
export interface AppCredential {
  id: string;
  name: string;
  description: string | null;
  userId: string;
  projectId: string;
  secret: string;
  roles: string[];
}

export interface UserOptions {
  id?: string;
  name: string;
  password: string;
  domain?: string; // domain id or name, default "default"
  /** project name or id -> role names */
  roles?: Record<string, string[]>;
}

// Keystone's users, projects, role assignments and application credentials.
export class IdentityModel {
  readonly domains = new Map<string, Domain>();
  readonly users = new Map<string, User>();
  readonly projects = new Map<string, Project>();
  readonly roles = new Map<string, Role>(); // by name
  readonly appCredentials = new Map<string, AppCredential>();
  readonly #assignments = new Map<string, Set<string>>(); // `${userId} ${projectId}` -> role names
  readonly #ids: IdSource;

  constructor(ids: IdSource) {
    this.#ids = ids;
    this.domains.set('default', { id: 'default', name: 'Default' });
    for (const r of ['admin', 'member', 'reader']) this.roles.set(r, { id: ids.hex(), name: r });
  }

  /** The default identity data: admin/admin-pw on project admin, demo/demo-pw on project demo. */
  addDefaults(): void {
    this.addProject({ name: 'admin' });
    this.addProject({ name: 'demo' });
    this.addUser({ name: 'admin', password: 'admin-pw', roles: { admin: ['admin', 'member', 'reader'] } });
    this.addUser({ name: 'demo', password: 'demo-pw', roles: { demo: ['member', 'reader'] } });
  }

  domain(idOrName: string): Domain | undefined {
    return this.domains.get(idOrName) ?? [...this.domains.values()].find((d) => d.name === idOrName);
  }

  addProject(opts: { id?: string; name: string; domain?: string }): Project {
    const domainId = this.#domainId(opts.domain);
    const p: Project = { id: opts.id ?? this.#ids.hex(), name: opts.name, domainId };
    this.projects.set(p.id, p);
    return p;
  }

  /** A project by id, or by name within a domain (id or name; default domain if omitted). */
  project(idOrName: string, domain?: string): Project | undefined {
    const byId = this.projects.get(idOrName);
    if (byId) return byId;
    const domainId = this.domain(domain ?? 'default')?.id;
    return [...this.projects.values()].find((p) => p.name === idOrName && p.domainId === domainId);
  }

  addUser(opts: UserOptions): User {
    const u: User = { id: opts.id ?? this.#ids.hex(), name: opts.name, domainId: this.#domainId(opts.domain),
      password: opts.password, enabled: true };
    this.users.set(u.id, u);
    for (const [project, roles] of Object.entries(opts.roles ?? {})) this.grant(u.id, project, roles);
    return u;
  }

  user(idOrName: string, domain?: string): User | undefined {
    const byId = this.users.get(idOrName);
    if (byId) return byId;
    const domainId = this.domain(domain ?? 'default')?.id;
    return [...this.users.values()].find((u) => u.name === idOrName && u.domainId === domainId);
  }

  grant(user: string, project: string, roles: string[]): void {
    const u = this.user(user);
    const p = this.project(project);
    if (!u || !p) throw new Error(`simulator: grant: unknown user ${user} or project ${project}`);
    for (const r of roles) if (!this.roles.has(r)) this.roles.set(r, { id: this.#ids.hex(), name: r });
    const key = `${u.id} ${p.id}`;
    const set = this.#assignments.get(key) ?? new Set<string>();
    for (const r of roles) set.add(r);
    this.#assignments.set(key, set);
  }

  rolesOn(userId: string, projectId: string): string[] {
    return [...(this.#assignments.get(`${userId} ${projectId}`) ?? [])];
  }

  addAppCredential(opts: { id?: string; name: string; user: string; project: string; secret?: string;
    roles?: string[]; description?: string | null }): AppCredential {
    const u = this.user(opts.user);
    const p = this.project(opts.project);
    if (!u || !p) throw new Error(`simulator: app credential: unknown user ${opts.user} or project ${opts.project}`);
    const ac: AppCredential = {
      id: opts.id ?? this.#ids.hex(), name: opts.name, description: opts.description ?? null,
      userId: u.id, projectId: p.id, secret: opts.secret ?? `secret-${this.#ids.hex()}`,
      roles: opts.roles ?? this.rolesOn(u.id, p.id),
    };
    this.appCredentials.set(ac.id, ac);
    return ac;
  }

  #domainId(domain: string | undefined): string {
    const d = this.domain(domain ?? 'default');
    if (!d) throw new Error(`simulator: unknown domain ${domain}`);
    return d.id;
  }
}
