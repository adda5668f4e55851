import { ExitCodeError } from '../exit-code-error.ts';

/** instance-ha's exit codes (documented in instance-ha(8) and docs/operations.md). */
export const EXIT = {
  OK: 0,
  /** Could not do it: Keystone/Nova/the cluster failed, an unknown host; one line says why. */
  FAILED: 1,
  USAGE: 2,
  /** Nothing to do (no evacuation to release, not in maintenance, not paused). */
  NOTHING: 3,
  /** Done what could be done, but the host is not empty: some instances could not move (listed). */
  NOT_EMPTY: 4,
  /** Refused: the host's state forbids it (marked for evacuation). */
  REFUSED: 5,
} as const;

export class CommandError extends ExitCodeError {
  override name = 'CommandError';
}
