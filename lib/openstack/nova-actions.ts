import type { Microversion } from './microversion.ts';

// The bodies of the server actions that move an instance (POST /servers/{id}/action), per
// microversion: what Nova's request schemas accept (nova/api/openstack/compute/schemas/
// evacuate.py and migrate_server.py), checked against a real Nova Zed (test/fixtures/openstack-zed).

export interface EvacuateOptions {
  host?: string;
  /** Sent only below 2.14, where Nova requires it. */
  onSharedStorage?: boolean;
  /** Highest microversion to evacuate with (2.95 leaves the instance stopped). */
  maxMicroversion?: string;
}

export interface LiveMigrateOptions {
  /** The destination, still checked by the scheduler (we never send `force`); undefined: the scheduler chooses. */
  host?: string;
  /** 'auto' (the default) lets Nova decide from 2.25; below 2.25 Nova knows only true/false and 'auto' sends false. */
  blockMigration?: boolean | 'auto';
  /** Highest microversion to live-migrate with (the default: the negotiated maximum). */
  maxMicroversion?: string;
}

/** The evacuate cap: from 2.95 an evacuated instance ends stopped, which is not what evacuation is for. */
export const EVACUATE_MAX_MICROVERSION = '2.94';

export function evacuateBody(mv: Microversion, o: EvacuateOptions): { evacuate: Record<string, unknown> } {
  const body: Record<string, unknown> = {};
  if (o.host) body.host = o.host;
  if (!mv.atLeast('2.14')) body.onSharedStorage = o.onSharedStorage ?? false;
  return { evacuate: body };
}

/**
 * os-migrateLive. `host` is required by every schema (null: the scheduler chooses).
 * - below 2.25: block_migration and disk_over_commit are required booleans (disk_over_commit: false);
 * - from 2.25: block_migration may be "auto", disk_over_commit is rejected;
 * - 2.30-2.67 accept `force` (a named host without the scheduler's checks); we never send it, so a
 *   named host still goes through the scheduler's filters, and 2.68 rejects it anyway.
 * Nova answers 202 with an empty body. Below 2.34 the conductor's checks (no valid host, the
 * source as target) fail the request with a 400; from 2.34 they run after the 202 and the
 * migration record ends `error` with the instance left ACTIVE on its host, task_state null.
 * Only ACTIVE and PAUSED instances can move live (any other vm_state, or a task in progress, is
 * a 409): the maintenance drain live-migrates those and reports the rest (SHUTOFF ones among
 * them) as "cannot move live" for the operator, never cold-migrating them on its own.
 */
export function liveMigrateBody(mv: Microversion, o: LiveMigrateOptions): { 'os-migrateLive': Record<string, unknown> } {
  const block = o.blockMigration ?? 'auto';
  if (mv.atLeast('2.25')) return { 'os-migrateLive': { host: o.host ?? null, block_migration: block } };
  return { 'os-migrateLive': { host: o.host ?? null, block_migration: block === true, disk_over_commit: false } };
}
