import type { Command, Option } from 'commander';
import { renderManPage, type ManCommand } from '../docs/manpage.ts';
import { Logger } from '../log.ts';
import { instanceHaProgram } from './cli.ts';
import { EXIT } from './exit-codes.ts';

// instance-ha(8) and its bash completion, generated from the commander program the command runs
// (cli.ts: instanceHaProgram), so a command, an argument or an option is declared once.
// Written by scripts/generate.ts (man/instance-ha.8, packaging/completion/instance-ha).

/** A command that runs (not a group like `maintenance`), with its full name. */
interface Leaf { path: string[]; cmd: Command }

function program(): Command {
  return instanceHaProgram(new Logger({ tag: 'instance-ha', stderr: false, syslog: false }), { code: 0 });
}

function leaves(cmd: Command, path: string[] = []): Leaf[] {
  return cmd.commands.flatMap((c) => (c.commands.length ? leaves(c, [...path, c.name()]) : [{ path: [...path, c.name()], cmd: c }]));
}

/** `--reason <text>` as usage shows it: optional options in brackets. */
function optionUsage(o: Option): string {
  return o.mandatory ? o.flags : `[${o.long ?? o.flags}${o.required ? ` ${o.flags.split(' ').slice(1).join(' ')}` : ''}]`;
}

function usage(l: Leaf): string {
  const args = l.cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`));
  return ['instance-ha', ...l.path, ...l.cmd.options.map(optionUsage), ...args].join(' ');
}

/** A default kept after a custom parser (milliseconds for seconds) is shown only through its defaultValueDescription. */
function optionText(o: Option): string {
  const d = o.defaultValue;
  const shown = o.defaultValueDescription ?? (o.parseArg || o.negate || typeof d === 'boolean' ? undefined : d);
  return `${o.description}${shown !== undefined ? ` (default: ${String(shown)})` : ''}.`;
}

/** What each exit code means, for every code the command has (a code added to exit-codes.ts without a line here fails the generated-files test). */
const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  OK: 'done',
  FAILED: 'could not do it (Keystone, Nova or the cluster failed, an unknown host); one line on standard error says why',
  USAGE: 'bad usage: an unknown command or option, a missing argument, or evacuate without --host-is-off',
  NOTHING: 'nothing to do: no evacuation to release, not paused (resume), already paused (pause), not in maintenance',
  NOT_EMPTY: 'maintenance start did what it could but the host is not empty: the instances that could not move are listed',
  REFUSED: 'refused: the host\'s state forbids it (marked for evacuation, in maintenance, or Nova shows it up for evacuate --host-is-off)',
};

export function instanceHaManPage(): string {
  const p = program();
  const commands: ManCommand[] = leaves(p).map((l) => ({
    usage: usage(l),
    description: `${l.cmd.description()}.`,
    options: l.cmd.options.map((o) => ({ flags: o.flags, description: optionText(o) })),
  }));
  return renderManPage({
    name: 'instance-ha',
    section: 8,
    title: p.description(),
    description: [
      'The operator\'s command of the Instance-HA agents: what the cluster knows of every host\'s evacuation, the ways out of a blocked one, planned maintenance, a cluster-wide pause, and evacuation on the operator\'s word for a host that cannot be fenced. It works on any node of the cluster, as root: it reads and writes the same state as the agents (attrd\'s evacuate and instance-ha-blocked attributes, the CIB property set instance-ha-evacuations) and reaches Nova through the same clients.',
      'Nova credentials (maintenance, evacuate) come as for the openstack client: the clouds.yaml entry named by --os-cloud or OS_CLOUD (OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml), else the OS_* variables. Never a password on the command line.',
    ].join('\n\n'),
    synopsis: commands.map((c) => c.usage),
    params: [],
    paramStyle: 'ocf',
    commands,
    sections: [
      { heading: 'Pause', paragraphs: [
        'instance-ha pause stores who paused, when and why in the CIB (instance-ha-paused in the set instance-ha-evacuations). fence_compute still fences hosts and marks them; the NovaEvacuate worker reads the pause with the marks at every poll (at once when the CIB changes), and sends no evacuate request while it is set: marked hosts wait at the gate with the reason, and a host whose evacuation is under way gets no further request. The Pacemaker log gets one warning when the worker sees the pause and one notice at resume; status shows a header line and the phase paused. instance-ha resume removes it; every held host is evacuated at once.',
      ] },
      { heading: 'Evacuation on the operator\'s word', paragraphs: [
        'instance-ha evacuate HOST --host-is-off is for a host whose power device died with it, so Pacemaker cannot fence it, and that you checked is powered off. It records your confirmation (who, when, why) in the CIB (host-is-off-HOST), forces the host\'s nova-compute down and disables it in Nova (reason instance-ha: ...), sets evacuate=yes and then the ledger entry pending (by host-is-off:<who>). NovaEvacuate then accepts Nova\'s force-down and your confirmation as proof instead of Pacemaker\'s fencing history, for this mark only, and logs it at warning level. It refuses a host Nova shows up. Without --host-is-off it does nothing. Starting the guests of a host that still runs corrupts their disks: be sure.',
      ] },
      { heading: 'Exit status', paragraphs: (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((k) => `${EXIT[k]}: ${EXIT_MEANING[k]}.`) },
      { heading: 'See also', paragraphs: ['fence_compute(8), ocf_openstack_NovaEvacuate(7), ocf_openstack_compute-unfence-trigger(7), crm_mon(8), /usr/share/doc/instance-ha-agents/operations.md.'] },
    ],
  });
}

/** Bash completion: commands, their options, and host names (cluster nodes, hosts in the ledger) where a command takes one. */
export function instanceHaCompletion(): string {
  const p = program();
  const groups = (cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] =>
    [{ path, cmd }, ...cmd.commands.flatMap((c) => groups(c, [...path, c.name()]))];
  const all = groups(p);
  const valued = [...new Set(all.flatMap((g) => g.cmd.options.filter((o) => o.required || o.optional).map((o) => o.long ?? '')))].filter(Boolean).sort();
  const cases = all.map(({ path, cmd }) => {
    const words = [...cmd.commands.map((c) => c.name()), ...cmd.options.map((o) => o.long ?? o.flags), '--help'];
    const host = cmd.registeredArguments.some((a) => a.name() === 'host');
    return `        "${path.join('/')}") words="${words.join(' ')}"${host ? '; hosts=1' : ''} ;;`;
  });
  const paths = all.filter((g) => g.path.length).map((g) => g.path.join('/'));
  return `# bash completion for instance-ha(8). Generated from lib/admin/cli.ts by scripts/generate.ts: do not edit.
_instance_ha_hosts() {
    {
        cibadmin --query --scope nodes 2>/dev/null | grep -o ' uname="[^"]*"' | cut -d'"' -f2
        cibadmin --query --scope crm_config 2>/dev/null | grep -o 'name="evacuation-[^"]*"' | cut -d'"' -f2 | sed 's/^evacuation-//'
    } | sort -u
}

_instance_ha() {
    local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path= w i words hosts=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=\${path:+$path/}\${COMP_WORDS[i]}
        case "$w" in
            ${paths.join('|')}) path=$w ;;
        esac
    done
    case "$prev" in
        ${valued.join('|')}) return 0 ;;
    esac
    case "$path" in
${cases.join('\n')}
        *) return 0 ;;
    esac
    [[ $cur != -* && $hosts = 1 ]] && words="$words $(_instance_ha_hosts)"
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _instance_ha instance-ha
`;
}
