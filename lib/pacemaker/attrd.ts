import { runChild, type ChildResult } from '../child.ts';
import { decodeXml, elements } from './xml-attrs.ts';

// pacemaker-attrd through attrd_updater: the only place the agents touch node attributes.
// Queries use --output-as=xml, whose escaping survives any value (the text form does not).

export interface AttrdEntry {
  node: string;
  value: string;
}

export interface AttrdOptions {
  binary?: string;
  timeoutMs?: number;
}

export interface WriteOptions {
  node?: string;
  /** -p: never written to the CIB (the reference protocol's `evacuate` is private). */
  private?: boolean;
}

export class AttrdError extends Error {
  override name = 'AttrdError';
}

/** Pacemaker 2.1.5 answers a missing attribute with exit 78, newer ones with 105 (no such). */
const ABSENT = /attribute does not exist/i;

export class Attrd {
  private readonly binary: string;
  private readonly timeoutMs: number;

  constructor(options: AttrdOptions = {}) {
    this.binary = options.binary ?? 'attrd_updater';
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Value on one node (local node when omitted); undefined when absent or empty (-D empties). */
  async query(name: string, node?: string): Promise<string | undefined> {
    const args = ['-Q', '-n', name, '--output-as=xml', ...(node ? ['-N', node] : [])];
    const entries = await this.queryEntries(args, `query ${name}${node ? ` on ${node}` : ''}`);
    return entries[0]?.value || undefined;
  }

  /** Non-empty values on every node that has the attribute. */
  async queryAll(name: string): Promise<AttrdEntry[]> {
    return this.queryEntries(['-Q', '-A', '-n', name, '--output-as=xml'], `query ${name} on all nodes`);
  }

  async update(name: string, value: string, options: WriteOptions = {}): Promise<void> {
    await this.write(['-n', name, '-U', value, ...writeFlags(options)], `set ${name}=${value}${onNode(options)}`);
  }

  /** attrd cannot remove an attribute: -D sets it to the empty string. */
  async remove(name: string, options: WriteOptions = {}): Promise<void> {
    await this.write(['-n', name, '-D', ...writeFlags(options)], `delete ${name}${onNode(options)}`);
  }

  private async queryEntries(args: string[], what: string): Promise<AttrdEntry[]> {
    const r = await this.run(args, what);
    if (r.exitCode !== 0 && ABSENT.test(`${r.stdout}\n${r.stderr}`)) return [];
    if (r.exitCode !== 0) throw this.failure(what, r);
    return parseAttributes(r.stdout).filter((e) => e.value !== '');
  }

  private async write(args: string[], what: string): Promise<void> {
    const r = await this.run(args, what);
    if (r.exitCode !== 0) throw this.failure(what, r);
  }

  private async run(args: string[], what: string): Promise<ChildResult> {
    const r = await runChild(this.binary, args, { timeoutMs: this.timeoutMs });
    if (r.timedOut) throw new AttrdError(`attrd_updater: ${what}: no answer within ${this.timeoutMs / 1000} s`);
    return r;
  }

  private failure(what: string, r: ChildResult): AttrdError {
    const reason = firstLine(xmlStatusMessage(r.stdout) ?? r.stderr) || `exit code ${r.exitCode}`;
    return new AttrdError(`attrd_updater: ${what} failed: ${reason}`);
  }
}

function writeFlags(o: WriteOptions): string[] {
  return [...(o.node ? ['-N', o.node] : []), ...(o.private ? ['-p'] : [])];
}

function onNode(o: WriteOptions): string {
  return o.node ? ` on ${o.node}` : '';
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.trim() ?? '';
}

/** `<attribute name=".." value=".." host=".."/>` elements, attributes in any order. */
export function parseAttributes(xml: string): AttrdEntry[] {
  return elements(xml, 'attribute').filter((a) => a.host !== undefined && a.value !== undefined)
    .map((a) => ({ node: a.host ?? '', value: a.value ?? '' }));
}

function xmlStatusMessage(xml: string): string | undefined {
  const status = elements(xml, 'status')[0];
  if (!status) return undefined;
  const errors = [...xml.matchAll(/<error>([^<]*)<\/error>/g)].map((e) => decodeXml(e[1] ?? ''));
  return [status.message, ...errors].filter(Boolean).join(': ') || undefined;
}
