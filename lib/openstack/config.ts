import type { ParamValues } from '../params/types.ts';
import { stringParam } from '../params/values.ts';
import { loadCloud, type CloudEntry } from './clouds-yaml.ts';
import { ConfigError } from './errors.ts';
import { registerSecret } from '../secrets.ts';

// Where the Keystone settings come from: parameters given to the agent win over the
// clouds.yaml entry named by `cloud` (or OS_CLOUD), which wins over OS_* variables.

export type Interface = 'public' | 'internal' | 'admin';

export interface AuthConfig {
  authUrl: string;
  username?: string;
  userId?: string;
  userDomainName?: string;
  userDomainId?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  appCredentialId?: string;
  appCredentialName?: string;
  appCredentialSecret?: string;
  regionName?: string;
  interface: Interface;
  insecure: boolean;
  cacert?: string;
  timeoutMs: number;
}

/** internalURL → internal, as the reference's endpoint_type names map to Keystone v3. */
export function interfaceOf(endpointType: string | undefined): Interface {
  const t = (endpointType ?? 'internal').replace(/URL$/, '');
  if (t === 'public' || t === 'internal' || t === 'admin') return t;
  throw new ConfigError(`endpoint_type '${endpointType}' is not publicURL, internalURL or adminURL`);
}


export interface ConfigSources {
  values: ParamValues;
  /** Canonical names the agent was given explicitly (defaults do not override clouds.yaml). */
  given: ReadonlySet<string>;
  env: NodeJS.ProcessEnv;
  password?: string;
}

export function buildAuthConfig({ values, given, env, password }: ConfigSources): AuthConfig {
  const cloudName = stringParam(values.cloud) ?? env.OS_CLOUD;
  const cloud: CloudEntry = cloudName ? loadCloud(cloudName, env) : {};
  const a = Object.fromEntries(Object.entries(cloud.auth ?? {}).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
  // An explicitly given parameter, else clouds.yaml, else OS_*, else the declared default.
  const pick = (param: string, fromCloud: unknown, envName?: string): string | undefined => {
    const explicit = given.has(param) ? stringParam(values[param]) : undefined;
    const c = typeof fromCloud === 'string' && fromCloud !== '' ? fromCloud : undefined;
    return explicit ?? c ?? (envName ? env[envName] || undefined : undefined) ?? stringParam(values[param]);
  };
  const authUrl = pick('auth_url', a.auth_url, 'OS_AUTH_URL');
  if (!authUrl) throw new ConfigError('auth_url is not set (nor in clouds.yaml or OS_AUTH_URL)');
  // Secrets from clouds.yaml or OS_* enter the process here (parameters and password_script
  // output were registered where they were read).
  const secret = (v: string | undefined) => { registerSecret(v); return v; };
  const insecureGiven = given.has('insecure') ? values.insecure === true : undefined;
  const cloudInsecure = cloud.verify === false || cloud.insecure === true;
  return {
    authUrl,
    username: pick('username', a.username, 'OS_USERNAME'),
    userId: pick('user_id', a.user_id, 'OS_USER_ID'),
    userDomainName: pick('user_domain', a.user_domain_name, 'OS_USER_DOMAIN_NAME'),
    userDomainId: pick('user_domain_id', a.user_domain_id, 'OS_USER_DOMAIN_ID'),
    password: password ?? secret(a.password ?? env.OS_PASSWORD),
    projectName: pick('tenant_name', a.project_name ?? a.tenant_name, 'OS_PROJECT_NAME') ?? env.OS_TENANT_NAME,
    projectId: pick('project_id', a.project_id, 'OS_PROJECT_ID'),
    projectDomainName: pick('project_domain', a.project_domain_name, 'OS_PROJECT_DOMAIN_NAME'),
    projectDomainId: pick('project_domain_id', a.project_domain_id, 'OS_PROJECT_DOMAIN_ID'),
    appCredentialId: pick('application_credential_id', a.application_credential_id, 'OS_APPLICATION_CREDENTIAL_ID'),
    appCredentialName: pick('application_credential_name', a.application_credential_name, 'OS_APPLICATION_CREDENTIAL_NAME'),
    appCredentialSecret: (given.has('application_credential_secret') ? stringParam(values.application_credential_secret) : undefined)
      ?? secret(a.application_credential_secret ?? env.OS_APPLICATION_CREDENTIAL_SECRET),
    regionName: pick('region_name', cloud.region_name, 'OS_REGION_NAME'),
    interface: interfaceOf(pick('endpoint_type', cloud.interface ?? cloud.endpoint_type, 'OS_INTERFACE')),
    insecure: insecureGiven ?? (cloudName ? cloudInsecure : undefined) ?? ['1', 'true', 'yes'].includes((env.OS_INSECURE ?? '').toLowerCase()),
    cacert: pick('cacert', typeof cloud.cacert === 'string' ? cloud.cacert : undefined, 'OS_CACERT'),
    timeoutMs: Number(values.request_timeout ?? 10) * 1000,
  };
}
