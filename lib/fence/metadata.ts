import { resourceAgentDocument, xmlEscape } from '../xml/escape.ts';
import { longFlag, type ParamSpec } from '../params/types.ts';
import type { FenceAgent } from './agent.ts';

// The metadata XML of a fence agent (fence-agents' metadata.rng), from its declaration.
// Every accepted older name is listed too (deprecated="1"), so pcs accepts the names
// existing configurations use; the current name says which it obsoletes.

/** `-k, --auth-url=[url]`, as fence-agents print it. */
export function getoptText(p: ParamSpec): string {
  const short = p.short ? `-${p.short}, ` : '';
  return p.flag ? `${short}--${longFlag(p)}` : `${short}--${longFlag(p)}=[${p.valueName ?? 'value'}]`;
}

function content(p: ParamSpec): string {
  const def = p.default !== undefined ? ` default="${xmlEscape(p.default)}"` : '';
  if (p.type !== 'select') return `<content type="${p.type}"${def} />`;
  const options = (p.choices ?? []).map((c) => `\t\t\t<option value="${xmlEscape(c)}" />\n`).join('');
  return `<content type="select"${def}>\n${options}\t\t</content>`;
}

function parameter(p: ParamSpec, name: string, extra: string): string {
  return [
    `\t<parameter name="${xmlEscape(name)}" unique="0" required="${p.required ? 1 : 0}"${extra}>`,
    `\t\t<getopt mixed="${xmlEscape(getoptText(p))}" />`,
    `\t\t${content(p)}`,
    `\t\t<shortdesc lang="en">${xmlEscape(p.shortdesc)}</shortdesc>`,
    '\t</parameter>',
  ].join('\n');
}

export function fenceMetadata(agent: FenceAgent): string {
  const params = agent.params.flatMap((p) => {
    const old = p.deprecatedNames ?? [];
    return [
      ...old.map((n) => parameter(p, n, ' deprecated="1"')),
      parameter(p, p.name, old[0] ? ` obsoletes="${xmlEscape(old[0])}"` : ''),
    ];
  });
  const actions = agent.actions.map((a) => {
    const attrs = `${a.automatic ? ' automatic="1"' : ''}${a.onTarget ? ' on_target="1"' : ''}`;
    return `\t<action name="${xmlEscape(a.name)}"${attrs} />`;
  });
  return resourceAgentDocument([
    '<?xml version="1.0" ?>',
    `<resource-agent name="${xmlEscape(agent.name)}" shortdesc="${xmlEscape(agent.shortdesc)}" >`,
    `<longdesc>${xmlEscape(agent.longdesc)}</longdesc>`,
    `<vendor-url>${xmlEscape(agent.vendorUrl)}</vendor-url>`,
  ], params, actions);
}
