import { runChild } from '../child.ts';
import { elements } from './xml-attrs.ts';

// A pacemaker_remote node taken out of the cluster on purpose (planned maintenance). Pacemaker's
// documented way: stop the node's connection resource (target-role=Stopped). Pacemaker then
// stops the node's resources (nova-compute among them), closes the connection cleanly and shows
// the node offline, not lost: powering the host off is then no failure and nothing is fenced.
// Starting the connection again brings the node back (and unfences it when that is configured).

const TIMEOUT_MS = 15_000;

export class RemoteNodeError extends Error {
  override name = 'RemoteNodeError';
}

/** The connection resource of a remote node: an ocf:pacemaker:remote primitive with the node's name. */
export async function isRemoteNode(node: string): Promise<boolean> {
  const r = await runChild('cibadmin', ['--query', '--scope', 'resources'], { timeoutMs: TIMEOUT_MS });
  if (r.timedOut || r.exitCode !== 0) throw new RemoteNodeError(`cibadmin --query failed: ${r.timedOut ? 'no answer' : r.stderr.trim().split('\n')[0]}`);
  return elements(r.stdout, 'primitive').some((p) => p.id === node && p.class === 'ocf' && p.provider === 'pacemaker' && p.type === 'remote');
}

export async function setConnection(node: string, role: 'Stopped' | 'Started'): Promise<void> {
  const r = await runChild('crm_resource', ['--resource', node, '--meta', '--set-parameter', 'target-role', '--parameter-value', role], { timeoutMs: TIMEOUT_MS });
  if (r.timedOut || r.exitCode !== 0) throw new RemoteNodeError(`crm_resource: setting ${node}'s target-role to ${role} failed: ${r.timedOut ? 'no answer' : r.stderr.trim().split('\n')[0]}`);
}

/** The node as crm_mon shows it: online, offline (cleanly), lost (unclean) or unknown. */
export async function nodeState(node: string): Promise<'online' | 'offline' | 'lost' | 'unknown'> {
  const r = await runChild('crm_mon', ['-1', '--output-as=xml'], { timeoutMs: TIMEOUT_MS });
  if (r.timedOut || r.exitCode !== 0) throw new RemoteNodeError(`crm_mon failed: ${r.timedOut ? 'no answer' : r.stderr.trim().split('\n')[0]}`);
  const n = elements(r.stdout, 'node').find((x) => x.name === node);
  if (!n) return 'unknown';
  if (n.online === 'true') return 'online';
  return n.unclean === 'true' ? 'lost' : 'offline';
}
