import { renderManPage } from '../docs/manpage.ts';
import { computeUnfenceTrigger } from './agent.ts';

/** ocf_openstack_compute-unfence-trigger(7), generated from the declaration. */
export function unfenceTriggerManPage(): string {
  const a = computeUnfenceTrigger;
  return renderManPage({
    name: 'ocf_openstack_compute-unfence-trigger',
    section: 7,
    title: a.shortdesc,
    description: a.longdesc,
    synopsis: ['compute-unfence-trigger {start|stop|monitor|validate-all|meta-data|usage}',
      'pcs resource create compute-unfence-trigger ocf:openstack:compute-unfence-trigger op start timeout=600s op stop timeout=20s on-fail=block meta requires=unfencing failure-timeout=60s clone'],
    params: a.params,
    paramStyle: 'ocf',
    sections: [
      { heading: 'When start succeeds', paragraphs: [
        'The Nova host of this node is host_map[node], else its short name plus domain, else (without credentials) the ledger entry with the same short name, else the node name; with credentials Nova resolves it as fence_compute does.',
        'In order: the durable ledger (CIB property set instance-ha-evacuations) says done → yes; says pending or evacuating → wait. Without a ledger entry: evacuate=no → yes; yes or a claim → wait; no mark → yes without credentials; with credentials, yes unless Nova shows the service forced down with evacuable instances still on the host.',
      ] },
      { heading: 'Exit status', paragraphs: ['OCF: 0 success, 1 start timed out waiting (the reason is the exit reason), 6 invalid configuration, 7 not running, 190 degraded (monitor, with credentials).'] },
      { heading: 'See also', paragraphs: ['fence_compute(8), ocf_openstack_NovaEvacuate(7).'] },
    ],
  });
}
