import type { SimResponse } from '../http-types.ts';
import { isObject } from '../http-types.ts';
import { body } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { evacuate } from './evacuate.ts';
import { liveMigrate } from './live-migrate.ts';
import { findServer } from './servers.ts';

/** POST /servers/{id}/action: evacuate and os-migrateLive are simulated; other actions answer like unknown ones. */
export function serverAction(ctx: NovaCtx, [id = '']: string[]): SimResponse {
  const b = body(ctx);
  if (!isObject(b) || Object.keys(b).length === 0) throw new NovaError(400, 'Malformed request body');
  if ('evacuate' in b) return evacuate(ctx, findServer(ctx, id), b);
  if ('os-migrateLive' in b) return liveMigrate(ctx, id, b);
  findServer(ctx, id);
  throw new NovaError(400, `There is no such action: ${Object.keys(b)[0]}`);
}
