import type { CliCommand } from '../command';
import { parseCommand } from '../schedulerCli';
import { pauseDag, triggerDag } from './dags';

/** The workshop's Airflow 1 spellings: `pause`, `unpause`, `trigger_dag`. */
function pauseAlias(name: 'pause' | 'unpause'): CliCommand {
  const usage = `tsfx ${name} <dag_id> (Airflow 1's spelling of tsfx dags ${name})`;
  return {
    name,
    summary: `Airflow 1's ${name}: same as tsfx dags ${name}`,
    usage,
    async run(argv) {
      const { values, positionals } = parseCommand(argv, {}, usage, 1);
      return pauseDag(values, positionals[0], name === 'pause');
    },
  };
}

export const pauseCommand = pauseAlias('pause');
export const unpauseCommand = pauseAlias('unpause');

const TRIGGER_USAGE = 'tsfx trigger_dag <dag_id> [-c JSON] [-r RUN_ID] [-e LOGICAL_DATE]';

export const triggerDagCommand: CliCommand = {
  name: 'trigger_dag',
  summary: "Airflow 1's trigger_dag: same as tsfx dags trigger",
  usage: TRIGGER_USAGE,
  async run(argv) {
    const { values, positionals } = parseCommand(
      argv,
      {
        conf: { type: 'string', short: 'c' },
        'run-id': { type: 'string', short: 'r' },
        'exec-date': { type: 'string', short: 'e' },
      },
      TRIGGER_USAGE,
      1,
    );
    return triggerDag(values, positionals[0], values.conf, values['run-id'], values['exec-date']);
  },
};
