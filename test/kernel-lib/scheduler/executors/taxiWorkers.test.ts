import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as v from 'valibot';
import { TaskInstanceCollectionSchema } from '../../../../kernel-lib/src';
import { MetadataStore } from '../../../../kernel-lib/src/metadata/MetadataStore';
import { REPO_ROOT, TAXI_COMPONENTS } from '../../../helpers';
import { startHostNetwork } from '../../../servers/hostNetwork';
import { startPostgres } from '../../../servers/postgresServer';
import { startRedis } from '../../../servers/redisServer';
import { startScheduler, waitFor, world, type World } from '../harness';
import { api, startWorker, trigger, waitForRun, type RunningWorker } from './workers';

const DAG = 'chicago_taxi';
const TASKS = TAXI_COMPONENTS;

async function taskStates(w: World, runId: string): Promise<Record<string, string>> {
  const answer = await api(w, 'GET', `/dags/${DAG}/dagRuns/${runId}/taskInstances`);
  const { task_instances } = v.parse(TaskInstanceCollectionSchema, JSON.parse(answer.body));
  return Object.fromEntries(
    task_instances.map((ti) => [ti.task_id, `${ti.state}/${ti.try_number}`]),
  );
}

const allSucceededOnFirstTry = Object.fromEntries(TASKS.map((t) => [t, 'success/1']));

/**
 * Each task of each run completed once; the outputs of those executions are exactly the LIVE
 * artifacts, each on disk; every other artifact (the killed delivery's) is gone from disk;
 * nothing RUNNING; no staging folder left.
 */
function checkPublishedOnce(store: MetadataStore, pipelineRoot: string, runIds: string[]): void {
  const complete = store.getExecutions({ pipeline: DAG, state: 'COMPLETE' });
  const published = new Set<number>();
  for (const runId of runIds) {
    for (const task of TASKS) {
      const mine = complete.filter((e) => e.runId === runId && e.componentId === task);
      assert.equal(mine.length, 1, `${runId}/${task}: one COMPLETE execution`);
      for (const artifacts of store.getOutputs(mine[0].id).values()) {
        for (const a of artifacts) {
          assert.equal(a.state, 'LIVE', `${runId}/${task}: output ${a.uri} LIVE`);
          assert.ok(existsSync(a.uri), `${a.uri} on disk`);
          published.add(a.id);
        }
      }
    }
  }
  const live = store.getArtifacts({ state: 'LIVE' }).map((a) => a.id);
  assert.deepEqual(new Set(live), published, 'the LIVE artifacts are the completed tasks outputs');
  for (const artifact of store.getArtifacts({}).filter((a) => a.state !== 'LIVE')) {
    assert.equal(existsSync(artifact.uri), false, `${artifact.state} ${artifact.uri} removed`);
  }
  assert.deepEqual(store.getExecutions({ state: 'RUNNING' }), [], 'no execution left RUNNING');
  const staging = join(pipelineRoot, '.staging');
  assert.deepEqual(existsSync(staging) ? readdirSync(staging) : [], [], 'no staging left');
}

const netns = (pid: number): string => readlinkSync(`/proc/${pid}/ns/net`);

describe('the taxi DAG on three tsfx workers (real Redis and PostgreSQL)', () => {
  it('runs to success; a worker SIGKILLed mid-Trainer in a second run: the job runs again elsewhere, every output LIVE once', async (t) => {
    // Each worker a "host" of its own: a network namespace (when this machine allows them).
    const network = startHostNetwork(3);
    t.diagnostic(
      network.mode === 'namespaces'
        ? `workers in separate network namespaces, servers on ${network.serviceAddress}`
        : `workers share this machine's network: ${network.reason}`,
    );
    const redis = await startRedis(network.serviceAddress);
    after(() => redis.stop());
    const postgres = await startPostgres({
      host: network.serviceAddress,
      clients: network.clients,
    });
    after(() => postgres.stop());

    const w = world({}, []);
    // The DAG as `npm start` has it, from the checkout every host shares.
    w.env.TSFX_DAGS_FOLDER = join(REPO_ROOT, 'notebooks', 'dags');
    w.env.TSFX_METADATA = postgres.url('postgres');
    w.env.TSFX_HOME = w.root;
    const pipelineRoot = join(w.root, DAG);
    // A short training; no cache, so that the second run does every task's work again.
    const conf = { pipelineRoot, trainSteps: 20, enableCache: false };

    const args = ['--concurrency', '2', '--lock-seconds', '5'];
    const workers: RunningWorker[] = [];
    for (const host of network.hosts) workers.push(await startWorker(redis.url, args, host));
    if (network.mode === 'namespaces') {
      const own = new Set([netns(process.pid), ...workers.map((x) => netns(x.child.pid!))]);
      assert.equal(own.size, 4, 'each worker in a network namespace of its own');
    }
    const scheduler = await startScheduler(w, [
      ...['--executor', 'redis', '--redis', redis.url, '--parallelism', '6'],
    ]);
    assert.equal((await api(w, 'PATCH', `/dags/${DAG}`, { is_paused: false })).status, 200);

    await trigger(w, DAG, { dag_run_id: 'first', conf });
    assert.equal((await waitForRun(w, DAG, 'first', 600_000)).state, 'success');
    assert.deepEqual(await taskStates(w, 'first'), allSucceededOnFirstTry);

    const store = new MetadataStore(postgres.url('postgres'));
    try {
      const seconds = (task: string): string => {
        const e = store.getExecutions({ pipeline: DAG, componentId: task })[0];
        return `${task} ${((e.endTime! - e.startTime) / 1000).toFixed(1)} s`;
      };
      t.diagnostic(`first run: ${['Transform', 'Trainer', 'Evaluator'].map(seconds).join(', ')}`);
      await trigger(w, DAG, { dag_run_id: 'killed', conf });
      // The Trainer's execution registered (its outputs staged) on some worker: kill that host.
      let victim: RunningWorker | undefined;
      await waitFor(
        () => {
          victim = workers.find((x) => x.output().includes(`${DAG}/killed/Trainer try 1: job`));
          return (
            victim !== undefined &&
            store
              .getExecutions({ pipeline: DAG, componentId: 'Trainer', state: 'RUNNING' })
              .some((e) => e.runId === 'killed')
          );
        },
        'the Trainer to be mid-execution on a worker',
        600_000,
      );
      await victim!.killHost();

      assert.equal((await waitForRun(w, DAG, 'killed', 600_000)).state, 'success');
      // The same try delivered again (the DAG retries once: a failed try would show try 2).
      assert.deepEqual(await taskStates(w, 'killed'), allSucceededOnFirstTry);
      const others = workers.filter((x) => x !== victim);
      assert.ok(
        others.some((x) => x.output().includes(`${DAG}/killed/Trainer try 1: success`)),
        'another worker ran the job again',
      );
      const trainer = store
        .getExecutions({ pipeline: DAG, componentId: 'Trainer' })
        .filter((e) => e.runId === 'killed');
      assert.deepEqual(
        trainer.map((e) => e.state),
        ['FAILED', 'COMPLETE'],
        'the killed execution closed, the second delivery published',
      );
      checkPublishedOnce(store, pipelineRoot, ['first', 'killed']);
    } finally {
      store.close();
    }
    assert.equal(await scheduler.stop(), 0);
    const survivors = workers.filter((x) => x.child.signalCode === null);
    assert.deepEqual(await Promise.all(survivors.map((x) => x.stop())), [0, 0]);
  });
});
