/** A configuration problem found while connecting (exit 1 for fence agents, 6 for OCF). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
