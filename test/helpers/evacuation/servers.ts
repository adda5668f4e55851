import type { NovaMigration, NovaServer } from '../../../lib/openstack/nova.ts';

/** A Nova server record for the pure decision tests. */
export const server = (id: string, host: string | null, status = 'ACTIVE', taskState: string | null = null): NovaServer => ({
  id, name: id, status, taskState, vmState: status.toLowerCase(), host, tenantId: 'p', imageId: 'img', flavorId: undefined,
  flavorName: 'm1', flavorExtraSpecs: undefined, metadata: {}, locked: false,
});

/** An evacuation migration of instance `id` away from `source`. */
export const migration = (id: string, source: string, status: string): NovaMigration => ({
  id: 1, instanceUuid: id, sourceCompute: source, destCompute: null, status, migrationType: 'evacuation', createdAt: '2024-01-01T00:00:00.000000',
});
