/** Untrusted text (keys, actions, stray words) as one short printable line for a message. */
export function printable(s: string, max = 64): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A message as one line, whatever text it carries: control characters (newlines, escapes) as '?'. */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, '?');
}

/** A remote message (a JSON error, an HTML page) as one short line: white space squeezed, cut at `max`. */
export function squeezed(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
