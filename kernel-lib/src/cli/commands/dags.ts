import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DAG, DAGRun, PipelineIr } from '@tsfx/protocol';
import { TsfxError } from '../../errors';
import { readPipelineIrFile } from '../../orchestration/pipelineIr';
import type { CliCommand } from '../command';
import { loadPipeline } from '../loadPipeline';
import { parseCommand, parseConf, printRows, withApi, type CommonValues } from '../schedulerCli';
import { testDag } from '../../scheduler/dagTest';

const SHOW_FILE_USAGE =
  'tsfx dags show <pipeline.ts|pipeline.json> [--json] [--data-root DIR] [--pipeline-root DIR] [--metadata FILE]';

const VERBS: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  list: { usage: 'tsfx dags list [-o table|json] [-S DAGS_FOLDER] [--metadata FILE]', run: list },
  'list-import-errors': {
    usage: 'tsfx dags list-import-errors [-o table|json] [-S DAGS_FOLDER] [--metadata FILE]',
    run: listImportErrors,
  },
  trigger: {
    usage: 'tsfx dags trigger <dag_id> [-c JSON] [-r RUN_ID] [-e LOGICAL_DATE] [-o table|json]',
    run: trigger,
  },
  pause: {
    usage: 'tsfx dags pause <dag_id> [-o table|json]',
    run: (argv) => setPaused(argv, true),
  },
  unpause: {
    usage: 'tsfx dags unpause <dag_id> [-o table|json]',
    run: (argv) => setPaused(argv, false),
  },
  test: { usage: 'tsfx dags test <dag_id> [-c JSON]', run: test },
  'list-runs': {
    usage: 'tsfx dags list-runs -d <dag_id> [--state STATE] [-o table|json]',
    run: listRuns,
  },
  state: { usage: 'tsfx dags state <dag_id> <run_id|logical date>', run: state },
  show: {
    usage: `tsfx dags show <dag_id> | ${SHOW_FILE_USAGE.slice('tsfx dags show '.length)}`,
    run: show,
  },
};

export const DAGS_USAGE = Object.values(VERBS)
  .map((v) => v.usage)
  .join('\n       ');

/** Airflow's `dags` commands, on the scheduler's DAGs (and `show` on a pipeline file too). */
export const dagsCommand: CliCommand = {
  name: 'dags',
  summary:
    "Airflow's dags commands: list, list-import-errors, trigger, pause, unpause, test, list-runs, state, show",
  usage: DAGS_USAGE,
  async run(argv) {
    const [verb, ...rest] = argv;
    const found = verb === undefined ? undefined : VERBS[verb];
    if (!found) throw new TsfxError(`usage: ${DAGS_USAGE}`);
    return found.run(rest);
  },
};

const dateText = (iso: string | null): string | null => iso;

async function list(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, {}, VERBS.list.usage, 0);
  await withApi(values, async (api) => {
    printRows(
      values,
      await api.listDags(),
      ['dag_id', 'fileloc', 'paused', 'schedule', 'next_dagrun', 'last run'],
      (d: DAG) => [
        d.dag_id,
        d.fileloc,
        d.is_paused ? 'True' : 'False',
        d.timetable_description,
        dateText(d.next_dagrun),
        d.tsfx.last_run_id ? `${d.tsfx.last_run_id} (${d.tsfx.last_run_state})` : null,
      ],
    );
  });
  return 0;
}

async function listImportErrors(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, {}, VERBS['list-import-errors'].usage, 0);
  return withApi(values, async (api) => {
    const errors = await api.listImportErrors();
    printRows(values, errors, ['filepath', 'error'], (e) => [
      e.filename,
      e.stack_trace.split('\n')[0],
    ]);
    return 0;
  });
}

async function trigger(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    {
      conf: { type: 'string', short: 'c' },
      'run-id': { type: 'string', short: 'r' },
      'exec-date': { type: 'string', short: 'e' },
    },
    VERBS.trigger.usage,
    1,
  );
  return triggerDag(values, positionals[0], values.conf, values['run-id'], values['exec-date']);
}

/** `dags trigger` and Airflow 1's `trigger_dag`. */
export async function triggerDag(
  values: CommonValues,
  dagId: string,
  confText: string | undefined,
  runId: string | undefined,
  logicalDate: string | undefined,
): Promise<number> {
  const conf = parseConf(confText);
  return withApi(values, async (api) => {
    const run = await api.trigger(dagId, { dag_run_id: runId, conf, logical_date: logicalDate });
    const dag = await api.getDag(dagId);
    if (values.output === 'json') {
      console.log(JSON.stringify(run, null, 2));
    } else {
      console.log(
        `Created <DagRun ${run.dag_id} @ ${run.logical_date}: ${run.dag_run_id}, state:${run.state}, externally triggered: ${run.external_trigger ? 'True' : 'False'}>`,
      );
    }
    if (dag.is_paused) {
      console.error(
        `note: DAG ${dagId} is paused: the run stays queued until \`tsfx dags unpause ${dagId}\``,
      );
    }
    return 0;
  });
}

async function setPaused(argv: string[], paused: boolean): Promise<number> {
  const verb = paused ? 'pause' : 'unpause';
  const { values, positionals } = parseCommand(argv, {}, VERBS[verb].usage, 1);
  return pauseDag(values, positionals[0], paused);
}

/** `dags pause|unpause` and Airflow 1's `pause|unpause`. */
export async function pauseDag(
  values: CommonValues,
  dagId: string,
  paused: boolean,
): Promise<number> {
  return withApi(values, async (api) => {
    const dag = await api.patchDag(dagId, paused);
    if (values.output === 'json') console.log(JSON.stringify(dag, null, 2));
    else console.log(`Dag: ${dag.dag_id}, paused: ${dag.is_paused ? 'True' : 'False'}`);
    return 0;
  });
}

async function test(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { conf: { type: 'string', short: 'c' } },
    VERBS.test.usage,
    1,
  );
  const conf = parseConf(values.conf) ?? {};
  const fileloc = await withApi(values, async (api) => (await api.getDag(positionals[0])).fileloc);
  const state = await testDag(values, positionals[0], fileloc, conf, (line) => console.log(line));
  return state === 'success' ? 0 : 1;
}

async function listRuns(argv: string[]): Promise<number> {
  const { values } = parseCommand(
    argv,
    { 'dag-id': { type: 'string', short: 'd' }, state: { type: 'string' } },
    VERBS['list-runs'].usage,
    0,
  );
  if (!values['dag-id']) throw new TsfxError(`usage: ${VERBS['list-runs'].usage}`);
  await withApi(values, async (api) => {
    const runs = await api.listRuns(values['dag-id']!, values.state);
    printRows(
      values,
      runs,
      ['dag_id', 'run_id', 'state', 'execution_date', 'start_date', 'end_date'],
      (r: DAGRun) => [r.dag_id, r.dag_run_id, r.state, r.execution_date, r.start_date, r.end_date],
    );
  });
  return 0;
}

async function state(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, {}, VERBS.state.usage, 2);
  const [dagId, which] = positionals;
  return withApi(values, async (api) => {
    const runs = await api.listRuns(dagId);
    const when = Date.parse(which);
    const run =
      runs.find((r) => r.dag_run_id === which) ??
      runs.find(
        (r) =>
          !Number.isNaN(when) && r.logical_date !== null && Date.parse(r.logical_date) === when,
      );
    if (!run) throw new TsfxError(`DAG ${dagId} has no run ${which} (by run id or logical date)`);
    console.log(values.output === 'json' ? JSON.stringify(run, null, 2) : run.state);
    return 0;
  });
}

async function show(argv: string[]): Promise<number> {
  const target = argv.find((a) => !a.startsWith('-'));
  if (target !== undefined && (/\.(json|[cm]?[jt]sx?)$/.test(target) || existsSync(target))) {
    return showFile(argv);
  }
  const { values, positionals } = parseCommand(
    argv,
    { json: { type: 'boolean', default: false } },
    VERBS.show.usage,
    1,
  );
  return withApi(values, async (api, paths) => {
    const detail = await api.getDagDetail(positionals[0]);
    const pipeline = await loadPipeline(
      detail.fileloc,
      { metadataPath: paths.metadataPath },
      detail.params,
    );
    const ir = pipeline.toJSON();
    console.log(
      values.json || values.output === 'json' ? JSON.stringify(ir, null, 2) : dagText(ir),
    );
    return 0;
  });
}

/** `dags show <pipeline file|pipeline.json>`: a pipeline's DAG, from its file or a run's IR. */
async function showFile(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'data-root': { type: 'string' },
      'pipeline-root': { type: 'string' },
      metadata: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new TsfxError(`usage: ${SHOW_FILE_USAGE}`);
  const file = positionals[0];
  const ir = file.endsWith('.json')
    ? readPipelineIrFile(file)
    : (
        await loadPipeline(file, {
          dataRoot: values['data-root'],
          pipelineRoot: values['pipeline-root'],
          metadataPath: values.metadata,
        })
      ).toJSON();
  console.log(values.json ? JSON.stringify(ir, null, 2) : dagText(ir));
  return 0;
}

/** The components in DAG order, each with its inputs (edges from their producers) and outputs. */
export function dagText(ir: PipelineIr): string {
  const lines = [
    `pipeline ${ir.name}: ${ir.components.length} component(s)`,
    `  root      ${ir.pipelineRoot}`,
    `  metadata  ${ir.metadataPath}`,
  ];
  for (const [index, component] of ir.components.entries()) {
    const type = component.type === component.id ? '' : ` (${component.type})`;
    lines.push(`${index + 1}. ${component.id}${type}`);
    for (const [key, input] of Object.entries(component.inputs)) {
      lines.push(`     in   ${key} <- ${input.channel}${input.optional ? ' (optional)' : ''}`);
    }
    for (const [key, type] of Object.entries(component.outputs)) {
      lines.push(`     out  ${key}: ${type}`);
    }
    for (const module of component.moduleFiles) {
      lines.push(`     code ${module.path} (sha256 ${module.sha256.slice(0, 12)})`);
    }
  }
  return lines.join('\n');
}
