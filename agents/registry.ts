import type { ParamSpec } from '../lib/params/types.ts';

// Every program the executable runs, declared once. agents/main.ts, the build scripts, the
// generated docs and the packaging (scripts/packaging-lists.ts) read it; test/packaging/
// registry.test.ts fails when a hand-written packaging file disagrees. agents/main.ts imports
// this at every start: code is reached only through the lazy import()s.

/** Where the packages install programs (the Makefile's SBINDIR, OCFDIR, BINDIR with PREFIX=/usr). */
export const DIRS = { sbin: '/usr/sbin', ocf: '/usr/lib/ocf/resource.d/openstack', bin: '/usr/bin' } as const;

export interface Docs { manPage: string; params: readonly ParamSpec[] }

export interface Program {
  name: string;
  /** fence and ocf agents are installed as the launcher (packaging/launcher); cli as a link to the executable. */
  protocol: 'fence' | 'ocf' | 'cli';
  entry: () => Promise<{ main: () => Promise<number> }>;
  dir: keyof typeof DIRS;
  /** man/<page>.<section>, generated from docs. */
  man?: { section: 7 | 8; page: string };
  /** The argument lists that ask for the metadata: the first is run at build time, the launcher answers all of them. */
  metadata?: string[][];
  /** The man page and the README table (block `<name>-params`). */
  docs?: () => Promise<Docs>;
  /** Debian's fence-agents ships the same path: the .deb diverts it and its man page (preinst, postrm). */
  diverts?: boolean;
}

// The man page generators are loaded through a path esbuild does not follow: the executable
// does not carry them (fence_compute's comes with its entry anyway, for -o manpage).
const load = <T>(path: string): Promise<T> => import(path) as Promise<T>;
type FenceComputeManPage = typeof import('../lib/fence-compute/manpage.ts');
type NovaEvacuateManPage = typeof import('../lib/nova-evacuate/manpage.ts');
type UnfenceTriggerManPage = typeof import('../lib/unfence-trigger/manpage.ts');

export const PROGRAMS: readonly Program[] = [
  {
    name: 'fence_compute', protocol: 'fence', entry: () => import('./fence_compute.ts'), dir: 'sbin',
    man: { section: 8, page: 'fence_compute' },
    metadata: [['-o', 'metadata'], ['--action=metadata'], ['--action', 'metadata']],
    docs: async () => {
      const [{ fenceCompute }, { fenceComputeManPage }] = await Promise.all([
        import('../lib/fence-compute/agent.ts'), load<FenceComputeManPage>('../lib/fence-compute/manpage.ts')]);
      return { manPage: fenceComputeManPage(fenceCompute), params: fenceCompute.params };
    },
    diverts: true,
  },
  {
    name: 'NovaEvacuate', protocol: 'ocf', entry: () => import('./NovaEvacuate.ts'), dir: 'ocf',
    man: { section: 7, page: 'ocf_openstack_NovaEvacuate' },
    metadata: [['meta-data']],
    docs: async () => {
      const [{ novaEvacuate }, { novaEvacuateManPage }] = await Promise.all([
        import('../lib/nova-evacuate/agent.ts'), load<NovaEvacuateManPage>('../lib/nova-evacuate/manpage.ts')]);
      return { manPage: novaEvacuateManPage(), params: novaEvacuate.params };
    },
  },
  {
    name: 'compute-unfence-trigger', protocol: 'ocf', entry: () => import('./compute-unfence-trigger.ts'), dir: 'ocf',
    man: { section: 7, page: 'ocf_openstack_compute-unfence-trigger' },
    metadata: [['meta-data']],
    docs: async () => {
      const [{ computeUnfenceTrigger }, { unfenceTriggerManPage }] = await Promise.all([
        import('../lib/unfence-trigger/agent.ts'), load<UnfenceTriggerManPage>('../lib/unfence-trigger/manpage.ts')]);
      return { manPage: unfenceTriggerManPage(), params: computeUnfenceTrigger.params };
    },
  },
  { name: 'instance-ha', protocol: 'cli', entry: () => import('./instance-ha.ts'), dir: 'bin' },
];

export function program(name: string): Program | undefined {
  return PROGRAMS.find((p) => p.name === name);
}

/** The installed path of a program (fence_compute → /usr/sbin/fence_compute). */
export function installPath(p: Program): string {
  return `${DIRS[p.dir]}/${p.name}`;
}

/** The installed path of its man page, gzipped. */
export function manPath(p: Program): string | undefined {
  return p.man && `/usr/share/man/man${p.man.section}/${p.man.page}.${p.man.section}.gz`;
}
