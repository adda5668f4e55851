import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOcfAgent } from '../../lib/ocf/run.ts';
import { ocfMetadata } from '../../lib/ocf/metadata.ts';
import { OCF } from '../../lib/ocf/exit-codes.ts';
import type { OcfAgent, OcfContext } from '../../lib/ocf/agent.ts';
import { sampleAgent } from '../fixtures/ocf-sample/agent.ts';
import { REPO, run } from '../helpers/run.ts';

const DTD = '/usr/share/resource-agents/ra-api-1.dtd';

async function call(action: string | undefined, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const rsc = env.HA_RSCTMP ?? mkdtempSync(join(tmpdir(), 'ihaa-rsc-'));
  const code = await runOcfAgent(sampleAgent, {
    argv: action === undefined ? [] : [action],
    env: { OCF_RESOURCE_INSTANCE: 'sample', HA_RSCTMP: rsc, ...env },
    out: (t) => { out += t; },
    err: (t) => { err += t; },
  });
  return { code, out, err, rsc };
}

/** The context the runner hands start or stop. */
async function seenBy(action: 'start' | 'stop', env: Record<string, string>): Promise<OcfContext> {
  let seen: OcfContext | undefined;
  const record = async (ctx: OcfContext) => { seen = ctx; return OCF.SUCCESS; };
  const agent: OcfAgent = { ...sampleAgent, start: record, stop: record };
  await runOcfAgent(agent, { argv: [action], env: { OCF_RESOURCE_INSTANCE: 'sample', HA_RSCTMP: mkdtempSync(join(tmpdir(), 'ihaa-rsc-')), ...env }, out: () => {}, err: () => {} });
  if (!seen) throw new Error(`${action} was not called`);
  return seen;
}

describe('OCF protocol library', () => {
  it('meta-data is valid against ra-api-1.dtd', async () => {
    const r = await run('xmllint', ['--noout', '--dtdvalid', DTD, '-'], { input: ocfMetadata(sampleAgent) });
    // (xmllint warns that it cannot load the relative DOCTYPE; the DTD given is used.)
    expect(r.stderr).not.toMatch(/validity error|parser error|does not validate/);
    expect(r.code).toBe(0);
  });
  it('the DTD check can fail', async () => {
    const bad = ocfMetadata(sampleAgent).replace('<action name="start"', '<action name="explode"');
    expect((await run('xmllint', ['--noout', '--dtdvalid', DTD, '-'], { input: bad })).code).not.toBe(0);
  });
  it('meta-data and usage need no configuration', async () => {
    expect((await call('meta-data', { OCF_RESKEY_count: 'x' })).code).toBe(OCF.SUCCESS);
    expect((await call('usage')).code).toBe(OCF.SUCCESS);
  });
  it('no action: usage and ERR_ARGS; unknown action: ERR_UNIMPLEMENTED with an exit reason', async () => {
    expect((await call(undefined)).code).toBe(OCF.ERR_ARGS);
    const r = await call('promote');
    expect(r.code).toBe(OCF.ERR_UNIMPLEMENTED);
    expect(r.err).toContain("ocf-exit-reason:action 'promote' is not implemented");
  });
  it('start / monitor / stop lifecycle through the state file, idempotent', async () => {
    const first = await call('start');
    const env = { HA_RSCTMP: first.rsc, OCF_RESKEY_CRM_meta_interval: '10000' };
    expect(first.code).toBe(OCF.SUCCESS);
    expect((await call('start', env)).code).toBe(OCF.SUCCESS);
    expect((await call('monitor', env)).code).toBe(OCF.SUCCESS);
    expect((await call('stop', env)).code).toBe(OCF.SUCCESS);
    expect((await call('stop', env)).code).toBe(OCF.SUCCESS);
    expect((await call('monitor', env)).code).toBe(OCF.NOT_RUNNING);
  });
  it('bad configuration: ERR_CONFIGURED with one exit-reason line naming the parameter', async () => {
    const r = await call('validate-all', { OCF_RESKEY_count: 'many' });
    expect(r.code).toBe(OCF.ERR_CONFIGURED);
    expect(r.err.trim().split('\n')).toEqual(["ocf-exit-reason:parameter count: value 'many' is not an integer"]);
    expect((await call('start', { OCF_RESKEY_count: '-1' })).err).toContain('count must not be negative');
    expect((await call('monitor', { OCF_RESKEY_flavor: 'odd', OCF_RESKEY_CRM_meta_interval: '10000' })).code).toBe(OCF.ERR_CONFIGURED);
  });
  it('a missing binary is ERR_INSTALLED', async () => {
    expect((await call('validate-all', { OCF_RESKEY_tool: '/nonexistent/tool' })).code).toBe(OCF.ERR_INSTALLED);
  });
  it('a probe of a stopped resource says NOT_RUNNING even when misconfigured or not installed', async () => {
    expect((await call('monitor', { OCF_RESKEY_count: 'many', OCF_RESKEY_CRM_meta_interval: '0' })).code).toBe(OCF.NOT_RUNNING);
    expect((await call('monitor', { OCF_RESKEY_tool: '/nonexistent/tool' })).code).toBe(OCF.NOT_RUNNING);
  });
  it('stop succeeds with a broken configuration', async () => {
    const started = await call('start');
    const r = await call('stop', { HA_RSCTMP: started.rsc, OCF_RESKEY_count: 'many' });
    expect(r.code).toBe(OCF.SUCCESS);
    expect(existsSync(join(started.rsc, 'ihaa-sample-sample.state'))).toBe(false);
  });
  it('ctx.given names the parameters set, never a default; values carry the defaults', async () => {
    const ctx = await seenBy('start', { OCF_RESKEY_greeting: 'hi', OCF_RESKEY_passwd: 'given-pw', OCF_RESKEY_delay: '' });
    expect([...ctx.given].sort()).toEqual(['greeting', 'password']);
    expect(ctx.values).toMatchObject({ greeting: 'hi', count: 1, delay: 0, flavor: 'plain', fail_start: false });
  });
  it('a bad value is not given: stop runs with its default', async () => {
    const ctx = await seenBy('stop', { OCF_RESKEY_count: 'many', OCF_RESKEY_greeting: 'hi' });
    expect([...ctx.given]).toEqual(['greeting']);
    expect(ctx.values.count).toBe(1);
  });
  it('missing OCF_RESOURCE_INSTANCE is ERR_ARGS', async () => {
    const code = await runOcfAgent(sampleAgent, { argv: ['start'], env: {}, out: () => {}, err: () => {} });
    expect(code).toBe(OCF.ERR_ARGS);
  });
  it('deprecated names are read from OCF_RESKEY_*; secrets are masked in exit reasons and logs', async () => {
    const r = await call('start', { OCF_RESKEY_passwd: 'ocf-secret-789', OCF_RESKEY_fail_start: 'true' });
    expect(r.code).toBe(OCF.ERR_GENERIC);
    expect(r.err).not.toContain('ocf-secret-789');
  });
});

describe('ocf-tester (Debian resource-agents) on an agent built with the library', () => {
  let launcher = '';
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'ihaa-ocf-'));
    launcher = join(dir, 'ihaa-sample');
    writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, 'test/fixtures/ocf-sample/main.ts')}" "$@"\n`);
    chmodSync(launcher, 0o755);
    chmodSync(dir, 0o755);
  });
  it('passes every check', async () => {
    const r = await run('ocf-tester', ['-n', 'ihaa-sample', '-o', 'greeting=hi', launcher], { timeoutMs: 120_000 });
    expect(r.stdout + r.stderr).toContain('ihaa-sample passed all tests');
    expect(r.code).toBe(0);
  });
});
