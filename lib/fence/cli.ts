import { Command, CommanderError, Option } from 'commander';
import { ParamError, longFlag, type ParamSpec } from '../params/types.ts';

export interface CliOptions {
  raw: Map<string, string>;
  warnings: string[];
}

/**
 * The command-line form of the fence-agents protocol (getopt style): each parameter's short
 * and long flag from its declaration. Flags without a value (booleans) mean "1"; a counter
 * (-v) counts. Unknown flags are an error.
 */
export function parseCli(argv: readonly string[], params: readonly ParamSpec[]): CliOptions {
  const program = new Command()
    .helpOption(false)
    .allowExcessArguments(true)
    .allowUnknownOption(false)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  program.argument('[stray...]');
  const byAttribute = new Map<string, ParamSpec>();
  for (const p of params) {
    const longs = [longFlag(p), ...(p.cliAliases ?? [])];
    longs.forEach((long, i) => {
      const short = i === 0 && p.short ? `-${p.short}, ` : '';
      const flags = p.flag ? `${short}--${long}` : `${short}--${long} <${p.valueName ?? 'value'}>`;
      const option = new Option(flags);
      if (p.countsInto) option.argParser((_v: string, prev: number | undefined) => (prev ?? 0) + 1);
      byAttribute.set(option.attributeName(), p);
      program.addOption(option);
    });
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new ParamError(cliMessage(e));
    throw e;
  }
  const opts = program.opts<Record<string, string | boolean | number>>();
  const raw = new Map<string, string>();
  for (const [attr, v] of Object.entries(opts)) {
    const p = byAttribute.get(attr);
    if (!p || program.getOptionValueSource(attr) !== 'cli') continue;
    // Commander reads --no-shared-storage as a negation (false); here it is a plain flag.
    raw.set(p.name, typeof v === 'boolean' || p.countsInto ? '1' : String(v));
    if (p.countsInto && !raw.has(p.countsInto)) raw.set(p.countsInto, String(v));
  }
  const warnings = program.args.map((a) => `ignoring stray argument '${a.length > 64 ? `${a.slice(0, 64)}…` : a}'`);
  return { raw, warnings };
}

function cliMessage(e: CommanderError): string {
  // Commander's messages start with "error: "; keep them to one line.
  // A mistyped flag may carry a password after '=': never echo it.
  const line = e.message.replace(/^error:\s*/, '').split('\n')[0] ?? 'invalid command line';
  return line.replace(/=[^'\s]*/g, '=…');
}
