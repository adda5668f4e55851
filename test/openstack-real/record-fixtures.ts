// Records real Keystone / Nova (Zed, fake driver) / Glance responses as JSON fixtures in
// test/fixtures/openstack-zed/, for every call the Instance-HA agents make.
// Run against a FRESH cloud (it boots servers, kills and evacuates compute1, live-migrates from compute2):
//   test/openstack-real/start.sh && node_modules/.bin/node test/openstack-real/record-fixtures.ts
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, "../fixtures/openstack-zed");
const STATE = process.env.IHAA_OS_STATE ?? "/tmp/ihaa-openstack";
const KS_ORIGIN = `http://127.0.0.1:${process.env.KS_PORT ?? "35000"}`;
const ADMIN_PASS = readFileSync(`${STATE}/secrets/admin`, "utf8").trim();
const TIMEOUT_MS = 30_000;
const MAX_MV = "2.93"; // Zed; checked against GET /v2.1/ below
const REDACTED = "<redacted>";

// ---------------------------------------------------------------- HTTP + recording

type Json = any;
type Service = "identity" | "compute" | "image";
interface Req {
  service: Service;
  method: string;
  path: string; // relative to `base`
  base?: string; // default: the catalog endpoint of `service`
  mv?: string | null; // compute microversion; null = send no microversion header
  legacyMv?: boolean; // send X-OpenStack-Nova-API-Version instead of OpenStack-API-Version
  body?: Json;
  raw?: Uint8Array<ArrayBuffer>; // non-JSON body (image upload)
  token?: string | null; // default: the admin token; null = none
}
interface Res { status: number; headers: Headers; body: Json; ms: number }

const endpoints: Record<Service, string> = { identity: `${KS_ORIGIN}/v3`, compute: "", image: "" };
let adminToken = "";
const secrets = new Set<string>([ADMIN_PASS]); // every value that must never reach a fixture
const written = new Set<string>();
const KEEP_HEADERS = ["content-type", "openstack-api-version", "x-openstack-nova-api-version",
  "x-subject-token", "location", "vary"];
const SECRET_KEYS = new Set(["password", "adminpass", "secret", "admin_password"]);

function mvHeaders(r: Req): Record<string, string> {
  if (r.service !== "compute" || r.mv === null || r.mv === undefined) return {};
  return r.legacyMv ? { "X-OpenStack-Nova-API-Version": r.mv } : { "OpenStack-API-Version": `compute ${r.mv}` };
}

async function call(r: Req): Promise<Res> {
  const url = (r.base ?? endpoints[r.service]) + r.path;
  const headers: Record<string, string> = { Accept: "application/json", ...mvHeaders(r) };
  const token = r.token === undefined ? adminToken : r.token;
  if (token) headers["X-Auth-Token"] = token;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (r.raw) { body = r.raw; headers["Content-Type"] = "application/octet-stream"; }
  else if (r.body !== undefined) { body = JSON.stringify(r.body); headers["Content-Type"] = "application/json"; }
  const t0 = performance.now();
  const resp = await fetch(url, { method: r.method, headers, body, redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await resp.text();
  const ms = Math.round(performance.now() - t0);
  let parsed: Json = text === "" ? null : text;
  if (text !== "" && (resp.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
  const subj = resp.headers.get("x-subject-token");
  if (subj) secrets.add(subj);
  return { status: resp.status, headers: resp.headers, body: parsed, ms };
}

// Replace values of password-like keys, and any known secret wherever it appears.
function redact(v: Json): Json {
  if (typeof v === "string") return secrets.has(v) ? REDACTED : v;
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === "object") {
    const o: Json = {};
    for (const [k, x] of Object.entries(v)) {
      if (SECRET_KEYS.has(k.toLowerCase()) && typeof x === "string") { secrets.add(x); o[k] = REDACTED; }
      else o[k] = redact(x);
    }
    return o;
  }
  return v;
}

function fixture(r: Req, res: Res): Json {
  const headers: Record<string, string> = {};
  for (const h of KEEP_HEADERS) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = h === "x-subject-token" ? REDACTED : v;
  }
  return {
    request: {
      service: r.service,
      method: r.method,
      endpoint: r.base ?? endpoints[r.service],
      path: r.path,
      microversion: r.service === "compute" ? (r.mv ?? null) : null,
      headers: mvHeaders(r),
      body: r.raw ? "<binary>" : redact(r.body ?? null),
    },
    response: { status: res.status, headers, body: redact(res.body) },
  };
}

function save(name: string, data: Json): void {
  if (written.has(name)) throw new Error(`fixture name used twice: ${name}`);
  written.add(name);
  writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(data, null, 2) + "\n");
}

// Make the call, check the status, write the fixture, return the response.
async function rec(name: string, r: Req, expect?: number | number[]): Promise<Res> {
  const res = await call(r);
  const ok = expect === undefined || (Array.isArray(expect) ? expect : [expect]).includes(res.status);
  console.log(`${ok ? "  " : "!!"} ${res.status} ${r.method} ${r.path} mv=${r.mv ?? "-"} -> ${name} (${res.ms} ms)`);
  save(name, fixture(r, res));
  if (!ok) throw new Error(`${name}: expected ${expect}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

// A call we need but do not record (set-up); fails on an unexpected status.
async function must(r: Req, expect: number | number[] = [200, 201, 202, 204]): Promise<Json> {
  const res = await call(r);
  if (!(Array.isArray(expect) ? expect : [expect]).includes(res.status))
    throw new Error(`${r.method} ${r.path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const nova = (method: string, p: string, mv: string | null, body?: Json): Req =>
  ({ service: "compute", method, path: p, mv, body });
// a server id by name (fails loudly rather than sending "undefined" to Nova)
function sid(ids: Record<string, string>, name: string): string {
  const id = ids[name];
  if (!id) throw new Error(`no server ${name}`);
  return id;
}
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timeout waiting for ${what}`);
    await sleep(250);
  }
}

function computeSh(action: string, host: string): void {
  execFileSync("bash", [path.join(HERE, "compute.sh"), action, host],
    { stdio: "inherit", timeout: 60_000, env: { ...process.env, IHAA_OS_STATE: STATE } });
}

// ---------------------------------------------------------------- the recording

const measurements: Json = { evacuations: [], liveMigrations: [], liveMigrationsRefusedAfterAccept: [] };

async function keystone(): Promise<{ userId: string; projectId: string }> {
  console.log("== keystone");
  await rec("keystone-versions-root", { service: "identity", method: "GET", base: KS_ORIGIN, path: "/", token: null }, 300);
  await rec("keystone-version-v3", { service: "identity", method: "GET", base: KS_ORIGIN, path: "/v3", token: null }, 200);
  const byName = { auth: { identity: { methods: ["password"], password: { user: {
    name: "admin", domain: { name: "Default" }, password: ADMIN_PASS } } },
  scope: { project: { name: "admin", domain: { name: "Default" } } } } };
  const r = await rec("keystone-auth-password-project-by-name",
    { service: "identity", method: "POST", path: "/auth/tokens", body: byName, token: null }, 201);
  adminToken = r.headers.get("x-subject-token")!;
  const tok = r.body.token;
  const ep = (type: string) => tok.catalog.find((s: Json) => s.type === type)
    .endpoints.find((e: Json) => e.interface === "public").url.replace(/\/$/, "");
  endpoints.compute = ep("compute");
  endpoints.image = ep("image");
  const userId = tok.user.id, projectId = tok.project.id;
  const byId = { auth: { identity: { methods: ["password"], password: { user: { id: userId, password: ADMIN_PASS } } },
    scope: { project: { id: projectId } } } };
  await rec("keystone-auth-password-project-by-id",
    { service: "identity", method: "POST", path: "/auth/tokens", body: byId, token: null }, 201);
  const wrong = structuredClone(byName);
  wrong.auth.identity.password.user.password = "wrong-" + ADMIN_PASS.slice(0, 4);
  await rec("keystone-auth-wrong-password",
    { service: "identity", method: "POST", path: "/auth/tokens", body: wrong, token: null }, 401);
  // application credential: created by the admin user for itself, then used to authenticate
  const ac = await rec("keystone-application-credential-create", { service: "identity", method: "POST",
    path: `/users/${userId}/application_credentials`,
    body: { application_credential: { name: "ihaa-fence", description: "instance-ha agents fixture" } } }, 201);
  const acBody = { auth: { identity: { methods: ["application_credential"],
    application_credential: { id: ac.body.application_credential.id, secret: ac.body.application_credential.secret } } } };
  secrets.add(ac.body.application_credential.secret);
  await rec("keystone-auth-application-credential",
    { service: "identity", method: "POST", path: "/auth/tokens", body: acBody, token: null }, 201);
  return { userId, projectId };
}

async function novaVersions(): Promise<void> {
  console.log("== nova versions");
  const origin = new URL(endpoints.compute).origin;
  await rec("nova-versions-root", { service: "compute", method: "GET", base: origin, path: "/", mv: null, token: null }, 200);
  const v = await rec("nova-version-v2.1", { service: "compute", method: "GET", base: origin, path: "/v2.1/", mv: null, token: null }, 200);
  if (v.body.version.version !== MAX_MV) throw new Error(`max microversion is ${v.body.version.version}, script expects ${MAX_MV}`);
  await rec("nova-version-v2.1-no-slash", { service: "compute", method: "GET", base: origin, path: "/v2.1", mv: null, token: null });
  await rec("nova-microversion-unsupported-9.99", nova("GET", "/os-services?binary=nova-compute", "9.99"), 406);
  await rec("nova-microversion-unsupported-2.94", nova("GET", "/os-services?binary=nova-compute", "2.94"), 406);
  await rec("nova-services-list-latest", nova("GET", "/os-services?binary=nova-compute", "latest"), 200);
}

async function services(): Promise<Record<string, string>> {
  console.log("== services");
  const q = "/os-services?binary=nova-compute";
  await rec("nova-services-list-no-microversion", nova("GET", q, null), 200);
  await rec("nova-services-list-2.1", nova("GET", q, "2.1"), 200);
  await rec("nova-services-list-2.11", nova("GET", q, "2.11"), 200);
  await rec("nova-services-list-2.11-legacy-header", { ...nova("GET", q, "2.11"), legacyMv: true }, 200);
  const l = await rec("nova-services-list-2.53", nova("GET", q, "2.53"), 200);
  await rec("nova-services-list-host-compute1-2.11", nova("GET", `${q}&host=compute1`, "2.11"), 200);
  await rec("nova-services-list-host-compute1-2.53", nova("GET", `${q}&host=compute1`, "2.53"), 200);
  await rec("nova-services-list-unknown-host-2.53", nova("GET", `${q}&host=no-such-host`, "2.53"), 200);
  return Object.fromEntries(l.body.services.map((s: Json) => [s.host, s.id]));
}

async function hypervisorsAndAggregates(): Promise<void> {
  console.log("== hypervisors, aggregates");
  await rec("nova-hypervisors-detail-2.1", nova("GET", "/os-hypervisors/detail", "2.1"), 200);
  await rec("nova-hypervisors-detail-2.53", nova("GET", "/os-hypervisors/detail", "2.53"), 200);
  await rec(`nova-hypervisors-detail-${MAX_MV}`, nova("GET", "/os-hypervisors/detail", MAX_MV), 200);
  const agg = (await must(nova("POST", "/os-aggregates", "2.1",
    { aggregate: { name: "ihaa-ha-computes", availability_zone: null } }))).aggregate;
  await must(nova("POST", `/os-aggregates/${agg.id}/action`, "2.1", { add_host: { host: "compute1" } }));
  await must(nova("POST", `/os-aggregates/${agg.id}/action`, "2.1",
    { set_metadata: { metadata: { evacuable: "true", "ha-policy": "evacuate" } } }));
  await rec("nova-aggregates-list-2.1", nova("GET", "/os-aggregates", "2.1"), 200);
  await rec(`nova-aggregates-list-${MAX_MV}`, nova("GET", "/os-aggregates", MAX_MV), 200);
}

interface Images { evac: string; evac2: string; plain: string; prop: string }
async function images(): Promise<Images> {
  console.log("== glance images");
  const data = new Uint8Array(65536); // FakeDriver never reads it; raw is the format it advertises
  const mk = async (name: string, tags: string[], extra: Json = {}): Promise<string> => {
    const img = await must({ service: "image", method: "POST", path: "/v2/images", body: {
      name, disk_format: "raw", container_format: "bare", visibility: "public", tags, ...extra } }, 201);
    await must({ service: "image", method: "PUT", path: `/v2/images/${img.id}/file`, raw: data }, 204);
    return img.id;
  };
  const ids: Images = {
    evac: await mk("ihaa-evacuable", ["evacuable"]),
    plain: await mk("ihaa-plain", []),
    // a Glance *property* evacuable=true is not the tag: the reference agent ignores it
    prop: await mk("ihaa-property-only", [], { evacuable: "true" }),
    evac2: await mk("ihaa-evacuable-2", ["evacuable", "other-tag"]),
  };
  const p1 = await rec("glance-images-list-limit2-page1", { service: "image", method: "GET", path: "/v2/images?limit=2" }, 200);
  let next = p1.body.next;
  for (let page = 2; next; page++) {
    const p = await rec(`glance-images-list-limit2-page${page}`, { service: "image", method: "GET", path: next }, 200);
    next = p.body.next;
  }
  await rec("glance-images-list-default", { service: "image", method: "GET", path: "/v2/images" }, 200);
  await rec("glance-image-show-tagged", { service: "image", method: "GET", path: `/v2/images/${ids.evac}` }, 200);
  await rec("glance-image-show-not-found", { service: "image", method: "GET",
    path: "/v2/images/00000000-0000-4000-8000-000000000000" }, 404);
  return ids;
}

interface Flavors { evac: string; plain: string; privEvac: string; privPlain: string }
async function flavors(projectId: string): Promise<Flavors> {
  console.log("== flavors");
  // private flavors: access for our project, except ihaa.private-plain (shows what the default filter hides)
  const mk = async (name: string, isPublic: boolean, specs: Json, access = true): Promise<string> => {
    const f = (await must(nova("POST", "/flavors", "2.55", { flavor: { name, ram: 64, vcpus: 1, disk: 1,
      "os-flavor-access:is_public": isPublic, description: `fixture flavor ${name}` } }))).flavor;
    if (Object.keys(specs).length)
      await must(nova("POST", `/flavors/${f.id}/os-extra_specs`, "2.1", { extra_specs: specs }));
    if (!isPublic && access) await must(nova("POST", `/flavors/${f.id}/action`, "2.1", { addTenantAccess: { tenant: projectId } }));
    return f.id;
  };
  const ids: Flavors = {
    evac: await mk("ihaa.evacuable", true, { evacuable: "true" }),
    plain: await mk("ihaa.plain", true, { "hw:cpu_policy": "shared" }),
    privEvac: await mk("ihaa.private-evacuable", false, { evacuable: "true" }),
    privPlain: await mk("ihaa.private-plain", false, {}, false),
  };
  await rec("nova-flavors-detail-is_public-None-2.1", nova("GET", "/flavors/detail?is_public=None", "2.1"), 200);
  await rec(`nova-flavors-detail-is_public-None-${MAX_MV}`, nova("GET", "/flavors/detail?is_public=None", MAX_MV), 200);
  await rec("nova-flavors-detail-is_public-false-2.1", nova("GET", "/flavors/detail?is_public=false", "2.1"), 200);
  await rec("nova-flavors-detail-default-2.1", nova("GET", "/flavors/detail", "2.1"), 200);
  await rec("nova-flavor-extra-specs-evacuable", nova("GET", `/flavors/${ids.evac}/os-extra_specs`, "2.1"), 200);
  await rec("nova-flavor-extra-specs-other", nova("GET", `/flavors/${ids.plain}/os-extra_specs`, "2.1"), 200);
  await rec("nova-flavor-extra-specs-empty", nova("GET", `/flavors/${ids.privPlain}/os-extra_specs`, "2.1"), 200);
  return ids;
}

async function bootServers(img: Images, fl: Flavors): Promise<Record<string, string>> {
  console.log("== boot servers on compute1");
  // name -> [image, flavor]; 10 servers so that limit=2 gives 5 full pages and an empty 6th
  const plan: Record<string, [string, string]> = {
    "ihaa-evac-image": [img.evac, fl.plain],
    "ihaa-evac-flavor": [img.plain, fl.evac],
    "ihaa-private-evac-flavor": [img.plain, fl.privEvac],
    "ihaa-evac-both": [img.evac2, fl.evac],
    "ihaa-property-image": [img.prop, fl.plain],
    "ihaa-double-evacuate": [img.evac, fl.evac],
    "ihaa-untagged-1": [img.plain, fl.plain],
    "ihaa-untagged-2": [img.plain, fl.plain],
    "ihaa-paused": [img.plain, fl.plain], // evacuate -> 409 (vm_state paused)
    "ihaa-stopped": [img.evac, fl.plain], // evacuated while SHUTOFF: stays SHUTOFF
  };
  const ids: Record<string, string> = {};
  const t0 = Date.now();
  for (const [name, [imageRef, flavorRef]] of Object.entries(plan)) {
    const s = await must(nova("POST", "/servers", "2.37", { server: { name, imageRef, flavorRef,
      networks: "none", availability_zone: "nova:compute1", metadata: { fixture: "ihaa" } } }), 202);
    ids[name] = s.server.id;
  }
  await waitFor("servers ACTIVE", 120_000, async () => {
    const l = await must(nova("GET", "/servers/detail?all_tenants=1", "2.1"));
    const bad = l.servers.find((s: Json) => s.status === "ERROR");
    if (bad) throw new Error(`server ${bad.name} went to ERROR: ${JSON.stringify(bad.fault)}`);
    return l.servers.length === 10 && l.servers.every((s: Json) => s.status === "ACTIVE") ? true : undefined;
  });
  measurements.boot10ServersMs = Date.now() - t0;
  await must(nova("POST", `/servers/${ids["ihaa-paused"]}/action`, "2.1", { pause: null }), 202);
  await must(nova("POST", `/servers/${ids["ihaa-stopped"]}/action`, "2.1", { "os-stop": null }), 202);
  for (const [name, want] of [["ihaa-paused", "PAUSED"], ["ihaa-stopped", "SHUTOFF"]] as const)
    await waitFor(`${name} ${want}`, 60_000, async () => {
      const s = (await must(nova("GET", `/servers/${ids[name]}`, "2.1"))).server;
      return s.status === want && s["OS-EXT-STS:task_state"] === null ? true : undefined;
    });
  return ids;
}

async function serverLists(): Promise<void> {
  console.log("== server lists");
  const q = "/servers/detail?all_tenants=1&host=compute1";
  // the reference agent's exact call (no limit) at its pinned 2.11
  await rec("nova-servers-detail-host-compute1-2.11", nova("GET", q, "2.11"), 200);
  for (const mv of ["2.1", "2.47", MAX_MV]) {
    let p = `${q}&limit=2`;
    for (let page = 1; p; page++) {
      const r = await rec(`nova-servers-detail-host-compute1-limit2-page${page}-${mv}`, nova("GET", p, mv), 200);
      const next = (r.body.servers_links ?? []).find((l: Json) => l.rel === "next");
      p = next ? next.href.slice(endpoints.compute.length) : "";
      if (mv !== "2.1" && page === 2) break; // the whole chain once is enough
    }
  }
}

async function serviceToggles(svc: Record<string, string>): Promise<void> {
  console.log("== service force-down / disable / enable (compute3, at old microversions)");
  const host = { host: "compute3", binary: "nova-compute" };
  await rec("nova-service-force-down-true-2.11", nova("PUT", "/os-services/force-down", "2.11", { ...host, forced_down: true }), 200);
  await rec("nova-services-list-host-compute3-forced-down-2.11",
    nova("GET", "/os-services?binary=nova-compute&host=compute3", "2.11"), 200);
  await rec("nova-service-force-down-false-2.11", nova("PUT", "/os-services/force-down", "2.11", { ...host, forced_down: false }), 200);
  await rec("nova-service-disable-2.1", nova("PUT", "/os-services/disable", "2.1", host), 200);
  await rec("nova-service-disable-log-reason-2.1", nova("PUT", "/os-services/disable-log-reason", "2.1",
    { ...host, disabled_reason: "fixture: disable-log-reason at 2.1" }), 200);
  await rec("nova-services-list-host-compute3-disabled-2.1",
    nova("GET", "/os-services?binary=nova-compute&host=compute3", "2.1"), 200);
  await rec("nova-service-enable-2.1", nova("PUT", "/os-services/enable", "2.1", host), 200);
  // what the old and new forms give at the wrong microversion
  await rec("nova-service-force-down-at-2.1-error", nova("PUT", "/os-services/force-down", "2.1", { ...host, forced_down: true }));
  await rec("nova-service-update-uuid-at-2.1-error", nova("PUT", `/os-services/${svc.compute3}`, "2.1", { forced_down: true }));
  await rec("nova-service-force-down-at-2.53-error", nova("PUT", "/os-services/force-down", "2.53", { ...host, forced_down: true }));
  await rec("nova-service-update-unknown-uuid-2.53",
    nova("PUT", "/os-services/00000000-0000-4000-8000-000000000000", "2.53", { forced_down: true }), 404);
  await rec("nova-service-update-enabled-with-reason-2.53-error",
    nova("PUT", `/os-services/${svc.compute3}`, "2.53", { status: "enabled", disabled_reason: "not allowed" }), 400);
  await rec("nova-services-list-compute3-restored-2.53",
    nova("GET", "/os-services?binary=nova-compute&host=compute3", "2.53"), 200);
}

// POST evacuate, then poll GET /servers/{id} back to back and keep the state transitions.
async function evacuate(label: string, id: string, mv: string, body: Json, name: string): Promise<void> {
  const t0 = performance.now();
  await rec(`nova-server-evacuate-${label}`, nova("POST", `/servers/${id}/action`, mv, { evacuate: body }), 200);
  const postMs = Math.round(performance.now() - t0);
  const transitions: Json[] = [];
  let last = "", first = true, polls = 0, sawDoneOnOldHost = false;
  for (;;) {
    const r = await call(nova("GET", `/servers/${id}`, mv));
    polls++;
    const s = r.body.server;
    const ms = Math.round(performance.now() - t0);
    const state = { status: s.status, vm_state: s["OS-EXT-STS:vm_state"], task_state: s["OS-EXT-STS:task_state"],
      host: s["OS-EXT-SRV-ATTR:host"] };
    const key = JSON.stringify(state);
    if (key !== last) { transitions.push({ ms, ...state }); last = key; }
    if (first) { save(`nova-server-show-evacuate-${label}-first-poll`, fixture(nova("GET", `/servers/${id}`, mv), r)); first = false; }
    const settled = state.task_state === null && ["ACTIVE", "SHUTOFF", "ERROR"].includes(state.status);
    // Nova clears task_state (and sets ACTIVE) *before* it moves the host: keep one such snapshot
    if (settled && state.host === "compute1" && state.status !== "ERROR" && !sawDoneOnOldHost) {
      save(`nova-server-show-evacuate-${label}-settled-on-old-host`, fixture(nova("GET", `/servers/${id}`, mv), r));
      sawDoneOnOldHost = true;
    }
    if (settled && (state.host !== "compute1" || state.status === "ERROR")) {
      save(`nova-server-show-evacuate-${label}-final`, fixture(nova("GET", `/servers/${id}`, mv), r));
      measurements.evacuations.push({ label, server: name, microversion: mv, body, postMs, doneMs: ms, polls, transitions });
      console.log(`   ${name}: ${transitions.map((t) => `${t.ms}ms ${t.status}/${t.task_state}/${t.host}`).join(" -> ")}`);
      if (state.status === "ERROR") throw new Error(`evacuation of ${name} ended in ERROR`);
      return;
    }
    if (ms > 120_000) throw new Error(`evacuation of ${name} did not finish`);
  }
}

async function evacuations(srv: Record<string, string>, svc: Record<string, string>): Promise<void> {
  console.log("== evacuate refused while compute1 is up");
  await rec("nova-server-evacuate-host-up-error-2.93",
    nova("POST", `/servers/${sid(srv, "ihaa-evac-image")}/action`, MAX_MV, { evacuate: {} }), 400);

  console.log("== crash compute1, force it down and disable it (2.53 form)");
  computeSh("kill", "compute1");
  const c1 = `/os-services/${svc.compute1}`;
  await rec("nova-service-force-down-true-2.53", nova("PUT", c1, "2.53", { forced_down: true }), 200);
  await rec("nova-service-disable-with-reason-2.53",
    nova("PUT", c1, "2.53", { status: "disabled", disabled_reason: "fenced by instance-ha fixture" }), 200);
  await rec("nova-services-list-after-force-down-2.53", nova("GET", "/os-services?binary=nova-compute", "2.53"), 200);
  await rec("nova-services-list-host-compute1-after-force-down-2.11",
    nova("GET", "/os-services?binary=nova-compute&host=compute1", "2.11"), 200);
  await rec("nova-hypervisors-detail-after-force-down-2.53", nova("GET", "/os-hypervisors/detail", "2.53"), 200);

  console.log("== evacuate errors that are schema / microversion checks");
  const s6 = sid(srv, "ihaa-untagged-1");
  await rec("nova-server-evacuate-2.1-missing-onSharedStorage-error",
    nova("POST", `/servers/${s6}/action`, "2.1", { evacuate: {} }), 400);
  await rec("nova-server-evacuate-2.14-onSharedStorage-error",
    nova("POST", `/servers/${s6}/action`, "2.14", { evacuate: { onSharedStorage: false } }), 400);
  await rec("nova-server-evacuate-2.68-force-error",
    nova("POST", `/servers/${s6}/action`, "2.68", { evacuate: { force: true } }), 400);
  await rec("nova-server-evacuate-2.95-unsupported",
    nova("POST", `/servers/${s6}/action`, "2.95", { evacuate: {} }), 406);
  await rec("nova-server-evacuate-unknown-server-2.93",
    nova("POST", "/servers/00000000-0000-4000-8000-000000000000/action", MAX_MV, { evacuate: {} }), 404);

  console.log("== evacuations");
  await evacuate("2.1-onSharedStorage-false", sid(srv, "ihaa-evac-image"), "2.1", { onSharedStorage: false }, "ihaa-evac-image");
  await evacuate("2.14", sid(srv, "ihaa-evac-flavor"), "2.14", {}, "ihaa-evac-flavor");
  await evacuate("2.29-host-force", sid(srv, "ihaa-private-evac-flavor"), "2.29", { host: "compute2", force: true }, "ihaa-private-evac-flavor");
  await evacuate("2.68", sid(srv, "ihaa-evac-both"), "2.68", {}, "ihaa-evac-both");
  await evacuate(`${MAX_MV}`, sid(srv, "ihaa-property-image"), MAX_MV, {}, "ihaa-property-image");
  await evacuate(`${MAX_MV}-stopped-server`, sid(srv, "ihaa-stopped"), MAX_MV, {}, "ihaa-stopped");
  await rec("nova-server-evacuate-paused-error-2.93",
    nova("POST", `/servers/${sid(srv, "ihaa-paused")}/action`, MAX_MV, { evacuate: {} }), 409);
  // A second evacuate sent right after the first was accepted. Zed does not refuse it
  // (evacuate accepts any task_state); the two rebuilds race. Record what happens.
  const dbl = sid(srv, "ihaa-double-evacuate");
  await must(nova("POST", `/servers/${dbl}/action`, MAX_MV, { evacuate: {} }), 200);
  await rec("nova-server-evacuate-while-evacuating-2.93",
    nova("POST", `/servers/${dbl}/action`, MAX_MV, { evacuate: {} }), [200, 400, 409]);
  let prev = "", stableSince = Date.now();
  await waitFor("double-evacuated server to settle", 60_000, async () => {
    const s = (await must(nova("GET", `/servers/${dbl}`, MAX_MV))).server;
    const k = JSON.stringify([s.status, s["OS-EXT-STS:vm_state"], s["OS-EXT-STS:task_state"], s["OS-EXT-SRV-ATTR:host"]]);
    if (k !== prev) { prev = k; stableSince = Date.now(); }
    return Date.now() - stableSince > 5000 ? true : undefined;
  });
  measurements.doubleEvacuateOutcome = JSON.parse(prev);
  await rec("nova-server-show-after-double-evacuate-2.93", nova("GET", `/servers/${dbl}`, MAX_MV), 200);
  await rec("nova-migrations-instance-after-double-evacuate-2.59",
    nova("GET", `/os-migrations?instance_uuid=${dbl}`, "2.59"), 200);
  await rec("nova-server-evacuate-host-up-after-evacuation-error-2.93",
    nova("POST", `/servers/${sid(srv, "ihaa-evac-flavor")}/action`, MAX_MV, { evacuate: {} }), 400);
  await rec("nova-servers-detail-host-compute1-after-evacuation-2.93",
    nova("GET", "/servers/detail?all_tenants=1&host=compute1", MAX_MV), 200);
}

async function migrations(tag: string): Promise<void> {
  const f = "?host=compute1&migration_type=evacuation";
  for (const mv of ["2.1", "2.23", "2.59", MAX_MV])
    await rec(`nova-migrations-host-compute1-evacuation-${tag}-${mv}`, nova("GET", `/os-migrations${f}`, mv), 200);
  if (tag === "done") {
    await rec("nova-migrations-all-2.1", nova("GET", "/os-migrations", "2.1"), 200);
    await rec("nova-migrations-limit2-2.59", nova("GET", `/os-migrations${f}&limit=2`, "2.59"), 200);
  }
}

async function restore(svc: Record<string, string>): Promise<void> {
  console.log("== restart compute1, unset force-down, enable (2.53 form)");
  const t0 = performance.now();
  computeSh("start", "compute1");
  const c1 = `/os-services/${svc.compute1}`;
  // Nova refuses to un-force a host while `done` evacuation migrations name it as source:
  // only the restarted nova-compute moves them to `completed` (while still forced down).
  await rec("nova-service-force-down-false-before-cleanup-error-2.53", nova("PUT", c1, "2.53", { forced_down: false }), [200, 400]);
  await rec("nova-service-force-down-false-before-cleanup-error-2.11", nova("PUT", "/os-services/force-down", "2.11",
    { host: "compute1", binary: "nova-compute", forced_down: false }), [200, 400]);
  await waitFor("evacuations from compute1 completed", 120_000, async () => {
    const m = (await must(nova("GET", "/os-migrations?host=compute1&migration_type=evacuation", "2.59"))).migrations;
    return m.some((x: Json) => x.status === "done") ? undefined : true;
  });
  measurements.restartToMigrationsCompletedMs = Math.round(performance.now() - t0);
  await rec("nova-service-force-down-false-2.53", nova("PUT", c1, "2.53", { forced_down: false }), 200);
  await rec("nova-service-enable-2.53", nova("PUT", c1, "2.53", { status: "enabled" }), 200);
  await rec("nova-services-list-right-after-restore-2.53", nova("GET", "/os-services?binary=nova-compute", "2.53"), 200);
  await waitFor("compute1 up", 120_000, async () => {
    const s = (await must(nova("GET", "/os-services?binary=nova-compute&host=compute1", "2.53"))).services[0];
    return s.state === "up" ? true : undefined;
  });
  measurements.restartToUpMs = Math.round(performance.now() - t0);
  await rec("nova-services-list-after-restore-2.53", nova("GET", "/os-services?binary=nova-compute", "2.53"), 200);
}

// ---------------------------------------------------------------- live migration (all computes up)

// POST os-migrateLive, then poll the server and the live migrations of compute2 together and keep
// the transitions: the server moves (task_state null) before the migration is `completed`.
async function liveMigrate(label: string, id: string, mv: string, body: Json, name: string, also?: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await rec(`nova-server-live-migrate-${label}`, nova("POST", `/servers/${id}/action`, mv, { "os-migrateLive": body }), 202);
  const postMs = Math.round(performance.now() - t0);
  if (also) await also();
  const transitions: Json[] = [];
  const list = "/os-migrations?host=compute2&migration_type=live-migration";
  let last = "", first = true, polls = 0, movedMs: number | undefined;
  for (;;) {
    const [r, l] = await Promise.all([call(nova("GET", `/servers/${id}`, mv)), call(nova("GET", list, MAX_MV))]);
    polls++;
    const s = r.body.server;
    const m = l.body.migrations.find((x: Json) => x.instance_uuid === id);
    const ms = Math.round(performance.now() - t0);
    const state = { status: s.status, vm_state: s["OS-EXT-STS:vm_state"], task_state: s["OS-EXT-STS:task_state"],
      host: s["OS-EXT-SRV-ATTR:host"], migration: m?.status ?? null, dest: m?.dest_compute ?? null };
    const key = JSON.stringify(state);
    if (key !== last) { transitions.push({ ms, ...state }); last = key; }
    if (first) { save(`nova-server-show-live-migrate-${label}-first-poll`, fixture(nova("GET", `/servers/${id}`, mv), r)); first = false; }
    if (label === MAX_MV && ["queued", "preparing", "running"].includes(m?.status) && !written.has(`nova-migrations-host-compute2-live-migration-in-progress-${MAX_MV}`))
      save(`nova-migrations-host-compute2-live-migration-in-progress-${MAX_MV}`, fixture(nova("GET", list, MAX_MV), l));
    if (state.task_state === null && state.host !== "compute2" && movedMs === undefined) {
      movedMs = ms;
      save(`nova-server-show-live-migrate-${label}-final`, fixture(nova("GET", `/servers/${id}`, mv), r));
    }
    if (["completed", "error", "failed"].includes(m?.status) && (movedMs !== undefined || state.task_state === null)) {
      measurements.liveMigrations.push({ label, server: name, microversion: mv, body, postMs, movedMs, doneMs: ms, polls, transitions });
      console.log(`   ${name}: ${transitions.map((t) => `${t.ms}ms ${t.status}/${t.task_state}/${t.host} ${t.migration}`).join(" -> ")}`);
      if (m.status !== "completed" || movedMs === undefined) throw new Error(`live migration of ${name} ended ${m.status} on ${state.host}`);
      return;
    }
    if (ms > 120_000) throw new Error(`live migration of ${name} did not finish`);
  }
}

// A live migration Nova accepts (202) and its conductor then refuses: the server settles where it was.
async function liveMigrateRefusedLater(label: string, id: string, body: Json): Promise<void> {
  const t0 = performance.now();
  await rec(`nova-server-live-migrate-${label}`, nova("POST", `/servers/${id}/action`, MAX_MV, { "os-migrateLive": body }), 202);
  const r = await waitFor(`${label} settled`, 60_000, async () => {
    const x = await call(nova("GET", `/servers/${id}`, MAX_MV));
    return x.body.server["OS-EXT-STS:task_state"] === null ? x : undefined;
  });
  save(`nova-server-show-live-migrate-${label}-final`, fixture(nova("GET", `/servers/${id}`, MAX_MV), r));
  measurements.liveMigrationsRefusedAfterAccept.push({ label, body, settledMs: Math.round(performance.now() - t0),
    host: r.body.server["OS-EXT-SRV-ATTR:host"], status: r.body.server.status });
}

async function liveMigrations(img: Images, fl: Flavors, svc: Record<string, string>): Promise<void> {
  console.log("== live migration: servers on compute2; compute1 disabled, so the scheduler's only choice is compute3");
  const enable = (h: string) => must(nova("PUT", `/os-services/${svc[h]}`, "2.53", { status: "enabled" }));
  const disable = (h: string) => must(nova("PUT", `/os-services/${svc[h]}`, "2.53",
    { status: "disabled", disabled_reason: "fixture: live migration" }));
  await disable("compute1");
  const names = ["ihaa-live-2.93", "ihaa-live-2.68", "ihaa-live-2.30", "ihaa-live-2.25", "ihaa-live-2.1", "ihaa-live-paused",
    "ihaa-live-stopped", "ihaa-live-refused"];
  const ids: Record<string, string> = {};
  for (const name of names) {
    const s = await must(nova("POST", "/servers", "2.37", { server: { name, imageRef: img.plain, flavorRef: fl.plain,
      networks: "none", availability_zone: "nova:compute2", metadata: { fixture: "ihaa" } } }), 202);
    ids[name] = s.server.id;
  }
  await waitFor("live-migration servers ACTIVE", 120_000, async () => {
    const l = await must(nova("GET", "/servers/detail?all_tenants=1&host=compute2", "2.1"));
    const mine = l.servers.filter((s: Json) => names.includes(s.name));
    if (mine.some((s: Json) => s.status === "ERROR")) throw new Error("a live-migration server went to ERROR");
    return mine.length === names.length && mine.every((s: Json) => s.status === "ACTIVE") ? true : undefined;
  });
  await must(nova("POST", `/servers/${sid(ids, "ihaa-live-paused")}/action`, "2.1", { pause: null }), 202);
  await must(nova("POST", `/servers/${sid(ids, "ihaa-live-stopped")}/action`, "2.1", { "os-stop": null }), 202);
  for (const [name, want] of [["ihaa-live-paused", "PAUSED"], ["ihaa-live-stopped", "SHUTOFF"]] as const)
    await waitFor(`${name} ${want}`, 60_000, async () => {
      const s = (await must(nova("GET", `/servers/${sid(ids, name)}`, "2.1"))).server;
      return s.status === want && s["OS-EXT-STS:task_state"] === null ? true : undefined;
    });

  console.log("== live migration refused by the API (schema, state, host)");
  const r = sid(ids, "ihaa-live-refused");
  const act = (id: string) => `/servers/${id}/action`;
  const lm = (body: Json) => ({ "os-migrateLive": body });
  await rec("nova-server-live-migrate-2.93-missing-host-error", nova("POST", act(r), MAX_MV, lm({ block_migration: "auto" })), 400);
  await rec("nova-server-live-migrate-2.25-disk_over_commit-error",
    nova("POST", act(r), "2.25", lm({ host: null, block_migration: "auto", disk_over_commit: false })), 400);
  await rec("nova-server-live-migrate-2.68-force-error",
    nova("POST", act(r), "2.68", lm({ host: "compute3", block_migration: "auto", force: true })), 400);
  await rec("nova-server-live-migrate-2.1-auto-error",
    nova("POST", act(r), "2.1", lm({ host: null, block_migration: "auto", disk_over_commit: false })), 400);
  await rec("nova-server-live-migrate-2.30-force-without-host-error",
    nova("POST", act(r), "2.30", lm({ host: null, block_migration: "auto", force: true })), 400);
  await rec("nova-server-live-migrate-unknown-host-error-2.93", nova("POST", act(r), MAX_MV, lm({ host: "no-such-host", block_migration: "auto" })), 400);
  await rec("nova-server-live-migrate-unknown-server-2.93",
    nova("POST", act("00000000-0000-4000-8000-000000000000"), MAX_MV, lm({ host: null, block_migration: "auto" })), 404);
  await rec("nova-server-live-migrate-stopped-error-2.93",
    nova("POST", act(sid(ids, "ihaa-live-stopped")), MAX_MV, lm({ host: null, block_migration: "auto" })), 409);

  console.log("== live migration refused by the conductor: a 400 below 2.34, a 202 and a migration `error` from 2.34");
  await rec("nova-server-live-migrate-same-host-2.30-force-error",
    nova("POST", act(r), "2.30", lm({ host: "compute2", block_migration: "auto", force: true })), 400);
  await liveMigrateRefusedLater("same-host-2.93", r, { host: "compute2", block_migration: "auto" });
  await disable("compute3");
  await rec("nova-server-live-migrate-no-valid-host-2.33-error", nova("POST", act(r), "2.33", lm({ host: null, block_migration: "auto" })), 400);
  await liveMigrateRefusedLater("no-valid-host-2.93", r, { host: null, block_migration: "auto" });
  await enable("compute3");

  console.log("== live migrations, compute2 -> compute3");
  const s93 = sid(ids, "ihaa-live-2.93");
  await liveMigrate(MAX_MV, s93, MAX_MV, { host: null, block_migration: "auto" }, "ihaa-live-2.93", async () => {
    // a second request while the first runs: refused (unlike evacuate)
    await rec(`nova-server-live-migrate-while-migrating-error-${MAX_MV}`, nova("POST", act(s93), MAX_MV, lm({ host: null, block_migration: "auto" })), 409);
  });
  await liveMigrate("2.68-host", sid(ids, "ihaa-live-2.68"), "2.68", { host: "compute3", block_migration: "auto" }, "ihaa-live-2.68");
  await liveMigrate("2.30-host-force", sid(ids, "ihaa-live-2.30"), "2.30", { host: "compute3", block_migration: "auto", force: true }, "ihaa-live-2.30");
  await liveMigrate("2.25", sid(ids, "ihaa-live-2.25"), "2.25", { host: null, block_migration: false }, "ihaa-live-2.25");
  await liveMigrate("2.1", sid(ids, "ihaa-live-2.1"), "2.1", { host: null, block_migration: false, disk_over_commit: false }, "ihaa-live-2.1");
  await liveMigrate(`${MAX_MV}-paused-server`, sid(ids, "ihaa-live-paused"), MAX_MV, { host: null, block_migration: "auto" }, "ihaa-live-paused");

  const q = "/os-migrations?host=compute2&migration_type=live-migration";
  for (const mv of ["2.1", "2.23", "2.59", MAX_MV]) await rec(`nova-migrations-host-compute2-live-migration-${mv}`, nova("GET", q, mv), 200);
  await enable("compute1");
}

async function errors(): Promise<void> {
  console.log("== error shapes");
  await rec("nova-server-show-not-found-2.1", nova("GET", "/servers/00000000-0000-4000-8000-000000000000", "2.1"), 404);
  await rec("nova-servers-invalid-token", { ...nova("GET", "/servers", "2.1"), token: "not-a-valid-token" }, 401);
  await rec("nova-servers-no-token", { ...nova("GET", "/servers", "2.1"), token: null }, 401);
  await rec("glance-images-invalid-token", { service: "image", method: "GET", path: "/v2/images", token: "not-a-valid-token" }, 401);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.endsWith(".json")) rmSync(path.join(OUT, f));
  const t0 = Date.now();
  const { projectId } = await keystone();
  // refuse to run on a used cloud: the flow below needs compute1 up and no servers
  const existing = await must(nova("GET", "/servers?all_tenants=1", "2.1"));
  if (existing.servers.length) throw new Error("cloud is not fresh (servers exist): run start.sh first");
  await novaVersions();
  const svc = await services();
  if (!svc.compute1 || !svc.compute2 || !svc.compute3) throw new Error("need compute1..3");
  await hypervisorsAndAggregates();
  const img = await images();
  const fl = await flavors(projectId);
  const srv = await bootServers(img, fl);
  await serverLists();
  await serviceToggles(svc);
  await evacuations(srv, svc);
  await migrations("done");
  await restore(svc);
  await migrations("completed");
  await liveMigrations(img, fl, svc);
  await errors();
  measurements.totalMs = Date.now() - t0;
  save("_measurements", measurements);
  // last line of defence: no secret may appear anywhere in the fixtures
  for (const f of readdirSync(OUT).filter((x) => x.endsWith(".json"))) {
    const text = readFileSync(path.join(OUT, f), "utf8");
    for (const s of secrets) if (s.length >= 8 && text.includes(s)) throw new Error(`secret leaked into ${f}`);
  }
  console.log(`wrote ${written.size} files to ${OUT} in ${(measurements.totalMs / 1000).toFixed(1)} s`);
}

await main();
