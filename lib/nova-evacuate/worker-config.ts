import { hostname } from 'node:os';
import type { OcfContext } from '../ocf/agent.ts';
import type { Values } from '../params/values.ts';
import type { novaEvacuateParams } from './params.ts';

// What start hands the evacuation worker on its stdin (never argv or environment: it holds
// the password), and how the worker reads it back.

type Params = typeof novaEvacuateParams;

export interface WorkerConfig {
  values: Values<Params>;
  /** The names the operator set: a default must not override clouds.yaml or OS_* in the worker either. */
  given: ReadonlySet<string>;
  node: string;
  instance: string;
  /** The agent's OS_* variables: the worker inherits no environment. */
  env: Record<string, string>;
  heartbeat: string;
  clusterLog?: string;
}

/** JSON cannot hold a set: `given` travels as an array. */
type WorkerMessage = Omit<WorkerConfig, 'given'> & { given: string[] };

function openstackEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => /^OS_/.test(k) && v !== undefined) as [string, string][]);
}

export function workerMessage(ctx: OcfContext<Params>, heartbeat: string, clusterLog: string | undefined): WorkerMessage {
  return { values: ctx.values, given: [...ctx.given], node: hostname(), instance: ctx.instance, env: openstackEnv(ctx.env), heartbeat, clusterLog };
}

export function readWorkerConfig(text: string): WorkerConfig {
  const m = JSON.parse(text) as WorkerMessage;
  return { ...m, given: new Set(m.given) };
}
