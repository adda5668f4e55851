import { basename } from 'node:path';
import { PROGRAMS, program, type Program } from './registry.ts';

// One executable, many programs (agents/registry.ts): the name it is invoked by chooses
// (fence_compute, NovaEvacuate, compute-unfence-trigger and instance-ha are links to it). Each
// loads only its own code. IHA_AGENT names the agent where no link does (the evacuation worker).
function chosen(): Program | undefined {
  for (const candidate of [process.env.IHA_AGENT, process.argv0, process.argv[1]]) {
    const p = candidate ? program(basename(candidate).replace(/\.(m?js|ts)$/, '')) : undefined;
    if (p) return p;
  }
  return undefined;
}

async function run(): Promise<void> {
  const p = chosen();
  if (!p) {
    process.stderr.write(`instance-ha-agents: invoke me as one of: ${PROGRAMS.map((q) => q.name).join(', ')}\n`);
    process.exit(1);
  }
  const agent = await p.entry();
  // Exit now: an action cut at its deadline may leave timers or keep-alive sockets behind.
  // (stdout/stderr to files and pipes are synchronous on Linux: nothing is lost.)
  process.exit(await agent.main());
}

void run();
