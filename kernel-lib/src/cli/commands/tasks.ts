import type { Task, TaskInstance } from '@tsfx/protocol';
import { TsfxError } from '../../errors';
import { lineReporter } from '../../display/progress';
import { runPipeline } from '../../orchestration/runPipeline';
import type { CliCommand } from '../command';
import { loadPipeline } from '../loadPipeline';
import { parseCommand, parseConf, printRows, withApi } from '../schedulerCli';

const VERBS: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  list: { usage: 'tsfx tasks list <dag_id> [--tree] [-o table|json]', run: list },
  'states-for-dag-run': {
    usage: 'tsfx tasks states-for-dag-run <dag_id> <run_id> [-o table|json]',
    run: statesForDagRun,
  },
  test: { usage: 'tsfx tasks test <dag_id> <task_id> [-c JSON]', run: test },
  logs: { usage: 'tsfx tasks logs <dag_id> <run_id> <task_id> [--try N] [-f]', run: logs },
};

const USAGE = Object.values(VERBS)
  .map((v) => v.usage)
  .join('\n       ');

/** Airflow's `tasks` commands (one task = one component). */
export const tasksCommand: CliCommand = {
  name: 'tasks',
  summary: "Airflow's tasks commands: list, states-for-dag-run, test, logs",
  usage: USAGE,
  async run(argv) {
    const [verb, ...rest] = argv;
    const found = verb === undefined ? undefined : VERBS[verb];
    if (!found) throw new TsfxError(`usage: ${USAGE}`);
    return found.run(rest);
  },
};

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { tree: { type: 'boolean', default: false } },
    VERBS.list.usage,
    1,
  );
  return withApi(values, async (api) => {
    const tasks = await api.listTasks(positionals[0]);
    if (values.output === 'json') console.log(JSON.stringify(tasks, null, 2));
    else if (values.tree) console.log(treeText(tasks));
    else for (const task of tasks) console.log(task.task_id);
    return 0;
  });
}

/** Each root task, then its downstream tasks indented under it (Airflow's `--tree`). */
function treeText(tasks: Task[]): string {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const hasUpstream = new Set(tasks.flatMap((t) => t.downstream_task_ids));
  const lines: string[] = [];
  const walk = (task: Task, depth: number): void => {
    lines.push(`${'    '.repeat(depth)}<Task(${task.class_ref.class_name}): ${task.task_id}>`);
    for (const id of task.downstream_task_ids) walk(byId.get(id)!, depth + 1);
  };
  for (const task of tasks) if (!hasUpstream.has(task.task_id)) walk(task, 0);
  return lines.join('\n');
}

async function statesForDagRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, {}, VERBS['states-for-dag-run'].usage, 2);
  return withApi(values, async (api) => {
    const tis = await api.listTaskInstances(positionals[0], positionals[1]);
    printRows(
      values,
      tis,
      ['dag_id', 'execution_date', 'task_id', 'state', 'try_number', 'start_date', 'end_date'],
      (ti: TaskInstance) => [
        ti.dag_id,
        ti.execution_date,
        ti.task_id,
        `${ti.state ?? 'None'}${ti.tsfx.cached ? ' (cached)' : ''}`,
        ti.try_number,
        ti.start_date,
        ti.end_date,
      ],
    );
    return 0;
  });
}

/**
 * Airflow's `tasks test`: runs one task in this process, without checking its dependencies or
 * recording a task state; its inputs are the latest LIVE outputs of its upstream tasks.
 */
async function test(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { conf: { type: 'string', short: 'c' } },
    VERBS.test.usage,
    2,
  );
  const [dagId, taskId] = positionals;
  const conf = parseConf(values.conf) ?? {};
  return withApi(values, async (api, paths) => {
    const detail = await api.getDagDetail(dagId);
    const pipeline = await loadPipeline(
      detail.fileloc,
      { metadataPath: paths.metadataPath },
      { ...detail.params, ...conf },
    );
    pipeline.component(taskId);
    const { results } = await runPipeline(pipeline, {
      componentIds: [taskId],
      reporter: (id) => lineReporter(id, (line) => console.log(line), { endLine: true }),
    });
    const result = results[0];
    console.log(
      `Marking task as SUCCESS. dag_id=${dagId}, task_id=${taskId}${result.state === 'CACHED' ? ' (cached)' : ''}, execution ${result.executionId}`,
    );
    return 0;
  });
}

async function logs(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { try: { type: 'string' }, follow: { type: 'boolean', short: 'f', default: false } },
    VERBS.logs.usage,
    3,
  );
  const [dagId, runId, taskId] = positionals;
  return withApi(values, async (api) => {
    let ti = await api.getTaskInstance(dagId, runId, taskId);
    const tryNumber = values.try === undefined ? ti.try_number : Number(values.try);
    if (!Number.isInteger(tryNumber) || tryNumber < 1) {
      if (values.try !== undefined)
        throw new TsfxError(`--try: expected a try number >= 1, got "${values.try}"`);
      if (!values.follow)
        throw new TsfxError(
          `task ${taskId} of run ${runId} has not started yet (state ${ti.state ?? 'None'})`,
        );
    }
    const wanted = Math.max(tryNumber, 1);
    let token: string | undefined;
    const drain = async (): Promise<void> => {
      // A try not begun yet: wait for it when following, else ask (the API says it has none).
      if (ti.try_number < wanted && values.follow) return;
      for (;;) {
        const log = await api.getLog(dagId, runId, taskId, wanted, token);
        process.stdout.write(log.content);
        token = log.continuation_token ?? token;
        if (log.content === '') return;
      }
    };
    for (;;) {
      const finished = ['success', 'failed', 'upstream_failed', 'skipped'].includes(ti.state ?? '');
      const waiting =
        !finished &&
        (ti.try_number < wanted ||
          (ti.try_number === wanted && (ti.state === 'running' || ti.state === 'queued')));
      await drain();
      if (!values.follow || !waiting) {
        if (values.follow) {
          // The try's last line is written just after its state: read once more.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await drain();
        }
        return 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      ti = await api.getTaskInstance(dagId, runId, taskId);
    }
  });
}
