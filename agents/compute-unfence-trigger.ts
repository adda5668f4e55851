import { computeUnfenceTrigger } from '../lib/unfence-trigger/agent.ts';
import { runOcfAgent } from '../lib/ocf/run.ts';

/** compute-unfence-trigger: the OCF protocol over lib/unfence-trigger. */
export async function main(): Promise<number> {
  return runOcfAgent(computeUnfenceTrigger);
}
