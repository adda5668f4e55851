import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.ts';

// clouds.yaml, as openstacksdk finds it. The file format used there is plain nested block
// mappings of scalars; this reader accepts exactly that subset and says so on anything else
// (anchors, flow collections, multi-line scalars), rather than guessing.

export interface CloudEntry {
  auth?: Record<string, unknown>;
  region_name?: string;
  interface?: string;
  endpoint_type?: string;
  verify?: boolean;
  insecure?: boolean;
  cacert?: unknown;
  [key: string]: unknown;
}

type YamlValue = string | boolean | number | null | YamlMap;
interface YamlMap { [key: string]: YamlValue }

export function cloudsYamlPaths(env: NodeJS.ProcessEnv): string[] {
  if (env.OS_CLIENT_CONFIG_FILE) return [env.OS_CLIENT_CONFIG_FILE];
  return [join(process.cwd(), 'clouds.yaml'), join(env.HOME ?? homedir(), '.config/openstack/clouds.yaml'), '/etc/openstack/clouds.yaml'];
}

export function loadCloud(name: string, env: NodeJS.ProcessEnv): CloudEntry {
  for (const path of cloudsYamlPaths(env)) {
    if (!existsSync(path)) continue;
    const doc = parseYamlSubset(readFileSync(path, 'utf8'), path);
    const clouds = doc.clouds;
    const entry = clouds && typeof clouds === 'object' ? clouds[name] : undefined;
    if (entry && typeof entry === 'object') return entry as CloudEntry;
    throw new ConfigError(`cloud '${name}' is not in ${path}`);
  }
  throw new ConfigError(`cloud '${name}' given but no clouds.yaml found (${cloudsYamlPaths(env).join(', ')})`);
}

function scalar(raw: string, where: string): YamlValue {
  const v = raw.trim();
  if (v === '' || v === '~' || v === 'null') return null;
  if (/^['"]/.test(v)) {
    const q = v[0];
    if (!v.endsWith(q ?? '') || v.length < 2) throw new ConfigError(`${where}: unterminated quoted value`);
    const inner = v.slice(1, -1);
    return q === "'" ? inner.replace(/''/g, "'") : inner.replace(/\\(["\\/nt])/g, (_, c: string) => ({ n: '\n', t: '\t' } as Record<string, string>)[c] ?? c);
  }
  if (/^[[{&*!|>]/.test(v)) throw new ConfigError(`${where}: unsupported YAML (flow collections, anchors, tags and block scalars are not read)`);
  if (/^(true|yes|on)$/i.test(v)) return true;
  if (/^(false|no|off)$/i.test(v)) return false;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v.replace(/\s+#.*$/, '');
}

export function parseYamlSubset(text: string, source = 'clouds.yaml'): YamlMap {
  const root: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: -1, map: root }];
  text.split('\n').forEach((line, i) => {
    const where = `${source} line ${i + 1}`;
    if (/^\s*(#.*)?$/.test(line) || line.trim() === '---') return;
    if (line.includes('\t')) throw new ConfigError(`${where}: tabs are not allowed for indentation`);
    const m = /^( *)([^:#][^:]*?|"[^"]*"|'[^']*'):(?:\s+(.*))?$/.exec(line.replace(/\s+#[^'"]*$/, ''));
    if (!m) throw new ConfigError(`${where}: expected "key: value"`);
    const indent = m[1]?.length ?? 0;
    const key = String(scalar(m[2] ?? '', where));
    while (stack.length > 1 && indent <= (stack[stack.length - 1]?.indent ?? -1)) stack.pop();
    const parent = stack[stack.length - 1]!.map;
    if (m[3] === undefined || m[3].trim() === '') {
      const child: YamlMap = {};
      parent[key] = child;
      stack.push({ indent, map: child });
    } else {
      parent[key] = scalar(m[3], where);
    }
  });
  return root;
}
