import { basename } from 'node:path';

// One executable, many agents: the name it is invoked by chooses (fence_compute,
// NovaEvacuate, compute-unfence-trigger and instance-ha are links to it). Each agent loads only
// its own code. IHA_AGENT names the agent where no link does (the evacuation worker).
const AGENTS: Record<string, () => Promise<{ main: () => Promise<number> }>> = {
  fence_compute: () => import('./fence_compute.ts'),
  NovaEvacuate: () => import('./NovaEvacuate.ts'),
  'compute-unfence-trigger': () => import('./compute-unfence-trigger.ts'),
  'instance-ha': () => import('./instance-ha.ts'),
};

function agentName(): string | undefined {
  for (const candidate of [process.env.IHA_AGENT, process.argv0, process.argv[1]]) {
    const name = candidate ? basename(candidate).replace(/\.(m?js|ts)$/, '') : undefined;
    if (name && name in AGENTS) return name;
  }
  return undefined;
}

async function run(): Promise<void> {
  const name = agentName();
  if (!name) {
    process.stderr.write(`instance-ha-agents: invoke me as one of: ${Object.keys(AGENTS).join(', ')}\n`);
    process.exit(1);
  }
  const agent = await AGENTS[name]!();
  // Exit now: an action cut at its deadline may leave timers or keep-alive sockets behind.
  // (stdout/stderr to files and pipes are synchronous on Linux: nothing is lost.)
  process.exit(await agent.main());
}

void run();
