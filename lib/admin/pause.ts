import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Logger } from '../log.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { squeezed } from '../text.ts';
import { CommandError, EXIT } from './exit-codes.ts';

// `instance-ha pause [--reason TEXT]` / `instance-ha resume`: a cluster-wide hold on evacuation
// (network work, a Nova upgrade), kept in the CIB beside the ledger (ledger.ts: instance-ha-paused).
// fence_compute still fences and marks; the NovaEvacuate worker reads the pause with the marks
// at every poll (at once through its CIB hint), sends nothing while it is set, also not in a
// round under way, and starts every held host when it is gone.

/** Who is asking: the user on this node. */
export function operator(): string {
  return `${userInfo().username} on ${hostname()}`;
}

const at = (since: number) => new Date(since * 1000).toISOString();

export async function pauseEvacuation(reason: string | undefined, ledger = new Ledger()): Promise<string> {
  const { pause } = await ledger.read();
  if (pause) throw new CommandError(EXIT.NOTHING, `evacuation is already paused (by ${pause.by} at ${at(pause.since)}${pause.reason ? `: ${pause.reason}` : ''})`);
  const note = { since: Math.floor(Date.now() / 1000), by: operator(), reason: reason ? squeezed(reason) : undefined };
  await ledger.setPause(note);
  return `evacuation paused by ${note.by} at ${at(note.since)}${note.reason ? `: ${note.reason}` : ''}; fence_compute still fences and marks, NovaEvacuate sends nothing until: instance-ha resume`;
}

export async function resumeEvacuation(ledger = new Ledger()): Promise<string> {
  const { pause, entries } = await ledger.read();
  if (!pause) throw new CommandError(EXIT.NOTHING, 'evacuation is not paused');
  await ledger.clearPause();
  const held = entries.filter((e) => e.phase === 'pending' || e.phase === 'evacuating').map((e) => e.host);
  return `evacuation resumed by ${operator()} (paused by ${pause.by} at ${at(pause.since)}${pause.reason ? `: ${pause.reason}` : ''}); ${held.length ? `held now going on: ${held.join(', ')}` : 'no host was held'}`;
}

export function registerPause(program: Command, log: Logger, ledger?: Ledger): void {
  program.command('pause').description('hold every evacuation cluster-wide (network work, a Nova upgrade): fence_compute still fences and marks, NovaEvacuate sends nothing, also not for a host under way')
    .option('--reason <text>', 'why (shown by status and in the Pacemaker log)')
    .action(async (o: { reason?: string }) => {
      const said = await pauseEvacuation(o.reason, ledger);
      log.warning(said);
      process.stdout.write(`${said}\n`);
    });
  program.command('resume').description('end the pause: every held host is evacuated at once')
    .action(async () => {
      const said = await resumeEvacuation(ledger);
      log.warning(said);
      process.stdout.write(`${said}\n`);
    });
}
