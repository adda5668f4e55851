import { describe, expect, it } from 'vitest';
import { fenceMetadata } from '../../lib/fence/metadata.ts';
import { fenceCompute } from '../../lib/fence-compute/agent.ts';
import { run } from '../helpers/run.ts';
import { REFERENCE_NAMES, parameterNames as names } from '../helpers/reference.ts';

const RNG = '/usr/share/cluster/relaxng/metadata.rng';

describe('fence_compute metadata', () => {
  const xml = fenceMetadata(fenceCompute);

  it('validates against fence-agents metadata.rng', async () => {
    const r = await run('xmllint', ['--noout', '--relaxng', RNG, '-'], { input: xml });
    expect(r.stderr).toContain('- validates');
    expect(r.code).toBe(0);
  });
  it('a broken document does not validate (the check can fail)', async () => {
    const r = await run('xmllint', ['--noout', '--relaxng', RNG, '-'], { input: xml.replace('unique="0"', 'unique="maybe"') });
    expect(r.code).not.toBe(0);
  });
  it('contains every parameter name of the reference metadata', () => {
    expect(REFERENCE_NAMES.length).toBeGreaterThan(40);
    const ours = new Set(names(xml));
    expect(REFERENCE_NAMES.filter((n) => !ours.has(n))).toEqual([]);
  });
  it('lists every accepted name once, old names deprecated and pointing at their successor', () => {
    const all = names(xml);
    expect(new Set(all).size).toBe(all.length);
    expect(xml).toMatch(/<parameter name="port" unique="0" required="1" deprecated="1">/);
    expect(xml).toMatch(/<parameter name="plug" unique="0" required="1" obsoletes="port">/);
    expect(xml).toMatch(/<parameter name="username" unique="0" required="0" obsoletes="login">/);
  });
  it('advertises on as automatic (unfencing), default action off, no reboot', () => {
    expect(xml).toContain('<action name="on" automatic="1" />');
    expect(xml).toMatch(/<parameter name="action"[^]*?default="off"/);
    expect(xml).not.toContain('<action name="reboot"');
  });
  it('never shows a secret default', () => {
    for (const p of fenceCompute.params) if (p.secret) expect(p.default, p.name).toBeUndefined();
  });
});
