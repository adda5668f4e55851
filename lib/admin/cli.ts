import { Command, CommanderError } from 'commander';
import { Logger } from '../log.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { BLOCKED_ATTR } from '../pacemaker/marks.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { VERSION } from '../version.ts';
import { releaseHost } from './release.ts';
import { CommandError, EXIT } from './exit-codes.ts';
import { registerMaintenance } from './maintenance-commands.ts';
import { clusterState, formatStates } from './status.ts';
import { registerPause } from './pause.ts';
import { registerEvacuate } from './evacuate.ts';

// instance-ha, the operator's command (not an agent). Exit codes: exit-codes.ts; a failure
// is one line on stderr saying why.

/** What the commands act through (tests give their own; the defaults are the cluster's). */
export interface CliDeps { ledger?: Ledger; attrd?: Attrd }

export async function runInstanceHa(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const log = new Logger({ tag: 'instance-ha', stderr: false });
  const result = { code: EXIT.OK as number };
  const program = instanceHaProgram(log, result, deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    process.stderr.write(`instance-ha: ${(e as Error).message}\n`);
    return e instanceof CommandError ? e.code : EXIT.FAILED;
  } finally {
    await log.close();
  }
}

/** Every command, defined once: the CLI runs it; instance-ha(8) and the bash completion are generated from it (manpage.ts). */
export function instanceHaProgram(log: Logger, result: { code: number }, deps: CliDeps = {}): Command {
  const program = new Command('instance-ha').version(VERSION).description('Instance-HA evacuation state and the operator\'s ways out')
    .exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.command('status').description("every host's evacuation phase (marked, evacuating, blocked with the reason, paused, maintenance, done); a first line says when evacuation is paused")
    .option('--json', 'one JSON document')
    .action(async (o: { json?: boolean }) => {
      const { pause, hosts } = await clusterState(deps.attrd, deps.ledger);
      process.stdout.write(o.json ? `${JSON.stringify(hosts, null, 2)}\n` : formatStates(hosts, pause));
    });
  program.command('release').argument('<host>').description('end a blocked evacuation after checking the host by hand: the ledger says done, evacuate=no; instances left on it stay')
    .action(async (host: string) => {
      const said = await releaseHost(host);
      log.warning(said);
      process.stdout.write(`${said}\n`);
    });
  program.command('forget').argument('<host>').description('remove a host from the durable ledger, and its blocked report (after checking it by hand)')
    .action(async (host: string) => {
      await Promise.all([new Ledger().remove(host), new Attrd().remove(BLOCKED_ATTR, { node: host })]);
      log.warning(`${host}: forgotten (removed from the evacuation ledger, its blocked report dropped)`);
    });
  registerMaintenance(program, log, result);
  registerPause(program, log, deps.ledger);
  registerEvacuate(program, log, deps);
  return program;
}
