import { runChild } from '../child.ts';
import { elements } from './xml-attrs.ts';

/** Cluster nodes (remote ones included) Pacemaker shows online, from crm_mon. */
export async function onlineNodes(timeoutMs = 15_000): Promise<Set<string>> {
  const r = await runChild('crm_mon', ['-1', '--output-as=xml'], { timeoutMs });
  if (r.timedOut || r.exitCode !== 0) throw new Error(`crm_mon failed: ${r.timedOut ? 'no answer' : r.stderr.trim().split('\n')[0]}`);
  return new Set(elements(r.stdout, 'node').filter((n) => n.online === 'true' && n.name).map((n) => n.name ?? ''));
}
