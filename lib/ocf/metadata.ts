import { resourceAgentDocument, xmlEscape } from '../xml/escape.ts';
import type { ParamSpec } from '../params/types.ts';
import type { OcfAgent } from './agent.ts';

// OCF meta-data valid against ra-api-1.dtd: its content types are string, integer, boolean
// and time, so seconds are integers and choices are strings (listed in the long description).

function contentType(p: ParamSpec): string {
  if (p.type === 'second') return 'integer';
  if (p.type === 'select') return 'string';
  return p.type;
}

function parameter(p: ParamSpec, name: string, deprecatedOf?: string): string {
  const long = deprecatedOf
    ? `Deprecated spelling of ${deprecatedOf}; use ${deprecatedOf}.`
    : [p.longdesc ?? p.shortdesc, p.choices ? `One of: ${p.choices.join(', ')}.` : '', p.noEffect ? `No effect: ${p.noEffect}.` : ''].filter(Boolean).join(' ');
  const def = p.default !== undefined && !deprecatedOf ? ` default="${xmlEscape(p.default)}"` : '';
  return [
    `<parameter name="${xmlEscape(name)}" unique="0" required="${p.required && !deprecatedOf ? 1 : 0}">`,
    `<longdesc lang="en">${xmlEscape(long)}</longdesc>`,
    `<shortdesc lang="en">${xmlEscape(deprecatedOf ? `Same as ${deprecatedOf}` : p.shortdesc)}</shortdesc>`,
    `<content type="${contentType(p)}"${def} />`,
    '</parameter>',
  ].join('\n');
}

export function ocfMetadata(agent: OcfAgent): string {
  const params = agent.params.flatMap((p) => [
    parameter(p, p.name),
    ...(p.deprecatedNames ?? []).map((n) => parameter(p, n, p.name)),
  ]);
  const actions = agent.actions.map((a) => {
    const extra = `${a.interval ? ` interval="${a.interval}"` : ''}${a.depth ? ` depth="${a.depth}"` : ''}`;
    return `<action name="${a.name}" timeout="${a.timeout}"${extra} />`;
  });
  return resourceAgentDocument([
    '<?xml version="1.0"?>',
    '<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">',
    `<resource-agent name="${xmlEscape(agent.name)}" version="${xmlEscape(agent.version)}">`,
    '<version>1.1</version>',
    `<longdesc lang="en">${xmlEscape(agent.longdesc)}</longdesc>`,
    `<shortdesc lang="en">${xmlEscape(agent.shortdesc)}</shortdesc>`,
  ], params, actions);
}
