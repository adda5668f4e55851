import { Command } from 'commander';
import { formatStates, hostStates } from '../lib/admin/status.ts';
import { Ledger } from '../lib/pacemaker/ledger.ts';
import { VERSION } from '../lib/version.ts';

/** instance-ha: the operator's view of evacuations (not an agent). */
export async function main(): Promise<number> {
  let code = 0;
  const program = new Command('instance-ha').version(VERSION).description('Instance-HA evacuation state');
  program.command('status').description("print every host's evacuation state (ledger and evacuate mark)")
    .option('--json', 'one JSON document')
    .action(async (o: { json?: boolean }) => {
      const states = await hostStates();
      process.stdout.write(o.json ? `${JSON.stringify(states, null, 2)}\n` : formatStates(states));
    });
  program.command('forget').argument('<host>').description('remove a host from the durable ledger (after checking it by hand)')
    .action(async (host: string) => { await new Ledger().remove(host); });
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    process.stderr.write(`instance-ha: ${(e as Error).message}\n`);
    code = 1;
  }
  return code;
}
