// One set of secrets per process: the Logger masks them in every line it writes, and
// lib/child.ts refuses to start a child whose argv or environment holds one.

const secrets = new Set<string>();

/** Call where a secret first enters the process (a parameter, a script's output, a token). */
export function registerSecret(value: string | undefined): void {
  // Shorter values would mask ordinary words and numbers everywhere.
  if (value && value.length >= 3) secrets.add(value);
}

export function maskSecrets(text: string, mask = '****'): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(mask);
  return out;
}

export function holdsSecret(text: string): boolean {
  for (const s of secrets) if (text.includes(s)) return true;
  return false;
}
