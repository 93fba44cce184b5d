/**
 * The task process of a queue worker (`tsfx worker`): one per job, as the local executor's task
 * processes are one per task. It takes one job, runs its task exactly as a local task process
 * does (the same `execute`: the component through `runComponent`, the try's log, the timeout),
 * but records nothing in the scheduler's database, which may be on another host: it reports the
 * outcome to its worker, which hands it back through the queue.
 */
import { errorMessage } from '../../errors';
import { registerTypeScript } from '../../cli/loadPipeline';
import { cancelRunningExecutions } from '../../orchestration/runComponent';
import { deferHeavyModules } from '../lazyModules';
import type { TaskOutcome } from '../stateMachine';
import { captureOutput, execute } from '../taskProcess';
import { openTaskLog, taskLogPath } from '../taskLog';
import { taskKeyOf, type TaskJob } from './taskJob';

/** Messages from a remote task process to its worker. */
export type RemoteTaskMessage =
  { type: 'started'; pid: number } | { type: 'finished'; outcome: TaskOutcome };

function send(message: RemoteTaskMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function runJob(job: TaskJob): Promise<void> {
  const key = taskKeyOf(job);
  await send({ type: 'started', pid: process.pid });
  const log = openTaskLog(taskLogPath(job.logsFolder, key, job.try));
  const restore = captureOutput(log);
  let outcome: TaskOutcome | null = null;
  const finish = (o: TaskOutcome): string => {
    outcome = o;
    log.line(
      `Task ended: ${o.state.toUpperCase()}. dag_id=${job.dag}, task_id=${job.task}, run_id=${job.run}, try_number=${job.try}`,
    );
    return o.state;
  };
  try {
    await execute(
      {
        kind: 'run',
        key,
        stateDb: '',
        logsFolder: job.logsFolder,
        file: job.file,
        metadataPath: job.metadataPath,
        conf: job.conf,
        retryDelaySeconds: 0,
        executionTimeoutSeconds: job.executionTimeoutSeconds,
        attemptSince: job.queuedAt,
      },
      job.try,
      log,
      finish,
    );
  } finally {
    restore();
    log.close();
  }
  await send({
    type: 'finished',
    outcome: outcome ?? { state: 'failed', executionId: null, error: 'the task reported no end' },
  });
}

function main(): void {
  deferHeavyModules();
  registerTypeScript();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../index');
  // The worker is gone (killed, or its host): nobody can report this try's end, and the queue
  // gives the job to another worker; close what this process was writing and end.
  process.on('disconnect', () => {
    cancelRunningExecutions('its worker ended');
    process.exit(1);
  });
  const stop = (signal: NodeJS.Signals): void => {
    cancelRunningExecutions(`interrupted by ${signal}`);
    process.exit(143);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('message', (job: TaskJob) => {
    void runJob(job).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`tsfx remote task: ${errorMessage(error)}\n`);
        process.exit(1);
      },
    );
  });
  process.send?.({ type: 'ready' });
}

if (require.main === module) main();
