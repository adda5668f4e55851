import { longFlag, type ParamSpec } from '../params/types.ts';

// troff man pages (man -l renders them), generated from the parameter declarations (agents)
// or the command definitions (instance-ha: lib/admin/manpage.ts).

/** A command of a command-line program, with its own options. */
export interface ManCommand {
  usage: string;
  description: string;
  options: { flags: string; description: string }[];
}

export interface ManPage {
  name: string;
  section: 7 | 8;
  title: string;
  description: string;
  synopsis: string[];
  params: readonly ParamSpec[];
  /** How a parameter is spelled in the OPTIONS list. */
  paramStyle: 'fence' | 'ocf';
  /** A COMMANDS section after the options (none when empty). */
  commands?: ManCommand[];
  sections: { heading: string; paragraphs: string[] }[];
}

function roff(s: string): string {
  // A leading dot or quote would be read as a request; backslashes and dashes need escapes.
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

function paramLine(p: ParamSpec, style: ManPage['paramStyle']): string {
  if (style === 'ocf') return `\\fB${roff(p.name)}\\fR (${p.type}${p.required ? ', required' : ''})`;
  const flags = [p.short ? `\\fB\\-${p.short}\\fR` : '', `\\fB\\-\\-${roff(longFlag(p))}\\fR${p.flag ? '' : `=\\fI${roff(p.valueName ?? 'value')}\\fR`}`];
  return `${flags.filter(Boolean).join(', ')}`;
}

export function paramDescription(p: ParamSpec, style: ManPage['paramStyle']): string {
  const parts = [p.longdesc ?? `${p.shortdesc}.`];
  if (style === 'fence') parts.push(`Stdin name: ${[p.name, ...(p.deprecatedNames ?? [])].join(', ')}.`);
  else if (p.deprecatedNames?.length) parts.push(`Also accepted as ${p.deprecatedNames.join(', ')}.`);
  if (p.choices) parts.push(`One of: ${p.choices.join(', ')}.`);
  const bounds = [p.min !== undefined && `at least ${p.min}`, p.above !== undefined && `more than ${p.above}`, p.max !== undefined && `at most ${p.max}`].filter(Boolean);
  if (bounds.length) parts.push(`Range: ${bounds.join(', ')}.`);
  if (p.default !== undefined && p.default !== '') parts.push(`Default: ${p.default}.`);
  if (p.required) parts.push('Required.');
  if (p.secret) parts.push('Secret: never logged.');
  if (p.noEffect) parts.push(`Accepted for compatibility; no effect: ${p.noEffect}.`);
  return parts.join(' ');
}

export function renderManPage(m: ManPage): string {
  const out = [
    `.TH ${roff(m.name.toUpperCase())} ${m.section} "" "instance-ha-agents" "Instance-HA agents"`,
    '.SH NAME',
    `${roff(m.name)} \\- ${roff(m.title)}`,
    '.SH SYNOPSIS',
    ...m.synopsis.flatMap((s) => ['.PP', roff(s)]),
    '.SH DESCRIPTION',
    ...m.description.split('\n\n').flatMap((para) => ['.PP', roff(para)]),
    ...(m.params.length ? ['.SH OPTIONS'] : []),
    ...m.params.flatMap((p) => ['.TP', paramLine(p, m.paramStyle), roff(paramDescription(p, m.paramStyle))]),
    ...(m.commands?.length ? ['.SH COMMANDS'] : []),
    ...(m.commands ?? []).flatMap((c) => [
      '.TP', `\\fB${roff(c.usage)}\\fR`, roff(c.description),
      ...(c.options.length ? ['.RS', ...c.options.flatMap((o) => ['.TP', `\\fB${roff(o.flags)}\\fR`, roff(o.description)]), '.RE'] : []),
    ]),
  ];
  for (const s of m.sections) {
    out.push(`.SH ${roff(s.heading.toUpperCase())}`);
    for (const para of s.paragraphs) out.push('.PP', roff(para));
  }
  return `${out.join('\n')}\n`;
}
