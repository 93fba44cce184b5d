import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TsfxError } from '../../../../kernel-lib/src/errors';
import { checkDagOptions, checkTaskQueues } from '../../../../kernel-lib/src/scheduler/dagOptions';
import { queueOf } from '../../../../kernel-lib/src/scheduler/executors/taskJob';

const refuse = (options: unknown): string => {
  try {
    checkDagOptions(options, 'p', 'dags/f.ts');
  } catch (error) {
    assert.ok(error instanceof TsfxError);
    return error.message;
  }
  assert.fail('accepted');
};

describe('task queues (Airflow `queue`: defaultArgs.queue, taskQueues)', () => {
  it('a task goes to its own queue, else its DAG’s, else `default`', () => {
    const none = checkDagOptions({}, 'p', 'dags/f.ts');
    assert.equal(queueOf(none, 'Trainer'), 'default');
    assert.equal(queueOf(undefined, 'Trainer'), 'default');
    const spec = checkDagOptions(
      { defaultArgs: { queue: 'cpu' }, taskQueues: { Trainer: 'gpu' } },
      'p',
      'dags/f.ts',
    );
    assert.equal(queueOf(spec, 'Trainer'), 'gpu');
    assert.equal(queueOf(spec, 'Transform'), 'cpu');
  });

  it('refuses a queue name BullMQ cannot take and a task the pipeline does not have', () => {
    assert.equal(
      refuse({ taskQueues: { Trainer: 'gpu:1' } }),
      'dags/f.ts: dag.taskQueues.Trainer: expected a queue name: letters, digits, _ . -, got "gpu:1"',
    );
    assert.equal(
      refuse({ defaultArgs: { queue: '' } }),
      'dags/f.ts: dag.defaultArgs.queue: expected a queue name: letters, digits, _ . -, got ""',
    );
    const spec = checkDagOptions({ taskQueues: { Trainr: 'gpu' } }, 'p', 'dags/f.ts');
    assert.throws(
      () => checkTaskQueues(spec, ['Transform', 'Trainer'], 'dags/f.ts'),
      (error: Error) =>
        error.message ===
        'dags/f.ts: dag.taskQueues.Trainr: no task Trainr in the pipeline (tasks: Transform, Trainer)',
    );
    checkTaskQueues(
      checkDagOptions({ taskQueues: { Trainer: 'gpu' } }, 'p', 'dags/f.ts'),
      ['Trainer'],
      'dags/f.ts',
    );
  });
});
