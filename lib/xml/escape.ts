/** Escape text for an XML attribute value or element body. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A resource-agent document: head lines, then the parameters and actions sections. */
export function resourceAgentDocument(head: readonly string[], params: readonly string[], actions: readonly string[]): string {
  return [...head, '<parameters>', ...params, '</parameters>', '<actions>', ...actions, '</actions>', '</resource-agent>', ''].join('\n');
}
