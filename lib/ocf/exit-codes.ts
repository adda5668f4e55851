import { ExitCodeError } from '../exit-code-error.ts';

/** OCF return codes (resource-agent API 1.1). */
export const OCF = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
  RUNNING_PROMOTED: 8,
  FAILED_PROMOTED: 9,
  DEGRADED: 190,
  DEGRADED_PROMOTED: 191,
} as const;

export type OcfCode = (typeof OCF)[keyof typeof OCF];

/** Raised inside an action: the runner prints the reason as an ocf-exit-reason line. */
export class OcfError extends ExitCodeError<OcfCode> {
  override name = 'OcfError';
}
