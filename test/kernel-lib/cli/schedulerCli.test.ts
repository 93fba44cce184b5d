import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import {
  DAGRunSchema,
  DAGSchema,
  ImportErrorSchema,
  TaskInstanceSchema,
  TaskSchema,
} from '../../../kernel-lib/src';
import { REPO_ROOT, runCli, tempDir } from '../../helpers';
import { json, startScheduler, waitFor, world } from '../scheduler/harness';

const BROKEN = `import 'tsfx';
export const dag = { dagId: 'broken' };
const depth = 3;
throw new Error('no DAG today at depth ' + depth);
`;
const TYPO = `// tsfx dag with a typo
export const dag = { dagId: 'typo' ;
`;
const BAD_OPTIONS = `// A tsfx DAG with a wrong option.
import { createPipeline as noop } from './noop_dag';
export const dag = { dagId: 'bad', maxActiveRuns: 0 };
export const createPipeline = noop;
`;

describe('tsfx dags / tasks (Airflow CLI), without a scheduler and through one', () => {
  it('lists DAGs and import errors, pauses, triggers, lists runs and task states, tests, shows; then a scheduler runs the queued runs', async () => {
    const w = world({ 'broken_dag.ts': BROKEN, 'typo_dag.ts': TYPO, 'bad_dag.ts': BAD_OPTIONS });

    const dags = v.parse(v.array(DAGSchema), json(w.cli(['dags', 'list', '-o', 'json'])));
    assert.deepEqual(
      dags.map((d) => [d.dag_id, d.is_paused, d.fileloc]),
      [
        ['noop', false, join(w.dagsFolder, 'noop_dag.ts')],
        ['retry', false, join(w.dagsFolder, 'retry_dag.ts')],
      ],
    );
    const table = w.cli(['dags', 'list']);
    assert.equal(table.status, 0);
    assert.match(
      table.stdout,
      /^dag_id +fileloc +paused +schedule +next_dagrun +last run\nnoop +\S+noop_dag\.ts +False +Never, external triggers only +- +-\n/,
    );

    const errors = v.parse(
      v.array(ImportErrorSchema),
      json(w.cli(['dags', 'list-import-errors', '-o', 'json'])),
    );
    const firstLines = Object.fromEntries(
      errors.map((e) => [e.filename.slice(w.dagsFolder.length + 1), e.stack_trace.split('\n')[0]]),
    );
    assert.deepEqual(Object.keys(firstLines).sort(), [
      'bad_dag.ts',
      'broken_dag.ts',
      'typo_dag.ts',
    ]);
    assert.equal(
      firstLines['broken_dag.ts'],
      `${join(w.dagsFolder, 'broken_dag.ts')}:4:7: no DAG today at depth 3`,
    );
    assert.equal(
      firstLines['bad_dag.ts'],
      `${join(w.dagsFolder, 'bad_dag.ts')}: dag.maxActiveRuns: expected >=1, got 0`,
    );
    assert.match(
      firstLines['typo_dag.ts'],
      new RegExp(`${join(w.dagsFolder, 'typo_dag.ts')}:2:\\d+: `),
    );
    const errorTable = w.cli(['dags', 'list-import-errors']);
    assert.match(errorTable.stdout, /^filepath +error\n/);

    assert.equal(w.cli(['dags', 'pause', 'noop']).stdout, 'Dag: noop, paused: True\n');
    assert.equal(
      v.parse(DAGSchema, json(w.cli(['dags', 'unpause', 'noop', '-o', 'json']))).is_paused,
      false,
    );
    assert.equal(w.cli(['pause', 'retry']).stdout, 'Dag: retry, paused: True\n');
    assert.equal(w.cli(['unpause', 'retry']).stdout, 'Dag: retry, paused: False\n');

    const r1 = v.parse(
      DAGRunSchema,
      json(w.cli(['dags', 'trigger', 'noop', '-c', '{"skip":"right"}', '-r', 'r1', '-o', 'json'])),
    );
    assert.deepEqual([r1.dag_run_id, r1.state, r1.conf], ['r1', 'queued', { skip: 'right' }]);
    const r2 = w.cli(['trigger_dag', 'noop', '-r', 'r2', '-e', '2026-11-30T10:00:00Z']);
    assert.equal(
      r2.stdout,
      'Created <DagRun noop @ 2026-11-30T10:00:00.000Z: r2, state:queued, externally triggered: True>\n',
    );
    assert.equal(
      w.cli(['dags', 'trigger', 'noop', '-r', 'r1']).lastLine,
      "error: DAGRun with DAG ID: 'noop' and DAGRun ID: 'r1' already exists",
    );
    assert.equal(
      w.cli(['dags', 'trigger', 'nope']).lastLine,
      "error: DAG with dag_id: 'nope' not found",
    );
    assert.match(
      w.cli(['dags', 'trigger', 'noop', '-c', '[1]']).lastLine,
      /^error: -c\/--conf: expected a JSON object/,
    );

    const runs = v.parse(
      v.array(DAGRunSchema),
      json(w.cli(['dags', 'list-runs', '-d', 'noop', '-o', 'json'])),
    );
    assert.deepEqual(runs.map((r) => [r.dag_run_id, r.state]).sort(), [
      ['r1', 'queued'],
      ['r2', 'queued'],
    ]);
    assert.deepEqual(
      json(w.cli(['dags', 'list-runs', '-d', 'noop', '--state', 'success', '-o', 'json'])),
      [],
    );
    assert.equal(
      w.cli(['dags', 'list-runs', '-d', 'noop', '--state', 'done']).lastLine,
      'error: state: expected one of queued, running, success, failed, got "done"',
    );
    assert.equal(w.cli(['dags', 'state', 'noop', 'r1']).stdout, 'queued\n');
    assert.equal(w.cli(['dags', 'state', 'noop', '2026-11-30T10:00:00Z']).stdout, 'queued\n');

    assert.equal(w.cli(['tasks', 'list', 'noop']).stdout, 'extract\nleft\nright\n');
    assert.equal(
      w.cli(['tasks', 'list', 'noop', '--tree']).stdout,
      '<Task(Noop): extract>\n    <Task(Noop): left>\n    <Task(Noop): right>\n',
    );
    const tasks = v.parse(
      v.array(TaskSchema),
      json(w.cli(['tasks', 'list', 'noop', '-o', 'json'])),
    );
    assert.deepEqual(
      tasks.map((t) => t.downstream_task_ids),
      [['left', 'right'], [], []],
    );
    const queued = v.parse(
      v.array(TaskInstanceSchema),
      json(w.cli(['tasks', 'states-for-dag-run', 'noop', 'r1', '-o', 'json'])),
    );
    assert.deepEqual(
      queued.map((t) => [t.task_id, t.state, t.try_number]),
      [
        ['extract', null, 0],
        ['left', null, 0],
        ['right', null, 0],
      ],
    );
    assert.match(
      w.cli(['tasks', 'logs', 'noop', 'r1', 'extract']).lastLine,
      /^error: task extract of run r1 has not started yet \(state None\)$/,
    );

    const show = w.cli(['dags', 'show', 'noop']);
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stdout, /^pipeline noop: 3 component\(s\)\n/);
    assert.match(show.stdout, /3\. right \(Noop\)\n {5}in {3}input <- extract\.out\n/);

    // dags test: one run here and now, the skip reaching nothing downstream of right.
    const test = w.cli(['dags', 'test', 'noop', '-c', '{"skip":"left"}']);
    assert.equal(test.status, 0, test.stderr + test.stdout);
    assert.match(test.stdout, /^\[success\] extract\n/m);
    assert.match(test.stdout, /^\[skipped\] left: told to skip\n/m);
    assert.match(test.stdout, /^\[success\] right\n/m);
    assert.match(test.stdout, /^dags test noop: run manual__\S+ success\n$/m);
    const failing = w.cli(['dags', 'test', 'noop', '-c', '{"fail":"extract"}']);
    assert.equal(failing.status, 1);
    assert.match(failing.stdout, /^\[upstream_failed\] left: upstream task\(s\) failed: extract$/m);
    assert.match(failing.stdout, /run manual__\S+ failed\n$/);
    const taskTest = w.cli(['tasks', 'test', 'noop', 'extract']);
    assert.equal(taskTest.status, 0, taskTest.stderr);
    assert.match(taskTest.stdout, /^extract: wrote token /m);
    assert.match(
      taskTest.stdout,
      /Marking task as SUCCESS\. dag_id=noop, task_id=extract, execution \d+\n$/,
    );
    // The scheduler never saw the test runs.
    assert.equal(
      (json(w.cli(['dags', 'list-runs', '-d', 'noop', '-o', 'json'])) as unknown[]).length,
      2,
    );

    // A scheduler takes the queued runs; the same commands now go through its API.
    const scheduler = await startScheduler(w);
    await waitFor(
      () => w.cli(['dags', 'state', 'noop', 'r1']).stdout === 'success\n',
      'r1 to succeed',
    );
    await waitFor(
      () => w.cli(['dags', 'state', 'noop', 'r2']).stdout === 'success\n',
      'r2 to succeed',
    );
    const through = v.parse(v.array(DAGSchema), json(w.cli(['dags', 'list', '-o', 'json'])));
    assert.deepEqual(
      through.map((d) => d.dag_id),
      ['noop', 'retry'],
    );
    assert.equal(through[0].tsfx.last_run_state, 'success');
    const done = v.parse(
      v.array(TaskInstanceSchema),
      json(w.cli(['tasks', 'states-for-dag-run', 'noop', 'r1', '-o', 'json'])),
    );
    assert.deepEqual(
      done.map((t) => [t.task_id, t.state]),
      [
        ['extract', 'success'],
        ['left', 'success'],
        ['right', 'skipped'],
      ],
    );
    const statesTable = w.cli(['tasks', 'states-for-dag-run', 'noop', 'r1']);
    assert.match(
      statesTable.stdout,
      /^dag_id +execution_date +task_id +state +try_number +start_date +end_date\nnoop +\S+ +extract +success +1 /,
    );
    const log = w.cli(['tasks', 'logs', 'noop', 'r1', 'extract']);
    assert.match(
      log.stdout,
      /Marking task as SUCCESS\. dag_id=noop, task_id=extract, run_id=r1, try_number=1\n$/,
    );
    const followed = w.cli(['tasks', 'logs', 'noop', 'r1', 'left', '-f', '--try', '1']);
    assert.match(followed.stdout, /Marking task as SUCCESS/);
    assert.match(
      w.cli(['tasks', 'logs', 'noop', 'r1', 'extract', '--try', '2']).lastLine,
      /^error: Task instance noop\/r1\/extract has no try 2/,
    );
    const trig = v.parse(DAGRunSchema, json(w.cli(['dags', 'trigger', 'noop', '-o', 'json'])));
    assert.match(trig.dag_run_id, /^manual__\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(\.\d{3})?Z$/);
    assert.equal(await scheduler.stop(), 0);
  });

  it('the taxi pipeline is the DAG chicago_taxi, paused at creation; its module file is no import error', () => {
    const env = {
      TSFX_METADATA: join(tempDir(), 'metadata.sqlite'),
      TSFX_DAGS_FOLDER: join(REPO_ROOT, 'notebooks', 'dags'),
    };
    const dags = v.parse(v.array(DAGSchema), json(runCli(['dags', 'list', '-o', 'json'], { env })));
    assert.deepEqual(
      dags.map((d) => [d.dag_id, d.is_paused, d.schedule_interval, d.tsfx.pipeline_name]),
      [['chicago_taxi', true, null, 'chicago_taxi']],
    );
    assert.deepEqual(json(runCli(['dags', 'list-import-errors', '-o', 'json'], { env })), []);
    assert.equal(
      runCli(['tasks', 'list', 'chicago_taxi'], { env }).stdout,
      'CsvExampleGen\nStatisticsGen\nSchemaGen\nExampleValidator\nTransform\nTrainer\n' +
        'latest_blessed_model_resolver\nEvaluator\nPusher\n',
    );
  });
});
