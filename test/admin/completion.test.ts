import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { instanceHaProgram } from '../../lib/admin/cli.ts';
import { Logger } from '../../lib/log.ts';
import { REPO, run } from '../helpers/run.ts';

// The bash completion (packaging/completion/instance-ha, generated from the commands the CLI
// runs) in a real bash: what it offers after what was typed.

const SCRIPT = join(REPO, 'packaging', 'completion', 'instance-ha');

/** COMPREPLY for the words typed so far (the last one being completed), host names from a stub. */
async function complete(...words: string[]): Promise<string[]> {
  const line = ['instance-ha', ...words].map((w) => `'${w}'`).join(' ');
  const script = `source '${SCRIPT}'; _instance_ha_hosts() { echo compute-0; echo compute-1; }
COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _instance_ha; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await run('bash', ['-c', script]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('bash completion for instance-ha', () => {
  it('offers every command the CLI has', async () => {
    const commands = instanceHaProgram(new Logger({ tag: 't', stderr: false, syslog: false }), { code: 0 }).commands.map((c) => c.name());
    expect(commands).toEqual(expect.arrayContaining(['status', 'release', 'forget', 'pause', 'resume', 'evacuate', 'maintenance']));
    expect(await complete('')).toEqual([...commands, '--help', '--version'].sort());
    expect(await complete('re')).toEqual(['release', 'resume']);
  });
  it("a command's options and subcommands; host names where it takes a host; nothing after an option's value is due", async () => {
    expect(await complete('evacuate', '--')).toEqual(['--help', '--host-is-off', '--os-cloud', '--reason']);
    expect(await complete('evacuate', 'comp')).toEqual(['compute-0', 'compute-1']);
    expect(await complete('evacuate', 'compute-0', '--host-is-off', '--reason', '')).toEqual([]);
    expect(await complete('maintenance', '')).toEqual(['--help', 'end', 'start']);
    expect(await complete('maintenance', 'start', '--no')).toEqual(['--no-migrate']);
    expect(await complete('pause', '')).toEqual(['--help', '--reason']);
  });
});
