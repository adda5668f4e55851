import { runInstanceHa } from '../lib/admin/cli.ts';

/** instance-ha: the operator's command over lib/admin. */
export async function main(): Promise<number> {
  return runInstanceHa(process.argv.slice(2));
}
