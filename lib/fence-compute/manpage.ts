import { renderManPage } from '../docs/manpage.ts';
import type { FenceAgent } from '../fence/agent.ts';

/** fence_compute(8), generated from the declaration. */
export function fenceComputeManPage(agent: FenceAgent): string {
  return renderManPage({
    name: agent.name,
    section: 8,
    title: agent.shortdesc,
    description: `${agent.longdesc}\n\nOptions come from the command line when arguments are given, otherwise as key=value lines on standard input (Pacemaker's way). On stdin '-' and '_' in names are interchangeable, one pair of double quotes around a value is removed, lines starting with # are ignored and unknown names are ignored with a warning. Booleans accept 1/0, yes/no, true/false, on/off.`,
    synopsis: [`${agent.name} [OPTION]...`, `echo -e 'action=status\\nplug=compute-0\\nauth_url=...' | ${agent.name}`],
    params: agent.params,
    paramStyle: 'fence',
    sections: [
      { heading: 'Actions', paragraphs: [
        'off: force the host\'s nova-compute service down, disable it and record evacuate=yes for the Nova host in attrd (also when Nova already shows it down and disabled).',
        'on: wait (up to unfence_wait) until the host\'s evacuation has finished, then unset force-down and enable the service (leave_disabled keeps it disabled). Advertised as automatic: Pacemaker runs it to unfence the node.',
        'status: OFF (exit 2) when the service is forced down, or down and disabled; ON (exit 0) otherwise; exit 1 when Nova cannot be asked or does not know the host.',
        'list, list-status: the compute hosts Nova knows. monitor: authenticate and make one Nova call. validate-all: check the parameters without contacting anything. metadata, manpage: describe the agent. reboot is refused (fabric agent).',
      ] },
      { heading: 'Exit status', paragraphs: ['0 success (status: ON), 1 failure or invalid input (one log line says why), 2 status OFF.'] },
      { heading: 'See also', paragraphs: ['ocf_openstack_NovaEvacuate(7), ocf_openstack_compute-unfence-trigger(7), stonith_admin(8), attrd_updater(8).'] },
    ],
  });
}
