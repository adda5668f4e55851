import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';

// A throw-away self-signed certificate for 127.0.0.1, made with openssl.
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { stdio: 'ignore', timeout: 30_000 });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function get(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('simulator over TLS', () => {
  let sim: Simulator;
  let tls: { key: string; cert: string };
  beforeAll(async () => {
    tls = selfSigned();
    sim = await startSimulator({ tls });
  });
  afterAll(() => sim.stop());

  it('serves https with the given certificate, and fails verification without its CA', async () => {
    expect(sim.authUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/identity\/v3$/);
    expect(await get(sim.authUrl, tls.cert)).toBe(200);
    await expect(get(sim.authUrl)).rejects.toThrow(/self[- ]signed/i);
  });
});
