import { openstackParams } from '../params/openstack.ts';
import type { ParamSpec } from '../params/types.ts';

// ocf:openstack:NovaEvacuate. Every parameter of the reference (upstream and RHEL) keeps its
// name and meaning; the Keystone/TLS/host-name options are fence_compute's; the rest are new.

const referenceOnly = [
  { name: 'no_shared_storage', type: 'boolean', default: '0',
    shortdesc: 'Instances are not on shared storage',
    longdesc: 'Sent to Nova only below microversion 2.14 (onSharedStorage=false); newer Nova detects shared storage itself.' },
  { name: 'verbose', type: 'boolean', default: '0', shortdesc: 'Log debug messages' },
  { name: 'evacuate_delay', type: 'second', default: '0',
    shortdesc: 'Seconds to wait after a host is marked before evacuating it',
    longdesc: 'For storage (NFS) whose locks outlive the failed host: evacuation of a host starts this long after it was marked.' },
] as const satisfies readonly ParamSpec[];

const added = [
  { name: 'threshold', type: 'integer', default: '50', min: 0, max: 100, added: true,
    shortdesc: 'Mass-failure guard: largest share (%) of compute services down that is still evacuated',
    longdesc: 'Counted over nova-compute services not disabled by an operator: (down or forced down) × 100 / all. Above it nothing is evacuated until the share drops or an operator raises threshold (100 turns the guard off); each held host is reported blocked (a warning in the Pacemaker log, the instance-ha-blocked node attribute, instance-ha status).' },
  { name: 'evacuable_tag', type: 'string', default: 'evacuable', added: true,
    shortdesc: 'Image tag, flavor extra spec, aggregate and server metadata key that opt instances in' },
  { name: 'concurrency', type: 'integer', default: '32', min: 1, added: true,
    shortdesc: 'Most evacuate requests in flight at once (all hosts together)',
    longdesc: 'The worker starts with 4 in flight and widens towards this while Nova answers about as fast as its fastest answer; an answer more than twice as slow (plus 0.1 s), a 5xx or none halves it. A loaded Nova so gets fewer requests at once instead of more contention.' },
  { name: 'reserved_hosts', type: 'string', default: '', added: true,
    shortdesc: 'Compute hosts to evacuate to (comma-separated), in turn; empty: Nova\'s scheduler chooses' },
  { name: 'max_microversion', type: 'string', default: '2.94', added: true,
    shortdesc: 'Highest Nova microversion used to evacuate',
    longdesc: 'From 2.95 Nova leaves evacuated instances stopped at the destination; 2.94 keeps their power state.' },
  // above: 0, here and for poll_interval: 0 would spin (marks read, requests re-sent without pause).
  { name: 'verify_timeout', type: 'second', default: '600', above: 0, added: true,
    shortdesc: 'How long one instance may take (or wait on a task) to be running elsewhere before it counts as failed',
    longdesc: 'A failed instance leaves its host blocked (reported, and retried with a backoff up to 5 minutes, so capacity added later is used) until it is done or an operator runs instance-ha release HOST.' },
  { name: 'max_attempts', type: 'integer', default: '3', min: 1, added: true,
    shortdesc: 'Evacuate requests per instance before it is reported failed (the host is then retried with backoff)' },
  { name: 'require_fencing', type: 'boolean', default: '1', added: true,
    shortdesc: 'Evacuate only hosts Pacemaker\'s fencing history shows fenced',
    longdesc: 'With 1, a host is evacuated only when stonith_admin --history shows an off or reboot of its node that succeeded after the node was last unfenced and at most 30 minutes before its mark (a fencing in flight is not proof), checked again before every round of requests. Set 0 only where the mark is written by another trusted mechanism.' },
  { name: 'poll_interval', type: 'second', default: '1', above: 0, added: true,
    shortdesc: 'How often the worker reads the evacuate marks',
    longdesc: 'A mark written by this package\'s fence_compute is seen at once: its ledger entry changes the CIB, and the worker watches the CIB file on its node. The poll catches everything else (marks written by other tools, a node that does not keep the CIB on disk).' },
  { name: 'dry_run', type: 'boolean', default: '0', added: true,
    shortdesc: 'Decide and log everything, change nothing' },
  { name: 'event_log', type: 'string', default: '/var/log/instance-ha/events.jsonl', added: true,
    shortdesc: 'JSON-lines file with one event per decision and per instance outcome' },
  { name: 'metrics_file', type: 'string', default: '', added: true,
    shortdesc: 'Prometheus text file for node_exporter\'s textfile collector; empty: none',
    longdesc: 'Written atomically (temp file and rename) at most once per poll_interval, when something changed: instance_ha_instances_total{result="done|failed"}, instance_ha_hosts{phase="marked|evacuating|blocked|paused"}, the histogram instance_ha_host_evacuation_seconds (mark to done), instance_ha_paused and instance_ha_worker_running. Name it *.prom in the collector\'s directory (node_exporter --collector.textfile.directory), e.g. /var/lib/prometheus/node-exporter/instance-ha.prom.' },
] as const satisfies readonly ParamSpec[];

// auth_url is required=0 (the reference said 1) because clouds.yaml may provide it;
// validate-all still fails with 6 when no Keystone URL is configured anywhere.
export const novaEvacuateParams = [
  ...openstackParams,
  ...referenceOnly,
  ...added,
] as const satisfies readonly ParamSpec[];
