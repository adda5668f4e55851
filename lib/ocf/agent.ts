import type { Logger } from '../log.ts';
import type { ParamSpec } from '../params/types.ts';
import type { Values } from '../params/values.ts';
import type { OcfCode } from './exit-codes.ts';
import type { StateFile } from './state.ts';

// What an OCF resource agent declares; lib/ocf/run.ts does the protocol around it. P is the
// agent's parameter declaration (`as const`), which types its values.

type Declaration = readonly ParamSpec[];

export interface OcfActionSpec {
  readonly name: string;
  /** Default timeout advertised in meta-data, e.g. "20s". */
  readonly timeout: string;
  readonly interval?: string;
  readonly depth?: string;
}

export interface OcfContext<P extends Declaration = Declaration> {
  readonly log: Logger;
  readonly values: Values<P>;
  /** Canonical names the operator set (not defaulted): only these override clouds.yaml and OS_*. */
  readonly given: ReadonlySet<string>;
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

export interface OcfAgent<P extends Declaration = Declaration> {
  readonly name: string;
  readonly provider: string;
  readonly version: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly params: P;
  readonly actions: readonly OcfActionSpec[];
  /** Configuration problems (exit 6), one line each. No network. */
  validate(values: Values<P>, env: NodeJS.ProcessEnv): string[];
  /** Missing binaries or files (exit 5), one line each. */
  checkInstalled(values: Values<P>): string[];
  start(ctx: OcfContext<P>): Promise<OcfCode>;
  stop(ctx: OcfContext<P>): Promise<OcfCode>;
  monitor(ctx: OcfContext<P>): Promise<OcfCode>;
}
