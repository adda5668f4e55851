import { normalizeKey, type ParamSpec } from '../params/types.ts';

/**
 * OCF_RESKEY_<name> for every accepted name of every parameter (canonical name wins over an
 * older spelling when both are set). Pacemaker's own OCF_RESKEY_CRM_meta_* are not parameters.
 */
export function readOcfParams(params: readonly ParamSpec[], env: NodeJS.ProcessEnv): Map<string, string> {
  const raw = new Map<string, string>();
  for (const p of params) {
    const names = [...(p.deprecatedNames ?? []), p.name];
    for (const n of names) {
      // The name exactly as declared is read last, so it wins over its other spellings.
      const otherSpellings = [n.replaceAll('_', '-'), normalizeKey(n)].filter((k) => k !== n);
      for (const key of [...otherSpellings, n]) {
        const v = env[`OCF_RESKEY_${key}`];
        if (v !== undefined) raw.set(p.name, v);
      }
    }
  }
  return raw;
}

/** OCF_RESKEY_CRM_meta_interval 0 (or unset) on a monitor: a probe. */
export function isProbe(action: string, env: NodeJS.ProcessEnv): boolean {
  return action === 'monitor' && (env.OCF_RESKEY_CRM_meta_interval ?? '0') === '0';
}

export function operationTimeoutMs(env: NodeJS.ProcessEnv): number | undefined {
  const t = Number(env.OCF_RESKEY_CRM_meta_timeout);
  return Number.isFinite(t) && t > 0 ? t : undefined;
}
