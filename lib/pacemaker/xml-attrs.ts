// Pacemaker tools answer in XML (--output-as=xml, cibadmin): the few elements the agents read
// are flat, so attributes are read with one regular expression and entities decoded.

export function elements(xml: string, tag: string): Record<string, string>[] {
  const re = new RegExp(`<${tag}\\s([^>]*?)\\/?>`, 'g');
  return [...xml.matchAll(re)].map((m) => attributes(m[1] ?? ''));
}

export function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1] ?? ''] = decodeXml(m[2] ?? '');
  return out;
}

export function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (e[0] !== '#') return named[e.toLowerCase()] ?? '';
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}
