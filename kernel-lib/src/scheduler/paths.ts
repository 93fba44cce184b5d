import { createHash } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultMetadataPath } from '../cli/command';
import { isPostgresUrl, resolveStoreLocation } from '../metadata/location';

/**
 * Where a scheduler keeps its state, next to the ML Metadata store it records into (one scheduler
 * per store): `scheduler.sqlite` (DAGs, runs, task instances), `logs/` (one file per task try)
 * and `scheduler.sock` (its API). The dags folder is `TSFX_DAGS_FOLDER`, else `notebooks/dags`.
 */
export interface SchedulerPaths {
  metadataPath: string;
  stateDb: string;
  logsFolder: string;
  socket: string;
  dagsFolder: string;
}

/** `sun_path` holds 108 bytes with its terminating NUL. */
const MAX_SOCKET_PATH = 107;

export function schedulerPaths(
  options: { metadata?: string; dagsFolder?: string } = {},
): SchedulerPaths {
  const metadataPath = resolveStoreLocation(options.metadata ?? defaultMetadataPath());
  // A store in PostgreSQL has no folder: the scheduler's own files go to TSFX_HOME, else .tsfx.
  const home = isPostgresUrl(metadataPath)
    ? resolve(process.env.TSFX_HOME ?? '.tsfx')
    : dirname(metadataPath);
  return {
    metadataPath,
    stateDb: join(home, 'scheduler.sqlite'),
    logsFolder: resolve(process.env.TSFX_LOGS_FOLDER ?? join(home, 'logs')),
    socket: apiSocketPath(home),
    dagsFolder: resolve(
      options.dagsFolder ?? process.env.TSFX_DAGS_FOLDER ?? join('notebooks', 'dags'),
    ),
  };
}

/** `<home>/scheduler.sock`, or one under the temporary folder when that is too long for a socket. */
function apiSocketPath(home: string): string {
  const beside = join(home, 'scheduler.sock');
  if (beside.length <= MAX_SOCKET_PATH) return beside;
  const hash = createHash('sha256').update(home).digest('hex').slice(0, 16);
  return join(tmpdir(), `tsfx-scheduler-${userInfo().uid}`, `${hash}.sock`);
}
