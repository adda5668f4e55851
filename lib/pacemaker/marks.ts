// The names the cluster and Nova carry for us, shared by every agent and the operator tool.

/** attrd attribute of the reference protocol, per Nova host: yes | no | <node>@<epoch> (a claim). */
export const EVACUATE_ATTR = 'evacuate';

/** attrd attribute (not private: `crm_mon -A` shows it) naming why a host's evacuation cannot finish. */
export const BLOCKED_ATTR = 'instance-ha-blocked';

/** Start of every Nova disable reason we write: we re-enable only what we disabled. */
export const DISABLED_REASON_PREFIX = 'instance-ha:';

export const isOurDisableReason = (reason: string | null | undefined): boolean => (reason ?? '').startsWith(DISABLED_REASON_PREFIX);
