import { Command, CommanderError } from 'commander';
import { Logger } from '../log.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { VERSION } from '../version.ts';
import { NothingToRelease, releaseHost } from './release.ts';
import { formatStates, hostStates } from './status.ts';

// instance-ha, the operator's command (not an agent). Exit codes: 0 done, 1 failed (one line
// on stderr says why), 2 bad usage, 3 nothing to do (e.g. no evacuation to release).

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, NOTHING: 3 } as const;

export async function runInstanceHa(argv: readonly string[]): Promise<number> {
  const log = new Logger({ tag: 'instance-ha', stderr: false });
  const program = new Command('instance-ha').version(VERSION).description('Instance-HA evacuation state and the operator\'s ways out')
    .exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.command('status').description("every host's evacuation phase (marked, evacuating, blocked with the reason, done)")
    .option('--json', 'one JSON document')
    .action(async (o: { json?: boolean }) => {
      const states = await hostStates();
      process.stdout.write(o.json ? `${JSON.stringify(states, null, 2)}\n` : formatStates(states));
    });
  program.command('release').argument('<host>').description('end a blocked evacuation after checking the host by hand: the ledger says done, evacuate=no; instances left on it stay')
    .action(async (host: string) => {
      const said = await releaseHost(host);
      log.warning(said);
      process.stdout.write(`${said}\n`);
    });
  program.command('forget').argument('<host>').description('remove a host from the durable ledger (after checking it by hand)')
    .action(async (host: string) => { await new Ledger().remove(host); log.warning(`${host}: forgotten (removed from the evacuation ledger)`); });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    process.stderr.write(`instance-ha: ${(e as Error).message}\n`);
    return e instanceof NothingToRelease ? EXIT.NOTHING : EXIT.FAILED;
  } finally {
    await log.close();
  }
}
