// The noop DAG's tasks with retries and an execution timeout, as DAG `retry`.
import { createPipeline as noop } from './noop_dag';
import type { DagOptions, Pipeline } from 'tsfx';

export const dag: DagOptions = {
  dagId: 'retry',
  schedule: null,
  isPausedUponCreation: false,
  maxActiveRuns: 5,
  params: { sleep: '', fail: '', skip: '', failOnce: '', sleepMs: 0 },
  defaultArgs: { retries: 1, retryDelay: { seconds: 1 }, executionTimeout: 3 },
};

export function createPipeline(params: Parameters<typeof noop>[0]): Pipeline {
  return noop({ ...params, name: 'retry' });
}
