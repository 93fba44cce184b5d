import type { CliCommand } from '../command';
import { formatTable } from '../formatTable';
import { parseCommand, pathsFrom } from '../schedulerCli';

const USAGE = 'tsfx info [-S DAGS_FOLDER] [--metadata FILE] [-o table|json]';

/**
 * Airflow's `info`, its paths part: the dags folder, the store, the scheduler's state, logs and
 * API socket, as every command here resolves them from the folder and environment it runs in.
 * The Jupyter server extension asks it where the scheduler's API is rather than repeating the rule.
 */
export const infoCommand: CliCommand = {
  name: 'info',
  summary: "print where the dags folder, the store, the scheduler's state, logs and API socket are",
  usage: USAGE,
  run(argv) {
    const { values } = parseCommand(argv, {}, USAGE, 0);
    const paths = pathsFrom(values);
    const info = {
      dags_folder: paths.dagsFolder,
      metadata: paths.metadataPath,
      scheduler_state: paths.stateDb,
      logs_folder: paths.logsFolder,
      api_socket: paths.socket,
    };
    if (values.output === 'json') console.log(JSON.stringify(info, null, 2));
    else console.log(formatTable(['key', 'value'], Object.entries(info)));
    return Promise.resolve(0);
  },
};
