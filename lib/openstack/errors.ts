/** A configuration problem only connecting can find (clouds.yaml, the catalog): the action fails with it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
