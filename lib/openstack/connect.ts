import type { Logger } from '../log.ts';
import type { ParamValues } from '../params/types.ts';
import { buildAuthConfig } from './config.ts';
import { Glance } from './glance.ts';
import { HttpClient } from '../http.ts';
import { Keystone } from './keystone.ts';
import { Nova } from './nova.ts';
import { resolvePassword } from './password.ts';
import { ServiceEndpoint } from './service.ts';
import { identityKey, TokenCache, TOKEN_CACHE_DIR } from './token-cache.ts';

export interface OpenStack {
  keystone: Keystone;
  nova: Nova;
  glance: Glance;
}

/**
 * Clients for the agent's parameters; nothing is sent until the first call. tokenCache: share
 * the Keystone token with this machine's other processes (fence_compute: a mass fencing runs
 * one per target at once) in IHA_TOKEN_CACHE (a directory; "off": none), by default
 * /run/instance-ha/tokens.
 */
export async function connectOpenStack(values: ParamValues, given: ReadonlySet<string>, env: NodeJS.ProcessEnv, log: Logger, opts: { tokenCache?: boolean } = {}): Promise<OpenStack> {
  const password = await resolvePassword(values);
  const config = buildAuthConfig({ values, given, env, password });
  const http = new HttpClient({ timeoutMs: config.timeoutMs, insecure: config.insecure, cacert: config.cacert, mask: (s) => log.mask(s), debug: (l) => log.debug(l) });
  if (config.insecure) log.warning('TLS certificate verification is disabled (insecure)');
  const dir = env.IHA_TOKEN_CACHE || TOKEN_CACHE_DIR;
  const cache = opts.tokenCache && dir !== 'off' ? new TokenCache(dir, identityKey(config), (l) => log.debug(l)) : undefined;
  const keystone = new Keystone(config, http, { warn: (l) => log.warning(l), debug: (l) => log.debug(l), cache });
  return { keystone, nova: new Nova(new ServiceEndpoint(keystone, 'compute')), glance: new Glance(new ServiceEndpoint(keystone, 'image')) };
}
