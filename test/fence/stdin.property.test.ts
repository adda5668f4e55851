import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseStdin } from '../../lib/fence/stdin.ts';
import { readBoundedStdin } from '../../lib/stdin.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';
import { SECRET, canonicalOf, expectOneCleanLine, hostileText, keySpellings, runs } from '../helpers/bad-input.ts';

// The stdin half of the fence-agents protocol under hostile input (fault matrix, "Bad input"):
// nothing on stdin makes the parser throw; every skipped line gets one warning naming its line
// number, never its value.

const parse = (text: string) => parseStdin(text, fenceComputeParams);
const DECLARED = new Set<string>(fenceComputeParams.map((p) => p.name));
/** What a value looks like once it is a line of its own (the parser trims it). */
const oneLineValue = hostileText.map((s) => s.replace(/[\n\0]/g, ' ').trim());

/** Bytes through the same reader the agent uses (UTF-8 decoding, replacement characters). */
const readBytes = (bytes: Uint8Array, maxBytes?: number) => readBoundedStdin(Readable.from([Buffer.from(bytes)]), 5_000, maxBytes);

describe('fence-agents stdin (property)', () => {
  it('any text: no exception, only declared parameters, every warning one clean line naming its line', () => {
    const line = fc.oneof(hostileText, fc.tuple(keySpellings(fenceComputeParams), hostileText).map(([k, v]) => `${k}=${v}`));
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
      const text = lines.join(eol);
      const r = parse(text);
      const lineCount = text.split('\n').length;
      for (const key of r.raw.keys()) expect(DECLARED.has(key)).toBe(true);
      for (const w of r.warnings) {
        expectOneCleanLine(w);
        const n = Number(/^stdin line (\d+): /.exec(w)?.[1]);
        expect(n >= 1 && n <= lineCount).toBe(true);
      }
    }), runs(500));
  });

  it('arbitrary bytes, invalid UTF-8 included, are read and parsed without an exception', async () => {
    const invalidUtf8 = fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0]);
    const chunk = fc.oneof(fc.uint8Array({ maxLength: 64 }), invalidUtf8.map((b) => Uint8Array.from(b)),
      fc.constantFrom('action=', 'plug=', '\n', '=', '#').map((s) => Buffer.from(s)));
    await fc.assert(fc.asyncProperty(fc.array(chunk, { maxLength: 10 }), async (chunks) => {
      const r = parse(await readBytes(Buffer.concat(chunks)));
      for (const w of r.warnings) expectOneCleanLine(w);
    }), runs(300));
  });

  it('duplicate keys, through any alias or spelling: the last line wins', () => {
    // (Quoted values are the example tests' business: here the value must come back as written.)
    const entry = fc.tuple(keySpellings(fenceComputeParams), oneLineValue.filter((v) => !v.startsWith('"')));
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }), (entries) => {
      const r = parse(entries.map(([k, v]) => `${k}=${v}`).join('\n'));
      const expected = new Map<string, string>();
      for (const [k, v] of entries) expected.set(canonicalOf(fenceComputeParams, k)!, v);
      expect(r.raw).toEqual(expected);
      expect(r.warnings).toEqual([]);
    }), runs(300));
  });

  it('a line without "=", with a NUL byte or with an unknown key is skipped with one warning, never echoing its value', () => {
    const unknownKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/).filter((k) => canonicalOf(fenceComputeParams, k) === undefined && k !== 'nodename' && k !== 'nodeid');
    const bad = fc.oneof(
      fc.constant(`${SECRET}`).map((v) => ({ line: v, says: 'ignored, expected key=value' })),
      fc.constant(`=${SECRET}`).map((v) => ({ line: v, says: 'ignored, expected key=value' })),
      keySpellings(fenceComputeParams).map((k) => ({ line: `${k}=${SECRET}\0`, says: 'ignored, contains a NUL byte' })),
      unknownKey.map((k) => ({ line: `${k}=${SECRET}`, says: `ignoring unknown parameter '${k}'` })),
    );
    fc.assert(fc.property(fc.array(bad, { minLength: 1, maxLength: 6 }), (lines) => {
      const r = parse(['plug=compute-0', ...lines.map((l) => l.line)].join('\n'));
      expect(r.warnings).toEqual(lines.map((l, i) => `stdin line ${i + 2}: ${l.says}`));
      expect(Object.fromEntries(r.raw)).toEqual({ plug: 'compute-0' });
      expect(r.warnings.join('\n')).not.toContain(SECRET);
    }), runs(200));
  });

  it('huge lines: warnings stay short, values are kept whole', () => {
    fc.assert(fc.property(fc.integer({ min: 10_000, max: 500_000 }), fc.constantFrom('k', 'plug'), (size, key) => {
      const long = 'x'.repeat(size);
      const r = parse(`${key === 'k' ? long : key}=${long}\n${long}`);
      for (const w of r.warnings) expect(w.length).toBeLessThan(120);
      if (key === 'plug') expect(r.raw.get('plug')).toHaveLength(size);
    }), runs(10));
  });

  it('more than the byte limit on stdin is refused with one clear line', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 100 }), async (limit, over) => {
      await expect(readBytes(new Uint8Array(limit + over).fill(0x61), limit)).rejects.toThrow(`stdin is larger than ${limit} bytes`);
      await expect(readBytes(new Uint8Array(limit).fill(0x61), limit)).resolves.toHaveLength(limit);
    }), runs(50));
  });
});
