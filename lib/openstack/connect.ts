import type { Logger } from '../log.ts';
import type { ParamValues } from '../params/types.ts';
import { buildAuthConfig } from './config.ts';
import { Glance } from './glance.ts';
import { HttpClient } from '../http.ts';
import { Keystone } from './keystone.ts';
import { Nova } from './nova.ts';
import { resolvePassword } from './password.ts';
import { ServiceEndpoint } from './service.ts';

export interface OpenStack {
  keystone: Keystone;
  nova: Nova;
  glance: Glance;
}

/** Clients for the agent's parameters; nothing is sent until the first call. */
export async function connectOpenStack(values: ParamValues, given: ReadonlySet<string>, env: NodeJS.ProcessEnv, log: Logger): Promise<OpenStack> {
  const password = await resolvePassword(values);
  const config = buildAuthConfig({ values, given, env, password });
  const http = new HttpClient({ timeoutMs: config.timeoutMs, insecure: config.insecure, cacert: config.cacert, mask: (s) => log.mask(s), debug: (l) => log.debug(l) });
  if (config.insecure) log.warning('TLS certificate verification is disabled (insecure)');
  const keystone = new Keystone(config, http, { warn: (l) => log.warning(l) });
  return { keystone, nova: new Nova(new ServiceEndpoint(keystone, 'compute')), glance: new Glance(new ServiceEndpoint(keystone, 'image')) };
}
