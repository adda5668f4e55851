import type { ParamValues } from '../params/types.ts';
import { parseHostMap } from '../host-names.ts';

// Static checks of the Keystone parameters (no network): what validate-all can prove.

function given(v: ParamValues[string]): boolean {
  return v !== undefined && v !== '';
}

/** host_map is part of the connection settings, checked even when credentials are optional. */
export function validateHostMap(values: ParamValues): string[] {
  try {
    parseHostMap(typeof values.host_map === 'string' ? values.host_map : '');
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

export function validateOpenstackParams(values: ParamValues, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = validateHostMap(values);
  const fromCloud = given(values.cloud) || given(env.OS_CLOUD);
  const authUrl = typeof values.auth_url === 'string' && values.auth_url !== '' ? values.auth_url : env.OS_AUTH_URL;
  if (!authUrl && !fromCloud) problems.push('auth_url is not set (nor cloud, OS_AUTH_URL or OS_CLOUD)');
  // The whole value (but surrounding blanks): a newline or escape inside would reach every
  // message naming the URL.
  if (authUrl && !/^https?:\/\/[^\s/\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*$/.test(authUrl.trim())) problems.push('auth_url must be an http:// or https:// URL');
  if (fromCloud) return problems;
  const appCred = given(values.application_credential_id) || given(values.application_credential_name);
  if (appCred) {
    if (!given(values.application_credential_secret)) problems.push('application_credential_secret is not set');
    if (!given(values.application_credential_id) && !given(values.username) && !given(values.user_id)) {
      problems.push('application_credential_name needs username or user_id');
    }
    return problems;
  }
  if (!given(values.username) && !given(values.user_id) && !env.OS_USERNAME && !env.OS_USER_ID) problems.push('username is not set');
  if (!given(values.password) && !given(values.password_script) && !env.OS_PASSWORD) problems.push('password is not set (nor password_script)');
  return problems;
}
