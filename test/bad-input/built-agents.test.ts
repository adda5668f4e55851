import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';
import { novaEvacuate } from '../../lib/nova-evacuate/agent.ts';
import { computeUnfenceTrigger } from '../../lib/unfence-trigger/agent.ts';
import type { ParamSpec } from '../../lib/params/types.ts';
import { REPO, run, runAgent } from '../helpers/run.ts';
import {
  SECRET, argvWord, callOcf, cliValue, errorLines, exitReasons, expectFenceProtocolKept, expectNoStackTrace, expectOneCleanLine,
  hostileText, keySpellings, runs,
} from '../helpers/bad-input.ts';

// The same hostile input through the built agents (build/bin, made by the test global setup):
// what reaches a real process — bytes that are not UTF-8, huge input, argv and environment
// strings — never ends in a stack trace, and the exit code is the protocol's. Few cases: each
// is a process start (fault matrix, "Bad input").

// Generated input never names Keystone (no request may leave), a password script (it would be
// run) or a debug file (it would be written).
const OFF_LIMITS = new Set(['auth_url', 'cloud', 'password_script', 'debug_file', 'quiet']);
const fenceParams: readonly ParamSpec[] = fenceComputeParams.filter((p) => !OFF_LIMITS.has(p.name));
/** Nor may the caller's environment configure Keystone. */
const NO_OPENSTACK = { OS_AUTH_URL: '', OS_CLOUD: '', OS_USERNAME: '', OS_PASSWORD: '' };
const RSCTMP = mkdtempSync(join(tmpdir(), 'ihaa-bad-input-'));

const bytesOf = (s: string) => Buffer.from(s);
const stdinChunk = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc.constantFrom([0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0], [0x0a]).map((b) => Uint8Array.from(b)),
  fc.tuple(keySpellings(fenceParams), hostileText).map(([k, v]) => bytesOf(`\n${k}=${v}\n`)),
  fc.constantFrom('\naction=explode\n', '\naction=validate-all\n', '\nplug=compute-0\n', '\nno equals sign\n', '\nverbose=1\n').map(bytesOf),
  fc.integer({ min: 100_000, max: 600_000 }).map((n) => bytesOf(`\nhost_map=${'h:'.repeat(n / 2)}\n`)),
);

describe('bad input to the built agents (property)', () => {
  it('fence_compute, any bytes on stdin: exit 0 or 1, one ERROR line, no stack trace, never the password', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stdinChunk, { maxLength: 8 }), async (chunks) => {
      const input = Buffer.concat([bytesOf(`password=${SECRET}\n`), ...chunks]);
      const r = await runAgent('fence_compute', [], { input, env: NO_OPENSTACK });
      expectFenceProtocolKept(r, /action\s*=\s*"?validate-all/i.test(input.toString('latin1')));
    }), runs(15));
  });

  it('fence_compute, any argv: exit 0 or 1, one ERROR line, no stack trace, never the password', async () => {
    const all: readonly ParamSpec[] = fenceComputeParams;
    const argv = fc.array(argvWord(fenceParams), { minLength: 1, maxLength: 6 }).map((words) => ['-p', SECRET, ...words.map((w) => w.replaceAll('\0', ''))])
      .filter((a) => [...OFF_LIMITS].every((name) => cliValue(all, a, name) === undefined) && [SECRET, undefined].includes(cliValue(all, a, 'password')));
    await fc.assert(fc.asyncProperty(argv, async (a) => {
      const r = await runAgent('fence_compute', a, { env: NO_OPENSTACK });
      expectFenceProtocolKept(r, cliValue(all, a, 'action') === 'validate-all');
    }), runs(12));
  });

  it('NovaEvacuate and compute-unfence-trigger, any action and OCF_RESKEY_*: the library\'s code, one exit reason, no stack trace', async () => {
    const envText = hostileText.map((s) => s.replaceAll('\0', ''));
    const agentAndEnv = fc.constantFrom(novaEvacuate, computeUnfenceTrigger).chain((agent) => fc.tuple(fc.constant(agent),
      fc.dictionary(keySpellings(agent.params.filter((p) => !OFF_LIMITS.has(p.name))).map((k) => `OCF_RESKEY_${k}`), envText, { maxKeys: 4 })));
    const action = fc.oneof(fc.constantFrom(undefined, 'validate-all', 'meta-data', 'promote', ''), envText);
    await fc.assert(fc.asyncProperty(agentAndEnv, action, fc.oneof(fc.constant('r'), envText), async ([agent, params], a, instance) => {
      const env = { ...NO_OPENSTACK, ...params, HA_RSCTMP: RSCTMP, OCF_RESOURCE_INSTANCE: instance, OCF_RESKEY_password: SECRET };
      const r = await runAgent(agent.name, a === undefined ? [] : [a], { env });
      expectNoStackTrace(r.stderr);
      expect(r.stderr).not.toContain(SECRET);
      const reasons = exitReasons(r.stderr);
      expect(reasons.length).toBeLessThanOrEqual(1);
      for (const reason of reasons) expectOneCleanLine(reason);
      // The real agent in-process (its validation, its installation check) is the oracle.
      expect(r.code).toBe((await callOcf(agent, a, env)).code);
    }), runs(15));
  });

  it('more than 1 MiB on stdin is exit 1 with one line', async () => {
    const r = await runAgent('fence_compute', [], { input: Buffer.alloc(1024 * 1024 + 1, 0x61) });
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual(['stdin is larger than 1048576 bytes']);
    expectNoStackTrace(r.stderr);
  });

  it('the executable invoked by a name that is no agent: exit 1 with one line', async () => {
    const r = await run(join(REPO, 'build', 'js', 'main.mjs'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['instance-ha-agents: invoke me as one of: fence_compute, NovaEvacuate, compute-unfence-trigger, instance-ha']);
  });
});
