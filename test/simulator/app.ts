import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog, CallRecord } from './calls.ts';
import { parseTarget } from './endpoints.ts';
import type { Target } from './endpoints.ts';
import type { FaultRule, Faults } from './faults.ts';
import { renameFields, type FieldRenames } from './fidelity-break.ts';
import { glanceError, handleGlance } from './glance.ts';
import { json } from './http-types.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import type { Keystone } from './keystone.ts';
import type { CloudModel } from './model.ts';
import { faultBody, novaError } from './nova/errors.ts';
import { handleNova } from './nova/index.ts';
import type { Microversion } from './nova/microversion.ts';
import type { LiveMigrator } from './live-migration.ts';
import type { Evacuator } from './rebuild.ts';
import type { Timers } from './timers.ts';
import type { TokenStore } from './tokens.ts';

export interface AppDeps {
  model: CloudModel;
  tokens: TokenStore;
  keystone: Keystone;
  evacuator: Evacuator;
  liveMigrator: LiveMigrator;
  calls: CallLog;
  faults: Faults;
  timers: Timers;
  scheme: 'http' | 'https';
  /** Added to an answer; inProgress counts the requests being handled, this one included. */
  latencyMs: (inProgress: number) => number;
  renameFields?: FieldRenames;
  maxMicroversion: () => Microversion;
}

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function dispatch(r: SimRequest, deps: AppDeps): SimResponse {
  switch (r.service) {
    case 'identity': return deps.keystone.handle(r);
    case 'image': return handleGlance(r, deps.model, deps.tokens);
    case 'compute': return handleNova(r, { model: deps.model, tokens: deps.tokens, evacuator: deps.evacuator, liveMigrator: deps.liveMigrator,
      maxMicroversion: deps.maxMicroversion, authUrl: (x) => `${x.url.origin}/identity` });
  }
}

/** The answer of a "status" fault, shaped like the service's own errors unless a body is given. */
function faultResponse(rule: FaultRule, target: Target | undefined): SimResponse {
  const status = rule.status ?? 500;
  if (rule.rawBody !== undefined) {
    return { status, rawBody: rule.rawBody, headers: { 'content-type': rule.contentType ?? 'text/html' } };
  }
  if (rule.body !== undefined) return json(status, rule.body);
  const message = status === 500 ? 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the '
    + "Nova API log if possible.\n<class 'Exception'>" : `Simulated fault (HTTP ${status})`;
  switch (target?.service) {
    case 'compute': return novaError(status, message);
    case 'image': return glanceError(status, message);
    case 'identity': return json(status, { error: { code: status, message, title: 'Error' } });
    default: return json(status, faultBody(status, message));
  }
}

function write(res: ServerResponse, r: SimResponse, trickleMs: number, timers: Timers): void {
  const payload = Buffer.from(r.rawBody ?? (r.body === undefined ? '' : JSON.stringify(r.body)));
  res.writeHead(r.status, { ...r.headers, 'content-length': String(payload.length) });
  if (trickleMs <= 0 || payload.length === 0) {
    res.end(payload);
    return;
  }
  res.flushHeaders();
  let i = 0;
  const tick = () => {
    if (res.destroyed) return;
    res.write(payload.subarray(i, i + 1));
    if (++i >= payload.length) res.end();
    else timers.after(trickleMs, tick);
  };
  tick();
}

// One request from arrival to answer: call log, fault rules, latency, service dispatch.
export function createRequestHandler(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const load = { inProgress: 0 };
  return (req, res) => {
    load.inProgress++;
    void handle(req, res, deps, load).finally(() => { load.inProgress--; }).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${e instanceof Error ? e.stack : String(e)}`);
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: AppDeps, load: { inProgress: number }): Promise<void> {
  // The call's interval starts at its arrival, before its body is read: `time` and `durationMs`
  // must span the same interval (the in-flight sweeps of the load tests add them up).
  const started = performance.now();
  const arrived = Date.now();
  const bodyText = await readBody(req);
  const url = new URL(req.url ?? '/', `${deps.scheme}://${req.headers.host ?? '127.0.0.1'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  const target = parseTarget(url.pathname);
  const rec: CallRecord = deps.calls.begin({
    time: arrived, method, path: url.pathname, apiPath: target?.rest ?? url.pathname,
    query: Object.fromEntries(url.searchParams), service: target?.service ?? null, region: target?.region ?? null,
    iface: target?.iface ?? null, bodyText,
  });
  const done = (status: number, microversion?: string) => {
    rec.status = status;
    rec.microversion = microversion ?? null;
    rec.durationMs = Math.round(performance.now() - started);
  };
  const rule = deps.faults.match(method, url.pathname + url.search, bodyText);
  rec.fault = rule?.kind ?? null;
  if (rule?.kind === 'reset') {
    done(0);
    req.socket.resetAndDestroy();
    return;
  }
  if (rule?.kind === 'hang') {
    done(0); // never answered; stop() or the client's timeout ends it
    return;
  }
  if (rule?.kind === 'delay') await deps.timers.sleep(rule.ms ?? 0);
  if (rule?.kind === 'expireToken') deps.tokens.revokeAll();
  await deps.timers.sleep(deps.latencyMs(load.inProgress));
  let response: SimResponse;
  if (rule?.kind === 'status') response = faultResponse(rule, target);
  else if (!target) response = json(404, { error: { code: 404, message: `No simulated service at ${url.pathname}` } });
  else {
    response = dispatch({ method, url, headers: req.headers, bodyText, service: target.service, region: target.region,
      iface: target.iface, root: url.origin + target.rootPath, path: target.rest }, deps);
  }
  if (deps.renameFields && response.body !== undefined) response = { ...response, body: renameFields(response.body, deps.renameFields) };
  done(response.status, response.microversion);
  // holdAnswer: the request took effect, but its answer comes late or never (a client killed or
  // timed out now cannot know that it did).
  if (rule?.kind === 'holdAnswer') {
    if (rule.ms === undefined) return;
    await deps.timers.sleep(rule.ms);
  }
  write(res, response, rule?.kind === 'trickle' ? rule.intervalMs ?? 100 : 0, deps.timers);
}
