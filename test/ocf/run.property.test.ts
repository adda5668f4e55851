import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOcfParams } from '../../lib/ocf/env.ts';
import { OCF, OcfError } from '../../lib/ocf/exit-codes.ts';
import { StateFile } from '../../lib/ocf/state.ts';
import { workerFiles } from '../../lib/nova-evacuate/supervisor.ts';
import type { OcfAgent } from '../../lib/ocf/agent.ts';
import type { ParamSpec } from '../../lib/params/types.ts';
import { novaEvacuate } from '../../lib/nova-evacuate/agent.ts';
import { computeUnfenceTrigger } from '../../lib/unfence-trigger/agent.ts';
import {
  SECRET, callOcf, expectNoStackTrace, expectOneCleanLine, hostileText, invalidValue, keySpellings, runs, typedParams,
} from '../helpers/bad-input.ts';

// The OCF runner in-process under a hostile environment (fault matrix, "Bad input"): the real
// declarations and validation of NovaEvacuate and compute-unfence-trigger, with start/stop/
// monitor stubbed (no worker, no cluster). Codes: 2 no action or no instance, 3 unknown action,
// 6 bad configuration, 7 for a probe of a misconfigured resource, and stop always runs.

const RSCTMP = mkdtempSync(join(tmpdir(), 'ihaa-ocf-fuzz-'));
const stubbed = (agent: OcfAgent): OcfAgent => ({
  ...agent, checkInstalled: () => [], start: async () => OCF.SUCCESS, stop: async () => OCF.SUCCESS, monitor: async () => OCF.SUCCESS,
});
const AGENTS = [stubbed(novaEvacuate), stubbed(computeUnfenceTrigger)];
/** Environment strings cannot hold a NUL byte (execve): everything else can come. */
const envText = hostileText.map((s) => s.replaceAll('\0', ''));
const BASE = { HA_RSCTMP: RSCTMP, OCF_RESKEY_password: SECRET } as const;

/** OCF_RESKEY_* for any spelling of the agent's parameters, with any value. */
const reskeys = (agent: OcfAgent) => fc.dictionary(keySpellings(agent.params).map((k) => `OCF_RESKEY_${k}`), envText, { maxKeys: 6 });
const meta = fc.record({
  OCF_RESOURCE_INSTANCE: fc.oneof(fc.constant('nova-evacuate'), envText),
  OCF_RESKEY_CRM_meta_interval: fc.constantFrom('0', '10000', '', 'abc'),
  OCF_RESKEY_CRM_meta_timeout: fc.oneof(fc.constantFrom('20000', '-1', 'NaN'), envText),
}, { requiredKeys: [] });

describe('OCF runner (property)', () => {
  it('any action and environment: the documented code, at most one clean exit reason, no stack trace, no secret', async () => {
    const action = fc.oneof(fc.constantFrom(undefined, '', 'start', 'stop', 'monitor', 'validate-all', 'meta-data', 'usage', 'promote', 'reload', '__proto__'), envText);
    const agentAndParams = fc.constantFrom(...AGENTS).chain((agent) => fc.tuple(fc.constant(agent), reskeys(agent)));
    await fc.assert(fc.asyncProperty(agentAndParams, action, meta, async ([agent, params], a, m) => {
      const env = { ...BASE, ...m, ...params };
      const r = await callOcf(agent, a, env);
      expectNoStackTrace(r.all);
      expect(r.all).not.toContain(SECRET);
      expect(r.reasons.length).toBeLessThanOrEqual(1);
      for (const reason of r.reasons) expectOneCleanLine(reason);
      expect(r.code).toBe(await expectedCode(agent, a, env));
    }), runs(300));
  });

  it('a bad integer, number of seconds, boolean or choice is 6 with one exit reason naming the parameter, the password masked in it', async () => {
    const bad = fc.constantFrom(...AGENTS).chain((agent) => fc.tuple(fc.constant(agent), fc.constantFrom(...typedParams(agent.params))))
      .chain(([agent, p]) => fc.tuple(fc.constant(agent), fc.constant(p),
        fc.tuple(fc.constantFrom('', SECRET), invalidValue(p)).map(([pw, v]) => (pw + v).replaceAll('\0', ''))));
    await fc.assert(fc.asyncProperty(bad, async ([agent, p, v]) => {
      const env = { ...BASE, OCF_RESOURCE_INSTANCE: 'r', [`OCF_RESKEY_${p.name}`]: v };
      const r = await callOcf(agent, 'validate-all', env);
      expect(r.code).toBe(OCF.ERR_CONFIGURED);
      expect(r.reasons).toHaveLength(1);
      expect(r.reasons[0]).toMatch(new RegExp(`^ocf-exit-reason:parameter ${p.name}: value '.*' is not `));
      expectOneCleanLine(r.reasons[0]!);
      expect(r.all).not.toContain(SECRET);
      expect((await callOcf(agent, 'monitor', { ...env, OCF_RESKEY_CRM_meta_interval: '0' })).code).toBe(OCF.NOT_RUNNING);
      expect((await callOcf(agent, 'stop', env)).code).toBe(OCF.SUCCESS);
      expect((await callOcf(agent, 'meta-data', env)).code).toBe(OCF.SUCCESS);
    }), runs(150));
  });

  it('a start failing with any message (newline, escape, the password) is one exit reason, masked', async () => {
    const failure = fc.tuple(hostileText, fc.constantFrom('', SECRET), fc.boolean()).map(([text, pw, ocf]) =>
      (ocf ? new OcfError(OCF.ERR_GENERIC, `${text}${pw}`) : new Error(`${text}${pw}`)));
    await fc.assert(fc.asyncProperty(failure, async (e) => {
      const failing: OcfAgent = { ...AGENTS[0]!, start: async () => { throw e; } };
      const r = await callOcf(failing, 'start', { ...BASE, OCF_RESOURCE_INSTANCE: 'r', OCF_RESKEY_auth_url: 'http://k/v3', OCF_RESKEY_username: 'u' });
      expect(r.code).toBe(OCF.ERR_GENERIC);
      expect(r.all.replace(/\n$/, '').split('\n')).toEqual(r.reasons);
      expect(r.reasons).toHaveLength(1);
      expect(r.reasons[0]).not.toMatch(/[\x00-\x1f\x7f]/);
      expect(r.all).not.toContain(SECRET);
    }), runs(200));
  });

  it('an interval of zero seconds, in any spelling, is 6 naming the parameter (it would spin)', async () => {
    const zero = fc.constantFrom('0', '0s', '0.0', '00', '0.000000s');
    const agentAndName = fc.oneof(fc.constant([AGENTS[0]!, 'poll_interval'] as const), fc.constant([AGENTS[0]!, 'verify_timeout'] as const),
      fc.constant([AGENTS[1]!, 'poll_interval'] as const));
    await fc.assert(fc.asyncProperty(agentAndName, zero, async ([agent, name], z) => {
      const r = await callOcf(agent, 'validate-all', { ...BASE, OCF_RESOURCE_INSTANCE: 'r', [`OCF_RESKEY_${name}`]: z });
      expect(r.code).toBe(OCF.ERR_CONFIGURED);
      expect(r.reasons[0]).toBe(`ocf-exit-reason:parameter ${name}: value '${z}' must be more than 0 seconds`);
    }), runs(30));
  });

  it('any OCF_RESOURCE_INSTANCE ("../x", "/", control characters) names files right inside their directories', () => {
    fc.assert(fc.property(fc.oneof(envText, fc.constantFrom('..', '../../etc/passwd', '/', 'a/b')), (instance) => {
      const files = [new StateFile(RSCTMP, 'NovaEvacuate', instance).path, ...Object.values(workerFiles(RSCTMP, instance, RSCTMP))];
      for (const f of files) {
        expect(dirname(f)).toBe(RSCTMP);
        expect(basename(f)).toMatch(/^[\w.:@-]+$/);
      }
    }), runs(200));
  });

  it('the name as declared wins over every other spelling of the same parameter', () => {
    const declared: readonly ParamSpec[] = novaEvacuate.params;
    const params = declared.filter((p) => (p.deprecatedNames ?? []).length > 0 || p.name.includes('_'));
    const other = (name: string, deprecated: readonly string[]) => [name.replaceAll('_', '-'), ...deprecated, ...deprecated.map((d) => d.replaceAll('_', '-'))].filter((s) => s !== name);
    fc.assert(fc.property(fc.constantFrom(...params), envText, envText, (p, mine, theirs) => {
      const env = Object.fromEntries(other(p.name, p.deprecatedNames ?? []).map((s) => [`OCF_RESKEY_${s}`, theirs]));
      expect(readOcfParams(novaEvacuate.params, { ...env, [`OCF_RESKEY_${p.name}`]: mine }).get(p.name)).toBe(mine);
    }), runs(200));
  });
});

/**
 * The code the protocol promises, derived from the agent's own validate-all answer (0 or 6) so
 * the property checks the runner's routing, not a second copy of validation.
 */
async function expectedCode(agent: OcfAgent, action: string | undefined, env: Record<string, string>): Promise<number> {
  if (action === 'meta-data' || action === 'usage' || action === 'help') return OCF.SUCCESS;
  if (!action) return OCF.ERR_ARGS;
  if (!['start', 'stop', 'monitor', 'validate-all'].includes(action)) return OCF.ERR_UNIMPLEMENTED;
  if (!env.OCF_RESOURCE_INSTANCE) return OCF.ERR_ARGS;
  if (action === 'stop') return OCF.SUCCESS;
  const valid = (await callOcf(agent, 'validate-all', env)).code;
  expect([OCF.SUCCESS, OCF.ERR_CONFIGURED]).toContain(valid);
  const probe = action === 'monitor' && (env.OCF_RESKEY_CRM_meta_interval ?? '0') === '0';
  return valid === OCF.ERR_CONFIGURED && probe ? OCF.NOT_RUNNING : valid;
}
