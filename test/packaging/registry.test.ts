import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DIRS, PROGRAMS, completionPath, installPath, manPath } from '../../agents/registry.ts';
import { launcher, makeFragment, rpmFiles } from '../../scripts/packaging-lists.ts';
import { StateFile } from '../../lib/ocf/state.ts';
import { REPO, run } from '../helpers/run.ts';

// The packaging files that stay hand-written must agree with agents/registry.ts; the generated
// parts (scripts/packaging-lists.ts) must give the shipped layout. `make install` runs here on
// stub build outputs (no SEA build): what it installs is compared with the registry and the RPM
// spec's %files, the Debian diversions with the registry's.

const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const AGENTS = PROGRAMS.filter((p) => p.protocol !== 'cli');
const LIBDIR = '/usr/lib/instance-ha-agents';
/** The name as a word of its own (instance-ha is not in instance-ha-agents). */
const word = (name: string) => new RegExp(`(^|[^\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`, 'm');
let tmp = '';
let root = '';

/** Every file and link under dir, as absolute paths of the installed system. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return lstatSync(path).isDirectory() ? tree(path, `${prefix}/${name}`) : [`${prefix}/${name}`];
  });
}

/** The RPM spec's %files entries, with the generated list put in for `-f`. */
function rpmEntries(): { handWritten: string[]; all: string[] } {
  const spec = read('packaging/rpm/instance-ha-agents.spec');
  const section = spec.slice(spec.indexOf('\n%files') + 1).split('\n').slice(1);
  const handWritten = section.filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.replace(/^%doc\s+/, '').trim());
  return { handWritten, all: [...handWritten, ...rpmFiles().trim().split('\n')] };
}

/** [path, diverted to] pairs of the dpkg-divert calls with this action in a maintainer script. */
function diversions(script: string, action: 'add' | 'remove'): string[][] {
  const text = read(`packaging/debian/${script}`).replace(/\\\n\s*/g, ' ');
  const re = new RegExp(`dpkg-divert\\s+--package instance-ha-agents\\s+--${action}\\s+--rename\\s+--divert\\s+(\\S+)\\s+(\\S+)`, 'g');
  return [...text.matchAll(re)].map((m) => [m[2]!, m[1]!]);
}

describe('the packaging agrees with agents/registry.ts', () => {
  beforeAll(async () => {
    // A source tree with stub build outputs, installed with the real Makefile.
    tmp = mkdtempSync(join(tmpdir(), 'iha-registry-'));
    root = join(tmp, 'root');
    for (const path of ['man', 'docs', 'packaging', 'README.md']) symlinkSync(join(REPO, path), join(tmp, path));
    const sea = join(tmp, 'build', 'sea');
    mkdirSync(join(sea, 'metadata'), { recursive: true });
    writeFileSync(join(sea, 'instance-ha-agents'), '');
    for (const p of AGENTS) writeFileSync(join(sea, 'metadata', `${p.name}.xml`), '');
    writeFileSync(join(sea, 'agent.sh.in'), launcher());
    writeFileSync(join(sea, 'programs.mk'), makeFragment());
    const r = await run('make', ['-s', '-C', tmp, '-f', join(REPO, 'Makefile'), 'install', `DESTDIR=${root}`]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('declares each program once, each agent with its metadata calls and man page, OCF agents where Pacemaker looks', () => {
    expect(new Set(PROGRAMS.map((p) => p.name)).size).toBe(PROGRAMS.length);
    for (const p of AGENTS) {
      expect(p.metadata?.length, p.name).toBeGreaterThan(0);
      expect(p.man, p.name).toBeDefined();
      expect(p.dir === 'ocf', p.name).toBe(p.protocol === 'ocf');
    }
  });

  it('make install puts each program and man page where the registry says', () => {
    const files = tree(root);
    for (const p of AGENTS) {
      expect(readFileSync(join(root, installPath(p)), 'utf8'), p.name).toBe(launcher().replace('@LIBDIR@', LIBDIR));
    }
    for (const p of PROGRAMS.filter((q) => q.protocol === 'cli')) {
      expect(readlinkSync(join(root, installPath(p))), p.name).toBe(`${LIBDIR}/instance-ha-agents`);
    }
    for (const p of PROGRAMS.filter((q) => q.man)) expect(files, p.name).toContain(manPath(p));
    for (const p of PROGRAMS.filter((q) => q.completion)) {
      expect(readFileSync(join(root, completionPath(p)!), 'utf8'), p.name).toBe(read(`packaging/completion/${p.name}`));
    }
    expect(PROGRAMS.filter((q) => q.completion).map((q) => q.name)).toEqual(['instance-ha']);
    // Only the Makefile's fixed parts besides: the executable, its metadata and the docs.
    const others = files.filter((f) => !f.startsWith(`${LIBDIR}/`) && !f.startsWith('/usr/share/doc/'));
    expect(others.sort()).toEqual(rpmFiles().trim().split('\n').sort());
  });

  it('the Makefile names no program and installs in the registry\'s directories', () => {
    const makefile = read('Makefile');
    expect(makefile).toContain('include build/sea/programs.mk');
    for (const p of PROGRAMS) expect(makefile, p.name).not.toMatch(word(p.name));
    for (const [key, dir] of Object.entries(DIRS)) {
      const line = makefile.match(new RegExp(`^${key.toUpperCase()}DIR\\s*\\?=\\s*(\\S+)`, 'm'));
      expect(line?.[1]?.replace('$(PREFIX)', '/usr'), key).toBe(dir);
    }
  });

  it('the RPM packages exactly what make install installs; its hand-written %files name no program', () => {
    const { handWritten, all } = rpmEntries();
    expect(read('packaging/rpm/instance-ha-agents.spec')).toContain('%files -f %{_sourcedir}/build/sea/rpm-files\n');
    for (const p of PROGRAMS) expect(handWritten.join('\n'), p.name).not.toMatch(word(p.name));
    const files = tree(root);
    expect(files.filter((f) => !all.some((e) => f === e || f.startsWith(`${e}/`)))).toEqual([]);
    expect(all.filter((e) => !files.some((f) => f === e || f.startsWith(`${e}/`)))).toEqual([]);
  });

  it('the .deb diverts exactly what the registry says another package ships, and gives it back', () => {
    const expected = PROGRAMS.filter((p) => p.diverts).flatMap((p) => [
      [installPath(p), `${installPath(p)}.distrib`],
      [manPath(p)!, manPath(p)!.replace(/(\.\d\.gz)$/, '.distrib$1')],
    ]);
    expect(diversions('preinst', 'add')).toEqual(expected);
    expect(diversions('postrm', 'remove')).toEqual(expected);
    for (const [path] of expected) expect(tree(root)).toContain(path);
  });

  it('both packages describe every agent', () => {
    const names = AGENTS.map((p) => (p.protocol === 'ocf' ? `ocf:openstack:${p.name}` : p.name));
    const control = read('packaging/debian/control.in');
    const spec = read('packaging/rpm/instance-ha-agents.spec');
    const description = spec.slice(spec.indexOf('%description'), spec.indexOf('%install'));
    for (const name of names) {
      expect(control.slice(control.indexOf('Description:')), name).toContain(name);
      expect(description, name).toContain(name);
    }
  });

  it('the launcher answers every metadata call of the registry from the XML, and runs the executable otherwise', async () => {
    const lib = join(tmp, 'launcher', 'lib');
    mkdirSync(join(lib, 'metadata'), { recursive: true });
    writeFileSync(join(lib, 'instance-ha-agents'), '#!/bin/bash\necho "executable $*"\n');
    chmodSync(join(lib, 'instance-ha-agents'), 0o755);
    for (const p of AGENTS) {
      writeFileSync(join(lib, 'metadata', `${p.name}.xml`), `<${p.name}/>\n`);
      const path = join(tmp, 'launcher', p.dir, p.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, launcher().replace('@LIBDIR@', lib), { mode: 0o755 });
      for (const args of p.metadata ?? []) expect((await run(path, args)).stdout, `${p.name} ${args.join(' ')}`).toBe(`<${p.name}/>`);
      expect((await run(path, ['status'])).stdout, p.name).toBe('executable status');
    }
  });

  it('the launcher answers compute-unfence-trigger monitor alone only while the agent\'s state file says the node is in service', async () => {
    const lib = join(tmp, 'trigger', 'lib');
    const rsctmp = join(tmp, 'trigger', 'rsctmp');
    mkdirSync(lib, { recursive: true });
    mkdirSync(rsctmp, { recursive: true });
    writeFileSync(join(lib, 'instance-ha-agents'), '#!/bin/bash\necho "executable $*"; exit 7\n', { mode: 0o755 });
    const path = join(tmp, 'trigger', 'compute-unfence-trigger');
    writeFileSync(path, launcher().replace('@LIBDIR@', lib), { mode: 0o755 });
    const instance = 'compute-unfence-trigger:3';
    // the agent's own StateFile names the file: both must agree
    const state = new StateFile(rsctmp, 'compute-unfence-trigger', instance);
    const monitor = async (env: Record<string, string> = { OCF_RESOURCE_INSTANCE: instance }) => {
      const r = await run(path, ['monitor'], { env: { HA_RSCTMP: rsctmp, ...env } });
      return { code: r.code, out: r.stdout };
    };
    expect(await monitor()).toEqual({ code: 7, out: 'executable monitor' }); // no state: the agent says not running
    state.write(JSON.stringify({ node: 'compute-3', inService: false }));
    expect(await monitor()).toEqual({ code: 7, out: 'executable monitor' }); // degraded or not yet known: the agent asks Nova
    state.write(JSON.stringify({ node: 'compute-3', inService: true }));
    expect(await monitor()).toEqual({ code: 0, out: '' });
    expect(await monitor({ OCF_RESOURCE_INSTANCE: 'other' })).toEqual({ code: 7, out: 'executable monitor' });
    expect((await run(path, ['start'], { env: { HA_RSCTMP: rsctmp, OCF_RESOURCE_INSTANCE: instance } })).stdout).toBe('executable start');
  });
});
