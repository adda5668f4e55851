import { indexParams, normalizeKey, type ParamSpec } from '../params/types.ts';
import { printable } from '../text.ts';

export interface StdinOptions {
  /** Raw values by canonical name; later lines win. */
  raw: Map<string, string>;
  /** One line each, naming the key or line number, never a value. */
  warnings: string[];
}

/** Keys Pacemaker or the reference library pass that mean nothing to a fence agent here. */
const IGNORED_KEYS = new Set(['nodename', 'nodeid']);

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * fence-agents stdin protocol: one `key=value` per line; blank lines and lines starting with
 * '#' are skipped; one pair of surrounding double quotes is removed; '-' and '_' in keys are
 * interchangeable; unknown keys are ignored with a warning.
 */
export function parseStdin(text: string, params: readonly ParamSpec[]): StdinOptions {
  const index = indexParams(params);
  const result: StdinOptions = { raw: new Map(), warnings: [] };
  const lines = text.split('\n');
  lines.forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `stdin line ${i + 1}`;
    if (line.includes('\0')) {
      result.warnings.push(`${where}: ignored, contains a NUL byte`);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      result.warnings.push(`${where}: ignored, expected key=value`);
      return;
    }
    const key = normalizeKey(line.slice(0, eq));
    const value = unquote(line.slice(eq + 1).trim());
    const spec = index.get(key);
    if (spec) {
      result.raw.set(spec.name, value);
    } else if (!IGNORED_KEYS.has(key)) {
      result.warnings.push(`${where}: ignoring unknown parameter '${printable(line.slice(0, eq).trim())}'`);
    }
  });
  return result;
}

