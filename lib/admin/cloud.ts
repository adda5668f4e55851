import type { Logger } from '../log.ts';
import { connectOpenStack, type OpenStack } from '../openstack/connect.ts';

// The operator command's cloud: clouds.yaml (`--os-cloud`, or OS_CLOUD) or the OS_* variables,
// as the openstack client reads them. Never a password on the command line.

export async function connectCloud(osCloud: string | undefined, log: Logger): Promise<OpenStack> {
  const values = osCloud ? { cloud: osCloud } : {};
  return connectOpenStack(values, new Set(Object.keys(values)), process.env, log);
}
