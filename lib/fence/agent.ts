import type { Logger } from '../log.ts';
import type { ParamSpec, ParamValues } from '../params/types.ts';

// What a fence agent declares; lib/fence/run.ts does the protocol around it.

export interface FenceActionSpec {
  readonly name: string;
  /** Advertised as automatic="1": Pacemaker runs it for unfencing. */
  readonly automatic?: boolean;
  readonly onTarget?: boolean;
}

/** Exit codes of the fence-agents API (status: 0 on, 1 unknown/failure, 2 off). */
export const FENCE_EXIT = { SUCCESS: 0, FAILURE: 1, STATUS_OFF: 2 } as const;

export interface FenceContext {
  readonly log: Logger;
  readonly values: ParamValues;
  /** Canonical names given explicitly (not defaulted). */
  readonly given: ReadonlySet<string>;
  /** The plug as given (before any host-name mapping). */
  readonly plug: string | undefined;
  readonly out: (line: string) => void;
}

export interface FenceAgent {
  readonly name: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly vendorUrl: string;
  readonly params: readonly ParamSpec[];
  /** Advertised in metadata, in this order. */
  readonly actions: readonly FenceActionSpec[];
  /** Other names Pacemaker or operators use for an action. */
  readonly actionAliases: Readonly<Record<string, string>>;
  /** Actions that work without a plug. */
  readonly actionsWithoutPlug: readonly string[];
  /** Actions accepted but refused with a reason (e.g. reboot on a fabric agent). */
  readonly refusedActions: Readonly<Record<string, string>>;
  /** Checks beyond types and required (e.g. credentials); returns one line per problem. */
  validate(values: ParamValues): string[];
  /** Runs one device action; returns the exit code. */
  run(action: string, ctx: FenceContext): Promise<number>;
}
