/** Running as the single-executable build (Node SEA)? */
export function isSea(): boolean {
  try {
    return (process.getBuiltinModule('node:sea') as { isSea(): boolean } | undefined)?.isSea() === true;
  } catch {
    return false;
  }
}
