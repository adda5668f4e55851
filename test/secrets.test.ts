import { describe, expect, it } from 'vitest';
import { holdsSecret, maskSecrets, registerSecret } from '../lib/secrets.ts';
import { Logger } from '../lib/log.ts';
import { assertNoSecret, SecretLeakError } from '../lib/child.ts';

describe('the process-wide secrets', () => {
  it('one registration masks the value in every Logger (also one made before) and refuses it in children', () => {
    const early = new Logger({ tag: 'test', stderr: false, syslog: false });
    registerSecret('registered-once-42');
    expect(early.mask('pw=registered-once-42;')).toBe('pw=****;');
    expect(maskSecrets('a registered-once-42 b registered-once-42')).toBe('a **** b ****');
    expect(() => assertNoSecret(['tool'], { X: 'registered-once-42' })).toThrow(SecretLeakError);
  });
  it('values shorter than 3 characters and absent values are not secrets (they would mask ordinary words)', () => {
    registerSecret('no');
    registerSecret('');
    registerSecret(undefined);
    expect(maskSecrets('no, 0')).toBe('no, 0');
    expect(holdsSecret('no')).toBe(false);
  });
});
