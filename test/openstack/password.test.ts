import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePassword } from '../../lib/openstack/password.ts';
import { Logger } from '../../lib/log.ts';
import { assertNoSecret } from '../../lib/child.ts';

function script(body: string, mode = 0o755): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ihaa-pw-')), 'pw.sh');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  return file;
}
const log = () => new Logger({ tag: 'test', stderr: false, syslog: false });

describe('password / password_script', () => {
  it('password wins over the script', async () => {
    expect(await resolvePassword({ password: 'p', password_script: '/bin/false' })).toBe('p');
  });
  it('runs the script without a shell, passing its words as arguments; trailing white space removed', async () => {
    const s = script('printf "%s-%s \\n\\n" "$1" "$2"');
    expect(await resolvePassword({ password_script: `${s} alpha beta` })).toBe('alpha-beta');
  });
  it('its output becomes a secret: masked in logs, refused in children', async () => {
    const l = log();
    const s = script('echo script-secret-xyz');
    await resolvePassword({ password_script: s });
    expect(l.mask('token script-secret-xyz here')).toBe('token **** here');
    expect(() => assertNoSecret(['attrd_updater', '-U', 'script-secret-xyz'], {})).toThrow(/secret/);
  });
  it('fails with one line on a non-zero exit, no output, a missing file, or a timeout', async () => {
    await expect(resolvePassword({ password_script: script('exit 3') })).rejects.toThrow('password_script failed with exit code 3');
    await expect(resolvePassword({ password_script: script('true') })).rejects.toThrow('printed no password');
    await expect(resolvePassword({ password_script: '/nonexistent/pw' })).rejects.toThrow(/exit code 127/);
    await expect(resolvePassword({ password_script: script('sleep 5'), shell_timeout: 0.3 })).rejects.toThrow('did not finish within 0.3 s');
  });
});
