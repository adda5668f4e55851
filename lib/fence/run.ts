import { Logger } from '../log.ts';
import { registerSecret } from '../secrets.ts';
import { ParamError, type ParamValues } from '../params/types.ts';
import { resolveValues, secretValues, stringParam } from '../params/values.ts';
import { VERSION } from '../version.ts';
import { FENCE_EXIT, type FenceAgent } from './agent.ts';
import { parseCli } from './cli.ts';
import { fenceMetadata, getoptText } from './metadata.ts';
import { parseStdin } from './stdin.ts';
import { readBoundedStdin } from '../stdin.ts';
import { oneLine, printable } from '../text.ts';

export interface FenceIo {
  argv: readonly string[];
  readStdin: () => Promise<string>;
  out: (text: string) => void;
  manpage: (agent: FenceAgent) => string;
}

const defaultIo = (manpage: FenceIo['manpage']): FenceIo => ({
  argv: process.argv.slice(2),
  readStdin: () => readBoundedStdin(process.stdin),
  out: (text) => process.stdout.write(text),
  manpage,
});

/**
 * The fence-agents protocol around an agent: options from the command line when there are
 * arguments, else key=value lines on stdin; typed validation; logging; exit codes
 * (0 success / ON, 1 failure, 2 OFF). Every failure is one log line and exit 1.
 */
export async function runFenceAgent(agent: FenceAgent, manpage: FenceIo['manpage'], io: FenceIo = defaultIo(manpage)): Promise<number> {
  const log = new Logger({ tag: agent.name });
  try {
    return await runProtocol(agent, io, log);
  } catch (e) {
    log.error(oneLine(e instanceof Error ? e.message : String(e)));
    if (!(e instanceof ParamError)) log.debug(e instanceof Error ? (e.stack ?? '') : '');
    return FENCE_EXIT.FAILURE;
  } finally {
    await log.close();
  }
}

async function runProtocol(agent: FenceAgent, io: FenceIo, log: Logger): Promise<number> {
  const parsed = io.argv.length > 0 ? parseCli(io.argv, agent.params) : parseStdin(await io.readStdin(), agent.params);
  // Secrets first: a refused value of another parameter may hold the password (shifted lines).
  for (const s of secretValues(agent.params, Object.fromEntries(parsed.raw))) registerSecret(s);
  const { values, given } = resolveValues(agent.params, parsed.raw);
  const verbose = values.verbose === true || Number(values.verbose_level ?? 0) > 0;
  log.configure({ quiet: values.quiet === true, verbose, debugFile: stringParam(values.debug_file) });
  for (const w of parsed.warnings) log.warning(w);
  log.debug(`parameters given: ${[...given].sort().join(', ') || '(none)'}`);

  if (values.help === true) { io.out(usage(agent)); return FENCE_EXIT.SUCCESS; }
  if (values.version === true) { io.out(`${agent.name} ${VERSION} (instance-ha-agents)\n`); return FENCE_EXIT.SUCCESS; }

  // Any case, as the reference library (fencing.py lowercases the action).
  const given_action = (stringParam(values.action) ?? 'off').toLowerCase();
  const action = agent.actionAliases[given_action] ?? given_action;
  if (action === 'metadata') { io.out(fenceMetadata(agent)); return FENCE_EXIT.SUCCESS; }
  if (action === 'manpage') { io.out(io.manpage(agent)); return FENCE_EXIT.SUCCESS; }
  const refusal = agent.refusedActions[action];
  if (refusal) throw new ParamError(`action ${action} is not supported: ${refusal}`);
  if (!agent.actions.some((a) => a.name === action)) throw new ParamError(`unrecognised action '${printable(given_action)}'`);

  const problems = validate(agent, action, values);
  if (action === 'validate-all') {
    for (const p of problems) log.error(p);
    return problems.length === 0 ? FENCE_EXIT.SUCCESS : FENCE_EXIT.FAILURE;
  }
  if (problems.length > 0) throw new ParamError(problems.join('; '));
  return agent.run(action, { log, values, given, plug: stringParam(values.plug), out: (line) => io.out(`${line}\n`) });
}

function validate(agent: FenceAgent, action: string, values: ParamValues): string[] {
  const problems: string[] = [];
  for (const p of agent.params) {
    if (!p.required || values[p.name] !== undefined) continue;
    if (p.name === 'plug' && agent.actionsWithoutPlug.includes(action)) continue;
    problems.push(`required parameter ${p.name} is not set`);
  }
  return [...problems, ...agent.validate(values)];
}


function usage(agent: FenceAgent): string {
  const lines = agent.params.map((p) => `   ${getoptText(p).padEnd(40)} ${p.shortdesc}`);
  return `Usage:\n\t${agent.name} [options]\nOptions:\n${lines.join('\n')}\n\nWith no arguments, key=value lines are read from stdin (see ${agent.name}(8)).\n`;
}
