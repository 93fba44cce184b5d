import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TASK_STATES, type TaskState } from '../../../kernel-lib/src';
import {
  ConflictError,
  createDagRun,
  DAG_RUN_TRANSITIONS,
  evaluateTriggerRules,
  finishDagRunIfDone,
  finishTask,
  queueTask,
  requeueOrphan,
  runIdFor,
  scheduleDueRetries,
  startDagRunIfSlot,
  startTask,
  TASK_TRANSITIONS,
  transitionTask,
} from '../../../kernel-lib/src/scheduler/stateMachine';
import { SchedulerStore, type DagRunRow } from '../../../kernel-lib/src/scheduler/stateStore';
import { tempDir } from '../../helpers';
import { addDag } from './fixtures';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const SOCKET = '/tmp/worker.sock';
const PROCESS = { pid: 4242, livenessSocket: SOCKET };

function store(): SchedulerStore {
  return new SchedulerStore(join(tempDir(), 'scheduler.sqlite'));
}

function newRun(s: SchedulerStore, dagId: string, runId?: string, now = T0): DagRunRow {
  return createDagRun(
    s,
    s.getDag(dagId)!,
    {
      runId,
      runType: 'manual',
      logicalDate: now,
      dataIntervalStart: now,
      dataIntervalEnd: now,
      conf: {},
    },
    now,
  );
}

const states = (s: SchedulerStore, run: DagRunRow) =>
  Object.fromEntries(s.getTaskInstances(run.dagId, run.runId).map((t) => [t.taskId, t.state]));

/** Runs one task from scheduled to a running try (as the scheduler and its task process do). */
function begin(s: SchedulerStore, run: DagRunRow, taskId: string): number {
  const key = { dagId: run.dagId, runId: run.runId, taskId };
  assert.ok(queueTask(s, key, SOCKET, T0));
  const tryNumber = startTask(s, key, PROCESS, T0);
  assert.ok(tryNumber !== null);
  return tryNumber;
}

describe('scheduler state machine', () => {
  it("has Airflow's states, and every task transition in its table moves a task; every other one throws", () => {
    const s = store();
    const dag = addDag(
      s,
      'd',
      Object.fromEntries([...TASK_STATES, 'none'].map((st) => [`t_${st}`, []])),
    );
    const run = newRun(s, dag.dagId);
    const all: (TaskState | 'none')[] = ['none', ...TASK_STATES];
    let checked = 0;
    for (const from of all) {
      for (const to of TASK_STATES) {
        const allowed = TASK_TRANSITIONS[from].includes(to);
        const key = { dagId: 'd', runId: run.runId, taskId: `t_${from}` };
        // Put the task into `from` directly, then try the transition.
        s.db
          .prepare('UPDATE task_instance SET state = ? WHERE task_id = ?')
          .run(from === 'none' ? null : from, key.taskId);
        const fromState = from === 'none' ? null : from;
        if (allowed) {
          assert.equal(transitionTask(s, key, fromState, to), true, `${from} -> ${to}`);
          assert.equal(s.getTaskInstance(key)!.state, to);
        } else {
          assert.throws(
            () => transitionTask(s, key, fromState, to),
            /does not exist/,
            `${from} -> ${to}`,
          );
        }
        checked++;
      }
    }
    assert.equal(checked, 9 * 8);
    // The transitions Airflow has and no others (a hand-written list).
    assert.deepEqual(
      Object.entries(TASK_TRANSITIONS)
        .flatMap(([f, tos]) => tos.map((t) => `${f}>${t}`))
        .sort(),
      [
        'none>scheduled',
        'none>skipped',
        'none>upstream_failed',
        'queued>running',
        'queued>scheduled',
        'running>failed',
        'running>skipped',
        'running>success',
        'running>up_for_retry',
        'scheduled>queued',
        'up_for_retry>scheduled',
      ],
    );
    assert.deepEqual(DAG_RUN_TRANSITIONS, {
      queued: ['running'],
      running: ['success', 'failed'],
      success: [],
      failed: [],
    });
  });

  it('a transition is a compare-and-set: of two processes moving one task, one wins', () => {
    const s = store();
    addDag(s, 'd', { a: [] });
    const run = newRun(s, 'd');
    const key = { dagId: 'd', runId: run.runId, taskId: 'a' };
    assert.equal(transitionTask(s, key, null, 'scheduled'), true);
    assert.equal(transitionTask(s, key, null, 'scheduled'), false, 'no longer none');
    assert.equal(queueTask(s, key, SOCKET), true);
    assert.equal(queueTask(s, key, '/other.sock'), false);
    assert.equal(
      startTask(s, key, { pid: 1, livenessSocket: '/other.sock' }),
      null,
      'queued for another process',
    );
    assert.equal(startTask(s, key, PROCESS), 1);
    assert.equal(startTask(s, key, PROCESS), null, 'already running');
    assert.equal(
      finishTask(s, key, 2, { state: 'success', executionId: 1, cached: false }, 0),
      null,
      'not the running try',
    );
    assert.equal(
      finishTask(s, key, 1, { state: 'success', executionId: 1, cached: false }, 0),
      'success',
    );
    assert.equal(
      finishTask(s, key, 1, { state: 'failed', executionId: 1, error: 'late' }, 0),
      null,
      'ended already',
    );
    assert.equal(s.getTaskInstance(key)!.state, 'success');
  });

  it("creates a queued run with a task instance (no status) per task; run ids as Airflow's, conflicts refused", () => {
    const s = store();
    addDag(
      s,
      'd',
      { a: [], b: ['a'], c: ['a', 'b'] },
      { defaultArgs: { retries: 2, retryDelaySeconds: 5, executionTimeoutSeconds: null } },
    );
    const run = newRun(s, 'd');
    assert.equal(run.runId, 'manual__2026-11-30T10-00-00Z');
    assert.equal(
      runIdFor('scheduled', Date.parse('2026-11-29T00:00:00.123Z')),
      'scheduled__2026-11-29T00-00-00.123Z',
    );
    assert.equal(run.state, 'queued');
    const tis = s.getTaskInstances('d', run.runId);
    assert.deepEqual(
      tis.map((t) => [t.taskId, t.state, t.upstream, t.maxTries, t.tryNumber]),
      [
        ['a', null, [], 2, 0],
        ['b', null, ['a'], 2, 0],
        ['c', null, ['a', 'b'], 2, 0],
      ],
    );
    assert.equal(
      newRun(s, 'd').runId,
      'manual__2026-11-30T10-00-00Z-2',
      'a generated id at the same time',
    );
    assert.throws(() => newRun(s, 'd', run.runId), ConflictError);
    assert.throws(() => newRun(s, 'd', '../escape'), /run id/);
  });

  it('all_success: a task is scheduled once every upstream succeeded, and runs end in success', () => {
    const s = store();
    addDag(s, 'd', { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const run = newRun(s, 'd');
    assert.equal(startDagRunIfSlot(s, run, T0), true);
    const running = s.getDagRun('d', run.runId)!;
    assert.deepEqual(
      evaluateTriggerRules(s, running).map((t) => t.taskId),
      ['a'],
    );
    const succeed = (id: string) => {
      const t = begin(s, running, id);
      assert.equal(
        finishTask(
          s,
          { ...running, taskId: id },
          t,
          { state: 'success', executionId: 1, cached: false },
          0,
        ),
        'success',
      );
    };
    succeed('a');
    assert.deepEqual(
      evaluateTriggerRules(s, running).map((t) => t.taskId),
      ['b', 'c'],
    );
    succeed('b');
    assert.deepEqual(evaluateTriggerRules(s, running), [], 'd waits for c');
    assert.equal(finishDagRunIfDone(s, running), null);
    succeed('c');
    assert.deepEqual(
      evaluateTriggerRules(s, running).map((t) => t.taskId),
      ['d'],
    );
    succeed('d');
    assert.equal(finishDagRunIfDone(s, running), 'success');
    const ended = s.getDagRun('d', run.runId)!;
    assert.equal(ended.state, 'success');
    assert.ok(ended.endDate !== null);
  });

  it('a failure without retries fails the task; its downstream tasks (all levels) are upstream_failed, and the run fails', () => {
    const s = store();
    addDag(s, 'd', { a: [], b: ['a'], c: ['b'], other: [] });
    const run = newRun(s, 'd');
    startDagRunIfSlot(s, run, T0);
    evaluateTriggerRules(s, run);
    const t = begin(s, run, 'a');
    assert.equal(
      finishTask(
        s,
        { ...run, taskId: 'a' },
        t,
        { state: 'failed', executionId: 3, error: 'disk on fire' },
        60,
      ),
      'failed',
    );
    evaluateTriggerRules(s, run);
    assert.deepEqual(states(s, run), {
      a: 'failed',
      b: 'upstream_failed',
      c: 'upstream_failed',
      other: 'scheduled',
    });
    assert.equal(s.getTaskInstance({ ...run, taskId: 'b' })!.error, 'upstream task(s) failed: a');
    assert.equal(s.getTaskInstance({ ...run, taskId: 'a' })!.error, 'disk on fire');
    assert.equal(finishDagRunIfDone(s, s.getDagRun('d', run.runId)!), null, 'other has not run');
    const o = begin(s, run, 'other');
    finishTask(
      s,
      { ...run, taskId: 'other' },
      o,
      { state: 'success', executionId: 4, cached: false },
      0,
    );
    assert.equal(finishDagRunIfDone(s, s.getDagRun('d', run.runId)!), 'failed');
  });

  it('retries: up_for_retry while tries remain, scheduled again after the delay, failed after the last try', () => {
    const s = store();
    addDag(
      s,
      'd',
      { a: [] },
      { defaultArgs: { retries: 1, retryDelaySeconds: 30, executionTimeoutSeconds: null } },
    );
    const run = newRun(s, 'd');
    startDagRunIfSlot(s, run, T0);
    evaluateTriggerRules(s, run);
    const key = { ...run, taskId: 'a' };
    const first = begin(s, run, 'a');
    assert.equal(first, 1);
    assert.equal(
      finishTask(s, key, 1, { state: 'failed', executionId: 1, error: 'flaky' }, 30, T0),
      'up_for_retry',
    );
    assert.equal(s.getTaskInstance(key)!.nextRetryAt, T0 + 30_000);
    assert.deepEqual(scheduleDueRetries(s, T0 + 29_999), [], 'not before the delay');
    assert.deepEqual(
      scheduleDueRetries(s, T0 + 30_000).map((t) => t.taskId),
      ['a'],
    );
    assert.equal(s.getTaskInstance(key)!.state, 'scheduled');
    const second = begin(s, run, 'a');
    assert.equal(second, 2, 'the next try');
    assert.equal(
      finishTask(s, key, 2, { state: 'failed', executionId: 2, error: 'flaky again' }, 30, T0),
      'failed',
    );
    assert.equal(finishDagRunIfDone(s, s.getDagRun('d', run.runId)!), 'failed');
  });

  it('a retry can succeed: the run succeeds', () => {
    const s = store();
    addDag(
      s,
      'd',
      { a: [] },
      { defaultArgs: { retries: 3, retryDelaySeconds: 0, executionTimeoutSeconds: 5 } },
    );
    const run = newRun(s, 'd');
    startDagRunIfSlot(s, run, T0);
    evaluateTriggerRules(s, run);
    const key = { ...run, taskId: 'a' };
    begin(s, run, 'a');
    // A timeout is a failure like any other (the task process reports it).
    finishTask(
      s,
      key,
      1,
      { state: 'failed', executionId: null, error: 'Task timed out after 5 s' },
      0,
      T0,
    );
    scheduleDueRetries(s, T0);
    begin(s, run, 'a');
    assert.equal(
      finishTask(s, key, 2, { state: 'success', executionId: 9, cached: true }, 0),
      'success',
    );
    const ti = s.getTaskInstance(key)!;
    assert.equal(ti.cached, true);
    assert.equal(ti.tryNumber, 2);
    assert.equal(finishDagRunIfDone(s, s.getDagRun('d', run.runId)!), 'success');
  });

  it('skipped: a task that skips itself skips its downstream tasks (all_success), and the run succeeds', () => {
    const s = store();
    addDag(s, 'd', { a: [], b: ['a'], c: ['b'], e: [], f: ['a', 'e'] });
    const run = newRun(s, 'd');
    startDagRunIfSlot(s, run, T0);
    evaluateTriggerRules(s, run);
    const t = begin(s, run, 'a');
    assert.equal(
      finishTask(
        s,
        { ...run, taskId: 'a' },
        t,
        { state: 'skipped', executionId: 5, reason: 'no new data' },
        0,
      ),
      'skipped',
    );
    const te = begin(s, run, 'e');
    finishTask(
      s,
      { ...run, taskId: 'e' },
      te,
      { state: 'success', executionId: 6, cached: false },
      0,
    );
    evaluateTriggerRules(s, run);
    assert.deepEqual(states(s, run), {
      a: 'skipped',
      b: 'skipped',
      c: 'skipped',
      e: 'success',
      f: 'skipped',
    });
    assert.equal(s.getTaskInstance({ ...run, taskId: 'f' })!.error, 'upstream task(s) skipped: a');
    assert.equal(finishDagRunIfDone(s, s.getDagRun('d', run.runId)!), 'success');
  });

  it('a failed upstream wins over a skipped one (upstream_failed)', () => {
    const s = store();
    addDag(s, 'd', { a: [], b: [], c: ['a', 'b'] });
    const run = newRun(s, 'd');
    startDagRunIfSlot(s, run, T0);
    evaluateTriggerRules(s, run);
    finishTask(
      s,
      { ...run, taskId: 'a' },
      begin(s, run, 'a'),
      { state: 'skipped', executionId: null, reason: 'skip' },
      0,
    );
    finishTask(
      s,
      { ...run, taskId: 'b' },
      begin(s, run, 'b'),
      { state: 'failed', executionId: null, error: 'x' },
      0,
    );
    evaluateTriggerRules(s, run);
    assert.equal(states(s, run).c, 'upstream_failed');
  });

  it('a queued task whose process died is scheduled again, without using a try', () => {
    const s = store();
    addDag(s, 'd', { a: [] });
    const run = newRun(s, 'd');
    startDagRunIfSlot(s, run, T0);
    evaluateTriggerRules(s, run);
    const key = { ...run, taskId: 'a' };
    queueTask(s, key, SOCKET);
    assert.equal(requeueOrphan(s, key, '/someone-else.sock'), false);
    assert.equal(requeueOrphan(s, key, SOCKET), true);
    const ti = s.getTaskInstance(key)!;
    assert.equal(ti.state, 'scheduled');
    assert.equal(ti.tryNumber, 0);
    assert.equal(ti.livenessSocket, null);
  });

  it('maxActiveRuns: a run stays queued while the DAG has that many running', () => {
    const s = store();
    addDag(s, 'd', { a: [] }, { maxActiveRuns: 2 });
    const runs = [newRun(s, 'd', 'r1'), newRun(s, 'd', 'r2'), newRun(s, 'd', 'r3')];
    assert.deepEqual(
      runs.map((r) => startDagRunIfSlot(s, r, T0)),
      [true, true, false],
    );
    assert.equal(s.getDagRun('d', 'r3')!.state, 'queued');
    const r1 = s.getDagRun('d', 'r1')!;
    evaluateTriggerRules(s, r1);
    finishTask(
      s,
      { ...r1, taskId: 'a' },
      begin(s, r1, 'a'),
      { state: 'success', executionId: 1, cached: false },
      0,
    );
    assert.equal(finishDagRunIfDone(s, r1), 'success');
    assert.equal(startDagRunIfSlot(s, s.getDagRun('d', 'r3')!, T0), true);
    assert.equal(startDagRunIfSlot(s, s.getDagRun('d', 'r3')!, T0), false, 'already running');
  });
});
