import { ParamError, longFlag, type ParamSpec } from '../params/types.ts';
import { printable } from '../text.ts';

// The command-line form of the fence-agents protocol, GNU getopt_long style as the reference
// library parses it: -o off, -ooff, --action off, --action=off, bundled flags (-vv), unique
// long-option prefixes (--plu), options and stray words in any order, `--` ends options.
// Flags (booleans) mean "1"; -v counts into verbose_level. Unknown options are an error.
// Hand-written rather than a CLI framework: it is the whole start-up cost of `-o metadata`.

export interface CliOptions {
  raw: Map<string, string>;
  warnings: string[];
}

interface Entry { spec: ParamSpec; flag: string }

export function parseCli(argv: readonly string[], params: readonly ParamSpec[]): CliOptions {
  const longs = new Map<string, Entry>();
  const shorts = new Map<string, Entry>();
  for (const p of params) {
    for (const l of [longFlag(p), ...(p.cliAliases ?? [])]) longs.set(l, { spec: p, flag: `--${l}` });
    if (p.short) shorts.set(p.short, { spec: p, flag: `-${p.short}` });
  }
  const raw = new Map<string, string>();
  const counts = new Map<ParamSpec, number>();
  const stray: string[] = [];
  const set = (spec: ParamSpec, value: string | undefined) => {
    if (value !== undefined) return void raw.set(spec.name, value);
    raw.set(spec.name, '1');
    if (spec.countsInto) counts.set(spec, (counts.get(spec) ?? 0) + 1);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') { stray.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const entry = longs.get(name) ?? uniquePrefix(longs, name, arg);
      if (entry.spec.flag) {
        if (eq >= 0) throw new ParamError(`option '${entry.flag}' takes no value`);
        set(entry.spec, undefined);
      } else if (eq >= 0) {
        set(entry.spec, arg.slice(eq + 1));
      } else {
        if (i + 1 >= argv.length) throw new ParamError(`option '${entry.flag}' argument missing`);
        set(entry.spec, argv[++i]);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? '';
        const entry = shorts.get(letter);
        if (!entry) throw new ParamError(`unknown option '-${printable(letter)}'`);
        if (entry.spec.flag) { set(entry.spec, undefined); continue; }
        const attached = arg.slice(j + 1);
        if (attached) { set(entry.spec, attached); break; }
        if (i + 1 >= argv.length) throw new ParamError(`option '${entry.flag}' argument missing`);
        set(entry.spec, argv[++i]);
        break;
      }
      continue;
    }
    stray.push(arg);
  }
  for (const [spec, n] of counts) if (spec.countsInto && !raw.has(spec.countsInto)) raw.set(spec.countsInto, String(n));
  return { raw, warnings: stray.map((a) => `ignoring stray argument '${shownArg(a)}'`) };
}

/** A word as a message may show it: it may be a mistyped password flag, so never what follows '='. */
function shownArg(arg: string): string {
  return printable(arg.replace(/=.*$/s, '=…'));
}

function uniquePrefix(longs: Map<string, Entry>, name: string, arg: string): Entry {
  const matches = new Set([...longs].filter(([l]) => name !== '' && l.startsWith(name)).map(([, e]) => e));
  const only = [...matches];
  const shown = shownArg(arg);
  if (only.length === 1 && only[0]) return only[0];
  if (only.length > 1) throw new ParamError(`option '${shown}' is ambiguous (${only.map((e) => e.flag).join(', ')})`);
  throw new ParamError(`unknown option '${shown}'`);
}

