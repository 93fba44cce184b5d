import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SchedulerStore } from '../../../kernel-lib/src/scheduler/stateStore';
import { tempDir, whileWriteLocked } from '../../helpers';
import { dagRow } from './fixtures';

describe('SchedulerStore rows', () => {
  it('reads a DAG and a run with their IR whole, in JSON too, and lets the IR be replaced', () => {
    const store = new SchedulerStore(join(tempDir(), 'scheduler.sqlite'));
    try {
      const written = dagRow('d', { a: [], b: ['a'] });
      store.upsertDag(written, false);
      const dag = store.getDag('d')!;
      assert.deepEqual(dag.ir, written.ir);
      assert.deepEqual(JSON.parse(JSON.stringify(dag)).ir, written.ir);
      assert.deepEqual({ ...dag }.ir, written.ir);
      const id = store.insertDagRun({
        dagId: 'd',
        runId: 'r',
        runType: 'manual',
        state: 'queued',
        logicalDate: 1,
        dataIntervalStart: 1,
        dataIntervalEnd: 1,
        queuedAt: 1,
        startDate: null,
        endDate: null,
        externalTrigger: true,
        conf: { x: 1 },
        fileloc: written.fileloc,
        spec: written.spec,
        ir: written.ir,
      });
      const run = store.getDagRun('d', 'r')!;
      assert.equal(run.id, id);
      assert.deepEqual(run.conf, { x: 1 });
      assert.deepEqual(
        run.ir.components.map((c) => c.id),
        ['a', 'b'],
      );
      // Each read is its own object: changing one run's IR leaves the next read alone.
      run.ir = { ...run.ir, name: 'changed' };
      assert.equal(run.ir.name, 'changed');
      assert.equal(store.getDagRun('d', 'r')!.ir.name, 'd');
    } finally {
      store.close();
    }
  });

  it('counts the task instances of one run in none of some states, no state included', () => {
    const store = new SchedulerStore(join(tempDir(), 'scheduler.sqlite'));
    try {
      for (const [runId, taskId] of [
        ['r', 'a'],
        ['r', 'b'],
        ['r', 'c'],
        ['other', 'a'],
      ])
        store.insertTaskInstance({
          dagId: 'd',
          runId,
          taskId,
          maxTries: 1,
          operator: 'X',
          upstream: [],
        });
      const key = (taskId: string) => ({ dagId: 'd', runId: 'r', taskId });
      assert.ok(store.updateTaskInstance(key('a'), { state: null }, { state: 'success' }));
      assert.ok(store.updateTaskInstance(key('b'), { state: null }, { state: 'skipped' }));
      assert.equal(store.countTaskInstancesNotIn('d', 'r', ['success', 'skipped']), 1);
      assert.equal(store.countTaskInstancesNotIn('d', 'r', ['success']), 2);
      assert.ok(store.updateTaskInstance(key('c'), { state: null }, { state: 'failed' }));
      assert.equal(store.countTaskInstancesNotIn('d', 'r', ['success', 'skipped', 'failed']), 0);
    } finally {
      store.close();
    }
  });

  it('runs the same statement many times and statements with varying placeholder lists', () => {
    const store = new SchedulerStore(join(tempDir(), 'scheduler.sqlite'));
    try {
      for (let i = 0; i < 300; i++) {
        store.upsertDag(dagRow(`d${i}`, { a: [] }), false);
        // A different IN list each time: more texts than the statement cache keeps.
        store.deactivateDags(
          '/dags/none.ts',
          Array.from({ length: i + 1 }, (_, k) => `d${k}`),
        );
      }
      assert.equal(store.getDags().length, 300);
      assert.equal(store.getDag('d299')!.dagId, 'd299');
    } finally {
      store.close();
    }
  });

  it('opens a current store while another connection holds the write lock', () => {
    const path = join(tempDir(), 'scheduler.sqlite');
    new SchedulerStore(path).close();
    whileWriteLocked(path, () => {
      // Without waiting out the busy timeout (10 s) and failing with "database is locked".
      const store = new SchedulerStore(path);
      assert.deepEqual(store.getDags({ all: true }), []);
      store.close();
    });
  });
});
