import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import * as v from 'valibot';
import { TaskInstanceCollectionSchema, type TaskInstance } from '../../../../kernel-lib/src';
import { MetadataStore } from '../../../../kernel-lib/src/metadata/MetadataStore';
import { QUEUE_PREFIX } from '../../../../kernel-lib/src/scheduler/executors/taskJob';
import { startScheduler, waitFor, world, type World } from '../harness';
import { startPostgres } from '../../../servers/postgresServer';
import { startRedis as startServer } from '../../../servers/redisServer';
import { api, startWorker, trigger, waitForRun, type RunningWorker } from './workers';

async function taskInstances(
  w: World,
  runId: string,
  dagId = 'noop',
): Promise<Record<string, TaskInstance>> {
  const answer = await api(w, 'GET', `/dags/${dagId}/dagRuns/${runId}/taskInstances`);
  const { task_instances } = v.parse(TaskInstanceCollectionSchema, JSON.parse(answer.body));
  return Object.fromEntries(task_instances.map((ti) => [ti.task_id, ti]));
}

const states = (tis: Record<string, TaskInstance>) =>
  Object.fromEntries(Object.entries(tis).map(([id, ti]) => [id, `${ti.state}/${ti.try_number}`]));

/**
 * Each task of each run published once: one COMPLETE execution and one LIVE artifact holding its
 * own token; whatever did not publish is gone from disk; nothing RUNNING, no staging left.
 */
function checkPublishedOnce(w: World, runIds: string[]): void {
  const store = new MetadataStore(w.env.TSFX_METADATA!);
  try {
    const complete = store.getExecutions({ pipeline: 'noop', state: 'COMPLETE' });
    for (const runId of runIds) {
      for (const task of ['extract', 'left', 'right']) {
        const mine = complete.filter((e) => e.runId === runId && e.componentId === task);
        assert.equal(mine.length, 1, `${runId}/${task}: one COMPLETE execution`);
        const out = store.getOutputs(mine[0].id).get('out')!;
        assert.equal(out.length, 1);
        assert.equal(out[0].state, 'LIVE');
        assert.equal(readFileSync(join(out[0].uri, 'token.txt'), 'utf8'), out[0].properties.token);
      }
    }
    const live = store.getArtifacts({ state: 'LIVE' });
    assert.equal(live.length, runIds.length * 3, 'no LIVE artifact beyond one per task and run');
    for (const artifact of store.getArtifacts({}).filter((a) => a.state !== 'LIVE')) {
      assert.equal(existsSync(artifact.uri), false, `${artifact.state} ${artifact.uri} removed`);
    }
    assert.deepEqual(store.getExecutions({ state: 'RUNNING' }), [], 'no execution left RUNNING');
    const staging = join(w.root, 'noop', '.staging');
    assert.deepEqual(existsSync(staging) ? readdirSync(staging) : [], [], 'no staging left');
  } finally {
    store.close();
  }
}

async function startRedis(): ReturnType<typeof startServer> {
  const server = await startServer();
  after(() => server.stop());
  return server;
}

async function threeWorkers(url: string): Promise<RunningWorker[]> {
  const args = ['--concurrency', '2', '--lock-seconds', '5'];
  return Promise.all([startWorker(url, args), startWorker(url, args), startWorker(url, args)]);
}

/**
 * Three workers run the noop DAG once, then again while one of them is killed (with its task
 * processes, as when its host dies) in the middle of `extract`: the job comes back to another
 * worker, the run succeeds on its first try, and each output is published once.
 */
async function killAWorkerMidTask(
  redisUrl: string,
  w: World,
  conf: Record<string, string>,
): Promise<void> {
  const workers = await threeWorkers(redisUrl);
  const scheduler = await startScheduler(w, [
    ...['--executor', 'redis', '--redis', redisUrl, '--parallelism', '6'],
  ]);

  await trigger(w, 'noop', { dag_run_id: 'plain', conf });
  assert.equal((await waitForRun(w, 'noop', 'plain')).state, 'success');
  assert.deepEqual(states(await taskInstances(w, 'plain')), {
    extract: 'success/1',
    left: 'success/1',
    right: 'success/1',
  });

  await trigger(w, 'noop', {
    dag_run_id: 'killed',
    conf: { ...conf, sleep: 'extract', sleepMs: 4000 },
  });
  const log = join(w.root, 'logs', 'noop', 'killed', 'extract', '1.log');
  let victim: RunningWorker | undefined;
  await waitFor(() => {
    victim = workers.find((x) => x.output().includes('noop/killed/extract try 1: job'));
    return (
      victim !== undefined && existsSync(log) && readFileSync(log, 'utf8').includes('SLEEPING')
    );
  }, 'the extract task to be mid-execution on a worker');
  await victim!.killHost();

  const run = await waitForRun(w, 'noop', 'killed');
  assert.equal(run.state, 'success');
  // The same try, delivered again (the DAG has no retries: a failed try would fail the run).
  assert.deepEqual(states(await taskInstances(w, 'killed')), {
    extract: 'success/1',
    left: 'success/1',
    right: 'success/1',
  });
  const others = workers.filter((x) => x !== victim);
  assert.ok(
    others.some((x) => x.output().includes('noop/killed/extract try 1: success')),
    'another worker ran the job again',
  );
  const store = new MetadataStore(w.env.TSFX_METADATA!);
  try {
    const extract = store
      .getExecutions({ pipeline: 'noop', componentId: 'extract' })
      .filter((e) => e.runId === 'killed');
    assert.deepEqual(
      extract.map((e) => e.state),
      ['FAILED', 'COMPLETE'],
      'the killed execution closed, the second delivery published',
    );
  } finally {
    store.close();
  }
  checkPublishedOnce(w, ['plain', 'killed']);
  assert.equal(await scheduler.stop(), 0);
  assert.deepEqual(await Promise.all(others.map((x) => x.stop())), [0, 0]);
}

describe('tsfx scheduler --executor redis with tsfx worker (real redis-server)', () => {
  it('three workers run a DAG; a worker killed mid-task: its job is picked up again, every output LIVE once', async () => {
    const redis = await startRedis();
    await killAWorkerMidTask(redis.url, world(), {});
  });

  it('the same with the metadata store in PostgreSQL (a real server)', async () => {
    const redis = await startRedis();
    const postgres = await startPostgres();
    after(() => postgres.stop());
    const w = world();
    // The store is a database: the scheduler's own files go to TSFX_HOME, artifacts to the root given.
    w.env.TSFX_METADATA = postgres.url('postgres');
    w.env.TSFX_HOME = w.root;
    await killAWorkerMidTask(redis.url, w, { pipelineRoot: join(w.root, 'noop') });
  });

  it('100 runs across three workers: none lost, none duplicated', async () => {
    const redis = await startRedis();
    const w = world();
    const workers = await threeWorkers(redis.url);
    const scheduler = await startScheduler(w, [
      ...['--executor', 'redis', '--redis', redis.url, '--parallelism', '6'],
    ]);
    const runIds = Array.from({ length: 100 }, (_, i) => `burst-${i}`);
    for (const id of runIds) await trigger(w, 'noop', { dag_run_id: id });
    for (const id of runIds) {
      assert.equal((await waitForRun(w, 'noop', id, 900_000)).state, 'success', id);
    }
    checkPublishedOnce(w, runIds);
    const queue = new Queue('default', {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: QUEUE_PREFIX,
    });
    try {
      const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
      assert.deepEqual(counts, { completed: 300, failed: 0, active: 0, wait: 0, delayed: 0 });
    } finally {
      await queue.close();
    }
    assert.equal(await scheduler.stop(), 0);
    assert.deepEqual(await Promise.all(workers.map((x) => x.stop())), [0, 0, 0]);
  });

  it('a task on a queue of its own (taskQueues) runs only on a worker listening on that queue', async () => {
    const redis = await startRedis();
    const w = world({
      'queued_dag.ts': [
        "import { createPipeline as noop } from './noop_dag';",
        "import type { DagOptions, Pipeline } from 'tsfx';",
        'export const dag: DagOptions = {',
        "  dagId: 'queued', schedule: null, isPausedUponCreation: false,",
        "  taskQueues: { left: 'gpu' },",
        '};',
        'export function createPipeline(params: Parameters<typeof noop>[0]): Pipeline {',
        "  return noop({ ...params, name: 'queued' });",
        '}',
      ].join('\n'),
    });
    const plain = await startWorker(redis.url, ['--concurrency', '2']);
    const scheduler = await startScheduler(w, ['--executor', 'redis', '--redis', redis.url]);
    await trigger(w, 'queued', { dag_run_id: 'r1' });
    const gpu = new Queue('gpu', {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: QUEUE_PREFIX,
    });
    try {
      await waitFor(async () => {
        const s = states(await taskInstances(w, 'r1', 'queued'));
        return s.extract === 'success/1' && s.right === 'success/1';
      }, 'extract and right to run on the default queue');
      // Two reconcile periods more: `left` is still waiting on `gpu`, which nobody listens to.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      assert.equal(states(await taskInstances(w, 'r1', 'queued')).left, 'queued/0');
      assert.equal(await gpu.getWaitingCount(), 1, 'the left job waits on queue gpu');

      const onGpu = await startWorker(redis.url, ['--queues', 'gpu', '--concurrency', '1']);
      assert.equal((await waitForRun(w, 'queued', 'r1')).state, 'success');
      assert.match(onGpu.output(), /queued\/r1\/left try 1: success/);
      assert.doesNotMatch(onGpu.output(), /queued\/r1\/(extract|right)/);
      assert.doesNotMatch(plain.output(), /queued\/r1\/left/);
      assert.equal(await onGpu.stop(), 0);
    } finally {
      await gpu.close();
    }
    assert.equal(await scheduler.stop(), 0);
    assert.equal(await plain.stop(), 0);
  });
});
