import type { Logger } from '../log.ts';
import type { ParamSpec, ParamValues } from '../params/types.ts';
import type { OcfCode } from './exit-codes.ts';
import type { StateFile } from './state.ts';

// What an OCF resource agent declares; lib/ocf/run.ts does the protocol around it.

export interface OcfActionSpec {
  readonly name: string;
  /** Default timeout advertised in meta-data, e.g. "20s". */
  readonly timeout: string;
  readonly interval?: string;
  readonly depth?: string;
}

export interface OcfContext {
  readonly log: Logger;
  readonly values: ParamValues;
  readonly env: NodeJS.ProcessEnv;
  /** OCF_RESOURCE_INSTANCE. */
  readonly instance: string;
  /** monitor with interval 0: Pacemaker asks whether the resource runs here. */
  readonly isProbe: boolean;
  /** Per-instance state file under HA_RSCTMP. */
  readonly state: StateFile;
  /** Operation timeout in ms from OCF_RESKEY_CRM_meta_timeout (if Pacemaker gave one). */
  readonly timeoutMs: number | undefined;
}

export interface OcfAgent {
  readonly name: string;
  readonly provider: string;
  readonly version: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly params: readonly ParamSpec[];
  readonly actions: readonly OcfActionSpec[];
  /** Configuration problems (exit 6), one line each. No network. */
  validate(values: ParamValues, env: NodeJS.ProcessEnv): string[];
  /** Missing binaries or files (exit 5), one line each. */
  checkInstalled(values: ParamValues): string[];
  start(ctx: OcfContext): Promise<OcfCode>;
  stop(ctx: OcfContext): Promise<OcfCode>;
  monitor(ctx: OcfContext): Promise<OcfCode>;
}
