import { describe, expect, it } from 'vitest';
import { sharedRead } from '../lib/shared-read.ts';

describe('one read for every host task asking at about the same time', () => {
  it('callers within maxAgeMs (and while it is in flight) share one read; later ones read again', async () => {
    let reads = 0;
    const read = sharedRead(async () => { reads++; await new Promise((r) => setTimeout(r, 20)); return reads; }, 200);
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    expect(await read()).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    expect(await read()).toBe(2);
  });
  it('a failed read is not shared', async () => {
    let calls = 0;
    const read = sharedRead(async () => { calls++; if (calls === 1) throw new Error('503'); return 'ok'; }, 10_000);
    await expect(read()).rejects.toThrow('503');
    expect(await read()).toBe('ok');
  });
});
