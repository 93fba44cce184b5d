import { errorMessage } from '../errors';
import type { CliCommand } from './command';
import { artifactsCommand } from './commands/artifacts';
import { dagsCommand } from './commands/dags';
import { lineageCommand } from './commands/lineage';
import { predictCommand } from './commands/predict';
import { inferSchemaCommand } from './commands/inferSchema';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { statsCommand } from './commands/stats';
import { validateCommand } from './commands/validate';
import { schedulerCommand } from './commands/scheduler';
import { workerCommand } from './commands/worker';
import { tasksCommand } from './commands/tasks';
import { pauseCommand, triggerDagCommand, unpauseCommand } from './commands/airflow1';
import { TSFX_VERSION } from '../version';
import { infoCommand } from './commands/info';
import { viewCommand } from './commands/view';
import { rowsCommand } from './commands/rows';

/** Every subcommand, in the order `tsfx --help` lists them. */
export const COMMANDS: CliCommand[] = [
  runCommand,
  schedulerCommand,
  workerCommand,
  dagsCommand,
  tasksCommand,
  pauseCommand,
  unpauseCommand,
  triggerDagCommand,
  artifactsCommand,
  viewCommand,
  rowsCommand,
  lineageCommand,
  statsCommand,
  inferSchemaCommand,
  validateCommand,
  predictCommand,
  serveCommand,
  infoCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `tsfx ${TSFX_VERSION}: production ML pipelines in TypeScript`,
    '',
    'usage: tsfx <command> [options]',
    '',
    ...COMMANDS.map(
      (c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`,
    ),
  ].join('\n');
}

/** Runs the CLI; returns the exit status. Errors print as one line, last. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(TSFX_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`error: unknown command "${name}" (try tsfx --help)`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return command.errorStatus ?? 1;
  }
}
