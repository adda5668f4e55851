import { Logger } from '../log.ts';
import { registerSecret } from '../secrets.ts';
import { resolveValues, secretValues } from '../params/values.ts';
import type { OcfAgent, OcfContext } from './agent.ts';
import { isProbe, operationTimeoutMs, readOcfParams } from './env.ts';
import { OCF, OcfError, type OcfCode } from './exit-codes.ts';
import { ocfMetadata } from './metadata.ts';
import { oneLine, printable } from '../text.ts';
import { StateFile, stateDirectory } from './state.ts';

export interface OcfIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo = (): OcfIo => ({
  argv: process.argv.slice(2),
  env: process.env,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});

const LIFECYCLE = ['start', 'stop', 'monitor', 'validate-all'] as const;

/**
 * The OCF resource-agent protocol around an agent: action from $1, parameters from
 * OCF_RESKEY_*, exit codes 0–9/190, `ocf-exit-reason:` on failure, probes that never report a
 * configuration error for a resource that is not running here, and a stop that works even
 * when the configuration is broken.
 */
export async function runOcfAgent(agent: OcfAgent, io: OcfIo = defaultIo()): Promise<OcfCode> {
  const action = io.argv[0];
  const instance = io.env.OCF_RESOURCE_INSTANCE ?? '';
  const log = new Logger({ tag: instance ? `${agent.name}(${instance})` : agent.name, verbose: io.env.OCF_TRACE_RA === '1' });
  const exitReason = (reason: string) => io.err(`${io.env.OCF_EXIT_REASON_PREFIX ?? 'ocf-exit-reason:'}${oneLine(log.mask(reason))}\n`);
  try {
    if (action === 'meta-data') { io.out(ocfMetadata(agent)); return OCF.SUCCESS; }
    if (action === 'usage' || action === 'help') { io.out(usage(agent)); return OCF.SUCCESS; }
    if (!action) { io.err(usage(agent)); return OCF.ERR_ARGS; }
    if (!(LIFECYCLE as readonly string[]).includes(action)) {
      io.err(usage(agent));
      exitReason(`action '${printable(action)}' is not implemented`);
      return OCF.ERR_UNIMPLEMENTED;
    }
    if (!instance) { exitReason('OCF_RESOURCE_INSTANCE is not set'); return OCF.ERR_ARGS; }
    return await runLifecycle(agent, action, instance, io, log, exitReason);
  } catch (e) {
    const code = e instanceof OcfError ? e.code : OCF.ERR_GENERIC;
    exitReason(e instanceof Error ? e.message : String(e));
    if (!(e instanceof OcfError)) log.debug(e instanceof Error ? (e.stack ?? '') : '');
    return code;
  } finally {
    await log.close();
  }
}

async function runLifecycle(agent: OcfAgent, action: string, instance: string, io: OcfIo, log: Logger,
  exitReason: (r: string) => void): Promise<OcfCode> {
  const state = new StateFile(stateDirectory(io.env), agent.name, instance);
  const raw = readOcfParams(agent.params, io.env);
  // Secrets first: a refused value of another parameter may hold the password.
  for (const s of secretValues(agent.params, Object.fromEntries(raw))) registerSecret(s);
  // A bad value is a problem to report, and falls back to its default: stop still runs on it.
  const problems: string[] = [];
  const { values, given } = resolveValues(agent.params, raw, problems);
  if (values.verbose === true) log.configure({ verbose: true });
  for (const p of agent.params) if (p.required && values[p.name] === undefined) problems.push(`required parameter ${p.name} is not set`);
  if (problems.length === 0) problems.push(...agent.validate(values, io.env));
  const missing = problems.length === 0 ? agent.checkInstalled(values) : [];

  const probe = isProbe(action, io.env);
  const ctx: OcfContext = { log, values, given, env: io.env, instance, isProbe: probe, state, timeoutMs: operationTimeoutMs(io.env) };
  if (action === 'stop') {
    // A stop must not fail on configuration: a failed stop gets the node fenced.
    for (const p of [...problems, ...missing]) log.warning(`stop despite: ${p}`);
    return agent.stop(ctx);
  }
  if ((problems.length > 0 || missing.length > 0) && probe && !state.exists()) return OCF.NOT_RUNNING;
  if (problems.length > 0) { exitReason(problems.join('; ')); return OCF.ERR_CONFIGURED; }
  if (missing.length > 0) { exitReason(missing.join('; ')); return OCF.ERR_INSTALLED; }
  if (action === 'validate-all') return OCF.SUCCESS;
  return action === 'start' ? agent.start(ctx) : agent.monitor(ctx);
}

function usage(agent: OcfAgent): string {
  return `usage: ${agent.name} {start|stop|monitor|validate-all|meta-data|usage}\n`;
}
