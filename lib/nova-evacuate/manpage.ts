import { renderManPage } from '../docs/manpage.ts';
import { novaEvacuate } from './agent.ts';

/** ocf_openstack_NovaEvacuate(7), generated from the declaration. */
export function novaEvacuateManPage(): string {
  const a = novaEvacuate;
  return renderManPage({
    name: 'ocf_openstack_NovaEvacuate',
    section: 7,
    title: a.shortdesc,
    description: `${a.longdesc}\n\nParameters come as OCF_RESKEY_<name> variables (Pacemaker sets them from the resource's configuration).`,
    synopsis: ['NovaEvacuate {start|stop|monitor|validate-all|meta-data|usage}', 'pcs resource create nova-evacuate ocf:openstack:NovaEvacuate auth_url=... username=... password=... tenant_name=...'],
    params: a.params,
    paramStyle: 'ocf',
    sections: [
      { heading: 'Which hosts', paragraphs: [
        'A host is worked on when attrd\'s evacuate attribute for it is yes, or a claim <node>@<epoch> older than 60 s (a claim by a NovaEvacuate that died), or when the durable ledger (CIB property set instance-ha-evacuations) says pending or evacuating. An absent mark never means done. At start and every 60 s the worker also reconciles with Nova: a host Nova shows forced down and disabled by instance-ha, with instances on it and no open ledger entry, is entered as pending.',
      ] },
      { heading: 'When it is safe', paragraphs: [
        'A host is evacuated only when Nova shows its nova-compute forced down (or down and disabled) and, with require_fencing=1, Pacemaker\'s fencing history (stonith_admin --history) shows an off or reboot of its node (host_map key, the host, or its short name) that succeeded at most 30 minutes before its mark, or one in flight. Never a host Nova shows up.',
        'Mass-failure guard: over nova-compute services not disabled by an operator (enabled, or disabled with an instance-ha reason), share = (down or forced down) × 100 / counted. When it exceeds threshold, nothing is evacuated and host-blocked is reported every round until the share drops.',
      ] },
      { heading: 'Which instances', paragraphs: [
        'Images tagged evacuable_tag (Glance tag) or flavors with extra spec evacuable_tag=true opt their instances in; when nothing is tagged, every instance is evacuable. Server metadata evacuable_tag=true or false overrides; when any aggregate has metadata evacuable_tag=true, hosts outside such aggregates are left alone. All pages of servers and images are read; private flavors count.',
      ] },
      { heading: 'Exactly once', paragraphs: [
        'Nova decides: an instance Nova shows moved, with a task in progress, or with an evacuation migration since the failure under way is never sent another evacuate (a second evacuate during a rebuild breaks the instance). A request whose answer was lost is not repeated before request_timeout + 5 s have passed, and a worker resuming a host another worker had claimed waits as long before its first request. ACTIVE, SHUTOFF and ERROR instances are evacuated; PAUSED, SUSPENDED, resizing and other states Nova refuses are reported (instance-skip) and left to the operator; failed evacuations are retried up to max_attempts, after which the host stays marked and is retried with backoff.',
      ] },
      { heading: 'Files', paragraphs: [
        'event_log: one JSON line per decision and instance outcome. Host-level lines also go to the Pacemaker log. instance-ha status prints every host\'s mark and ledger state.',
      ] },
      { heading: 'Exit status', paragraphs: ['OCF: 0 success, 1 the worker died or hangs (monitor), 2 bad arguments, 3 unimplemented action, 5 a required tool is missing, 6 invalid configuration, 7 not running.'] },
      { heading: 'See also', paragraphs: ['fence_compute(8), ocf_openstack_compute-unfence-trigger(7), crm_resource(8).'] },
    ],
  });
}
