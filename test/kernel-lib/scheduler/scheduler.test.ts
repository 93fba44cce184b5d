import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import {
  ApiErrorSchema,
  DAGCollectionSchema,
  DAGDetailSchema,
  DAGRunCollectionSchema,
  DAGRunSchema,
  DAGSchema,
  HealthInfoSchema,
  ImportErrorCollectionSchema,
  TaskCollectionSchema,
  TaskInstanceCollectionSchema,
  TaskInstanceSchema,
  TaskLogSchema,
  type DAGRun,
  type TaskInstance,
} from '../../../kernel-lib/src';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { runCli } from '../../helpers';
import { startScheduler, waitFor, world, type World } from './harness';

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** One HTTP request to the scheduler's socket, as any client would send it. */
function http(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  accept = 'application/json',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text =
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      { socketPath, method, path, headers: { accept, 'content-type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type']),
            body: data,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** GET a resource, checked against its schema in the API contract. */
async function get<S extends v.GenericSchema>(
  w: World,
  path: string,
  schema: S,
): Promise<v.InferOutput<S>> {
  const answer = await http(socket(w), 'GET', `/api/v1${path}`);
  assert.equal(answer.status, 200, answer.body);
  return v.parse(schema, JSON.parse(answer.body));
}

const socket = (w: World) => join(w.root, 'scheduler.sock');

async function trigger(w: World, dagId: string, body: object = {}): Promise<DAGRun> {
  const answer = await http(socket(w), 'POST', `/api/v1/dags/${dagId}/dagRuns`, body);
  assert.equal(answer.status, 200, answer.body);
  return v.parse(DAGRunSchema, JSON.parse(answer.body));
}

async function waitForRun(
  w: World,
  dagId: string,
  runId: string,
  timeoutMs = 120_000,
): Promise<DAGRun> {
  let run: DAGRun | undefined;
  await waitFor(
    async () => {
      run = await get(w, `/dags/${dagId}/dagRuns/${runId}`, DAGRunSchema);
      return run.state === 'success' || run.state === 'failed';
    },
    `run ${dagId}/${runId} to end`,
    timeoutMs,
  );
  return run!;
}

async function taskInstances(
  w: World,
  dagId: string,
  runId: string,
): Promise<Record<string, TaskInstance>> {
  const { task_instances } = await get(
    w,
    `/dags/${dagId}/dagRuns/${runId}/taskInstances`,
    TaskInstanceCollectionSchema,
  );
  return Object.fromEntries(task_instances.map((ti) => [ti.task_id, ti]));
}

const states = (tis: Record<string, TaskInstance>) =>
  Object.fromEntries(Object.entries(tis).map(([id, ti]) => [id, `${ti.state}/${ti.try_number}`]));

/** Every LIVE artifact: its own folder, holding the token its execution wrote. */
function checkArtifacts(store: MetadataStore): void {
  const live = store.getArtifacts({ state: 'LIVE' });
  assert.equal(new Set(live.map((a) => a.uri)).size, live.length, 'no two artifacts share a uri');
  for (const artifact of live) {
    assert.equal(
      readFileSync(join(artifact.uri, 'token.txt'), 'utf8'),
      artifact.properties.token,
      `${artifact.uri} holds its own token`,
    );
  }
  for (const artifact of store.getArtifacts({}).filter((a) => a.state !== 'LIVE')) {
    assert.equal(
      existsSync(artifact.uri),
      false,
      `a ${artifact.state} artifact's folder is gone: ${artifact.uri}`,
    );
  }
  assert.deepEqual(store.getExecutions({ state: 'RUNNING' }), [], 'no execution left RUNNING');
}

describe('tsfx scheduler', () => {
  it("runs a triggered DAG, serves the API in the contract's shapes, and refuses a second scheduler", async () => {
    const w = world();
    const scheduler = await startScheduler(w, ['--parallelism', '2']);
    const second = runCli(['scheduler'], { env: w.env });
    assert.equal(second.status, 1);
    assert.match(
      second.lastLine,
      new RegExp(
        `^error: a scheduler is running already for ${w.metadata} \\(pid ${scheduler.child.pid} on .+, dags folder ${w.dagsFolder}, since .+\\), listening on ${socket(w)}: stop it first$`,
      ),
    );

    const health = await get(w, '/health', HealthInfoSchema);
    assert.equal(health.scheduler.status, 'healthy');
    assert.equal(health.tsfx.dags_folder, w.dagsFolder);
    const { dags, total_entries } = await get(w, '/dags', DAGCollectionSchema);
    assert.equal(total_entries, 2);
    assert.deepEqual(
      dags.map((d) => [d.dag_id, d.is_paused, d.max_active_runs, d.timetable_description]),
      [
        ['noop', false, 200, 'Never, external triggers only'],
        ['retry', false, 5, 'Never, external triggers only'],
      ],
    );
    const detail = await get(w, '/dags/retry/details', DAGDetailSchema);
    assert.deepEqual(detail.default_args, { retries: 1, retry_delay: 1, execution_timeout: 3 });
    const { tasks } = await get(w, '/dags/noop/tasks', TaskCollectionSchema);
    assert.deepEqual(
      tasks.map((t) => [t.task_id, t.class_ref.class_name, t.downstream_task_ids, t.tsfx.inputs]),
      [
        ['extract', 'Noop', ['left', 'right'], {}],
        ['left', 'Noop', [], { input: 'extract.out' }],
        ['right', 'Noop', [], { input: 'extract.out' }],
      ],
    );
    assert.deepEqual(
      (await get(w, '/importErrors', ImportErrorCollectionSchema)).import_errors,
      [],
    );

    const run = await trigger(w, 'noop', {
      dag_run_id: 'first',
      conf: { sleep: 'extract', sleepMs: 200 },
    });
    assert.equal(run.run_type, 'manual');
    assert.equal(run.external_trigger, true);
    const ended = await waitForRun(w, 'noop', 'first');
    assert.equal(ended.state, 'success');
    assert.deepEqual(ended.conf, { sleep: 'extract', sleepMs: 200 });
    const tis = await taskInstances(w, 'noop', 'first');
    assert.deepEqual(states(tis), { extract: 'success/1', left: 'success/1', right: 'success/1' });
    const extract = tis.extract;
    assert.equal(extract.tsfx.cached, false);
    assert.equal(extract.tsfx.artifacts.length, 1);
    assert.equal(extract.tsfx.artifacts[0].state, 'LIVE');
    assert.equal(extract.operator, 'Noop');
    assert.ok(extract.duration! >= 0.2, `duration ${extract.duration}`);
    // Each downstream task read the token this run's extract wrote.
    assert.equal(
      tis.left.tsfx.artifacts[0].properties.read,
      extract.tsfx.artifacts[0].properties.token,
    );

    // The log of the try: text, or JSON with a continuation token.
    const logPath = '/api/v1/dags/noop/dagRuns/first/taskInstances/extract/logs/1';
    const text = await http(socket(w), 'GET', logPath, undefined, 'text/plain');
    assert.equal(text.status, 200);
    assert.match(text.type, /^text\/plain/);
    assert.match(text.body, /Starting attempt 1: dag_id=noop, task_id=extract, run_id=first/);
    assert.match(text.body, /INFO - extract: wrote token [0-9a-f-]{36}\n/);
    assert.match(text.body, /OUTPUT - SLEEPING\n/);
    assert.match(
      text.body,
      /Marking task as SUCCESS\. dag_id=noop, task_id=extract, run_id=first, try_number=1\n$/,
    );
    assert.ok(existsSync(join(w.root, 'logs', 'noop', 'first', 'extract', '1.log')));
    const log = v.parse(TaskLogSchema, JSON.parse((await http(socket(w), 'GET', logPath)).body));
    assert.equal(log.content, text.body);
    const rest = v.parse(
      TaskLogSchema,
      JSON.parse((await http(socket(w), 'GET', `${logPath}?token=${log.continuation_token}`)).body),
    );
    assert.equal(rest.content, '');

    // Airflow's errors: problem JSON with its status.
    const problem = async (
      method: string,
      path: string,
      body: unknown,
      status: number,
      detail: RegExp,
    ) => {
      const answer = await http(socket(w), method, `/api/v1${path}`, body);
      assert.equal(answer.status, status, answer.body);
      assert.match(answer.type, /^application\/problem\+json/);
      const parsed = v.parse(ApiErrorSchema, JSON.parse(answer.body));
      assert.match(parsed.detail ?? '', detail);
    };
    await problem('GET', '/dags/nope', undefined, 404, /^DAG with dag_id: 'nope' not found$/);
    await problem('POST', '/dags/noop/dagRuns', { dag_run_id: 'first' }, 409, /already exists/);
    await problem(
      'POST',
      '/dags/noop/dagRuns',
      { conf: 5 },
      400,
      /^bad request: body\.conf should be an object, got number$/,
    );
    await problem(
      'PATCH',
      '/dags/noop',
      { is_paused: 'yes' },
      400,
      /body\.is_paused should be a boolean/,
    );
    await problem(
      'GET',
      '/dags/noop/dagRuns/first/taskInstances/extract/logs/2',
      undefined,
      404,
      /has no try 2/,
    );
    await problem('DELETE', '/dags/noop', undefined, 405, /DELETE is not allowed/);

    // Paused: a triggered run waits, queued, until the DAG is unpaused.
    const paused = await http(socket(w), 'PATCH', '/api/v1/dags/noop', { is_paused: true });
    assert.equal(v.parse(DAGSchema, JSON.parse(paused.body)).is_paused, true);
    await trigger(w, 'noop', { dag_run_id: 'while-paused' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await get(w, '/dags/noop/dagRuns/while-paused', DAGRunSchema)).state, 'queued');
    await http(socket(w), 'PATCH', '/api/v1/dags/noop', { is_paused: false });
    assert.equal((await waitForRun(w, 'noop', 'while-paused')).state, 'success');
    const queuedOnly = await get(w, '/dags/noop/dagRuns?state=queued', DAGRunCollectionSchema);
    assert.equal(queuedOnly.total_entries, 0);

    assert.equal(await scheduler.stop(), 0);
    assert.equal(existsSync(socket(w)), false, 'the socket is removed');
  });

  it('retries a failed try after its delay, times out a task, skips and fails tasks as Airflow does', async () => {
    const w = world();
    await startScheduler(w, ['--parallelism', '3']);
    const marker = join(w.root, 'failed-once');
    await trigger(w, 'retry', {
      dag_run_id: 'flaky',
      conf: { failOnce: `left:${marker}`, skip: 'right' },
    });
    await trigger(w, 'retry', { dag_run_id: 'slow', conf: { sleep: 'extract', sleepMs: 60_000 } });
    await trigger(w, 'noop', { dag_run_id: 'broken', conf: { fail: 'extract' } });

    assert.equal((await waitForRun(w, 'retry', 'flaky')).state, 'success');
    const flaky = await taskInstances(w, 'retry', 'flaky');
    assert.deepEqual(states(flaky), {
      extract: 'success/1',
      left: 'success/2',
      right: 'skipped/1',
    });
    const first = readFileSync(join(w.root, 'logs', 'retry', 'flaky', 'left', '1.log'), 'utf8');
    assert.match(first, /ERROR - Task failed: told to fail once\n/);
    assert.match(first, /Marking task as UP_FOR_RETRY/);
    assert.match(
      readFileSync(join(w.root, 'logs', 'retry', 'flaky', 'right', '1.log'), 'utf8'),
      /Marking task as SKIPPED/,
    );

    assert.equal((await waitForRun(w, 'noop', 'broken')).state, 'failed');
    assert.deepEqual(states(await taskInstances(w, 'noop', 'broken')), {
      extract: 'failed/1',
      left: 'upstream_failed/0',
      right: 'upstream_failed/0',
    });

    assert.equal((await waitForRun(w, 'retry', 'slow')).state, 'failed');
    assert.deepEqual(states(await taskInstances(w, 'retry', 'slow')), {
      extract: 'failed/2',
      left: 'upstream_failed/0',
      right: 'upstream_failed/0',
    });
    assert.match(
      readFileSync(join(w.root, 'logs', 'retry', 'slow', 'extract', '2.log'), 'utf8'),
      /Task failed: Task timed out after 3 s/,
    );

    const store = new MetadataStore(w.metadata);
    try {
      checkArtifacts(store);
      const skipped = store.getExecutions({ componentId: 'right', pipeline: 'retry' });
      assert.deepEqual(
        skipped.map((e) => [e.state, e.error]),
        [['CANCELED', 'told to skip']],
      );
    } finally {
      store.close();
    }
  });

  it('SIGKILL of the scheduler and of a task mid-run: after a restart every run ends, nothing stays running', async () => {
    const w = world();
    const scheduler = await startScheduler(w, ['--parallelism', '2']);
    await trigger(w, 'retry', { dag_run_id: 'killed', conf: { sleep: 'extract', sleepMs: 2000 } });
    // Long enough to outlive the restart on a loaded machine (2.5 s did not): it must be adopted.
    // (The victim's 2 s stays under the retry DAG's 3 s execution timeout.)
    await trigger(w, 'noop', {
      dag_run_id: 'orphaned',
      conf: { sleep: 'extract', sleepMs: 15_000 },
    });
    let victim: TaskInstance | undefined;
    await waitFor(async () => {
      victim = (await taskInstances(w, 'retry', 'killed')).extract;
      const other = (await taskInstances(w, 'noop', 'orphaned')).extract;
      const log = join(w.root, 'logs', 'retry', 'killed', 'extract', '1.log');
      // Mid-execution: its execution is RUNNING in ML Metadata, its outputs half written.
      return (
        victim.state === 'running' &&
        other.state === 'running' &&
        existsSync(log) &&
        readFileSync(log, 'utf8').includes('SLEEPING')
      );
    }, 'both extract tasks to run');
    process.kill(victim!.pid!, 'SIGKILL');
    scheduler.child.kill('SIGKILL');
    await scheduler.exited;

    const restarted = await startScheduler(w, ['--parallelism', '2']);
    const killed = await waitForRun(w, 'retry', 'killed');
    const orphaned = await waitForRun(w, 'noop', 'orphaned');
    assert.equal(killed.state, 'success', 'the killed try was retried');
    assert.equal(orphaned.state, 'success', 'the task still running was adopted and finished');
    const killedTis = await taskInstances(w, 'retry', 'killed');
    assert.deepEqual(states(killedTis), {
      extract: 'success/2',
      left: 'success/1',
      right: 'success/1',
    });
    assert.match(
      restarted.output(),
      /retry\/killed\/extract: its process \(pid \d+\) ended without recording an end: killed or crashed: up_for_retry/,
    );
    assert.match(restarted.output(), /adopted noop\/orphaned\/extract/);

    const store = new MetadataStore(w.metadata);
    try {
      checkArtifacts(store);
      const extract = store.getExecutions({ pipeline: 'retry', componentId: 'extract' });
      assert.deepEqual(
        extract.map((e) => e.state),
        ['FAILED', 'COMPLETE'],
        'the killed execution closed, the retry complete',
      );
    } finally {
      store.close();
    }
    assert.equal(await restarted.stop(), 0);
    const left = runCli(['tasks', 'states-for-dag-run', 'retry', 'killed', '-o', 'json'], {
      env: w.env,
    });
    const rows = JSON.parse(left.stdout) as TaskInstance[];
    assert.ok(rows.every((ti) => ti.state !== 'running' && ti.state !== 'queued'));
  });

  it('100 triggered runs of a 3-task DAG: all succeed, one execution per task and run, no artifact clobbered', async () => {
    const w = world();
    await startScheduler(w, ['--parallelism', '4']);
    const runs = await Promise.all(
      Array.from({ length: 100 }, (_, i) => trigger(w, 'noop', { dag_run_id: `burst-${i}` })),
    );
    assert.equal(new Set(runs.map((r) => r.dag_run_id)).size, 100);
    await waitFor(
      async () =>
        (await get(w, '/dags/noop/dagRuns?state=success', DAGRunCollectionSchema)).total_entries ===
        100,
      'all 100 runs to succeed',
      900_000,
    );
    const store = new MetadataStore(w.metadata);
    try {
      const executions = store.getExecutions({ pipeline: 'noop' });
      assert.equal(executions.length, 300);
      const perTask = new Map<string, number>();
      for (const e of executions) {
        assert.equal(e.state, 'COMPLETE');
        const key = `${e.runId}/${e.componentId}`;
        perTask.set(key, (perTask.get(key) ?? 0) + 1);
      }
      assert.equal(perTask.size, 300);
      checkArtifacts(store);
      // Within each run, both downstream tasks read that run's extract.
      for (const run of runs) {
        const out = (component: string) => {
          const e = executions.find(
            (x) => x.runId === run.dag_run_id && x.componentId === component,
          )!;
          return store.getOutputs(e.id).get('out')![0];
        };
        const token = out('extract').properties.token;
        assert.equal(out('left').properties.read, token);
        assert.equal(out('right').properties.read, token);
      }
    } finally {
      store.close();
    }
    for (const run of runs.slice(0, 5)) {
      assert.deepEqual(states(await taskInstances(w, 'noop', run.dag_run_id)), {
        extract: 'success/1',
        left: 'success/1',
        right: 'success/1',
      });
    }
    void TaskInstanceSchema;
  });
});
