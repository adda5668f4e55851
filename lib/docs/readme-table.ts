import { longFlag, type ParamSpec } from '../params/types.ts';
import { paramDescription } from './manpage.ts';

/** A Markdown table of an agent's parameters for README.md. */
export function readmeParamTable(params: readonly ParamSpec[], style: 'fence' | 'ocf'): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = params.map((p) => {
    const names = [p.name, ...(p.deprecatedNames ?? [])].map((n) => `\`${n}\``).join(', ');
    const cli = style === 'fence' ? ` | ${[p.short ? `\`-${p.short}\`` : '', `\`--${longFlag(p)}\``].filter(Boolean).join(' ')}` : '';
    const mark = p.added ? ' (new)' : '';
    return `| ${names}${mark}${cli} | ${p.type} | ${cell(paramDescription(p, 'ocf'))} |`;
  });
  const head = style === 'fence' ? '| name (aliases) | CLI | type | meaning |\n| --- | --- | --- | --- |' : '| name (aliases) | type | meaning |\n| --- | --- | --- |';
  return `${head}\n${rows.join('\n')}\n`;
}
