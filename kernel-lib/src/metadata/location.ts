import { resolve } from 'node:path';
import { isPostgresUrl } from './sql/postgresConnection';

export { isPostgresUrl };

/**
 * A store location as given (`--metadata`, `TSFX_METADATA`, `metadataPath`): a SQLite file,
 * made absolute, or a `postgres://` URL, kept as it is.
 */
export function resolveStoreLocation(location: string): string {
  return isPostgresUrl(location) ? location : resolve(location);
}
