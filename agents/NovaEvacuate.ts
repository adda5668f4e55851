import { novaEvacuate } from '../lib/nova-evacuate/agent.ts';
import { runOcfAgent } from '../lib/ocf/run.ts';

/** NovaEvacuate: the OCF protocol over lib/nova-evacuate; IHA_ROLE=worker runs the evacuation worker. */
export async function main(): Promise<number> {
  if (process.env.IHA_ROLE === 'worker') {
    const { workerMain } = await import('../lib/nova-evacuate/worker-main.ts');
    return workerMain();
  }
  return runOcfAgent(novaEvacuate);
}
