import type { PipelineIr } from '../../../kernel-lib/src';
import type { DagSpec } from '../../../kernel-lib/src/scheduler/dagOptions';
import type { DagRow, SchedulerStore } from '../../../kernel-lib/src/scheduler/stateStore';

/** A DAG row for state-machine tests: tasks with their upstream ids, written by hand. */
export function dagRow(
  dagId: string,
  tasks: Record<string, string[]>,
  spec: Partial<DagSpec> = {},
): Omit<DagRow, 'isPaused' | 'isActive'> {
  const ir: PipelineIr = {
    irVersion: 1,
    name: dagId,
    pipelineRoot: '/tmp/root',
    metadataPath: '/tmp/metadata.sqlite',
    enableCache: true,
    components: Object.entries(tasks).map(([id, upstream]) => ({
      id,
      type: 'Noop',
      parameters: {},
      inputs: Object.fromEntries(
        upstream.map((u, i) => [`in${i}`, { channel: `${u}.out`, optional: false }]),
      ),
      outputs: { out: 'Schema' },
      moduleFiles: [],
    })),
  };
  return {
    dagId,
    fileloc: `/dags/${dagId}.ts`,
    spec: {
      dagId,
      description: null,
      schedule: { kind: 'none' },
      startDate: null,
      catchup: false,
      maxActiveRuns: 1,
      isPausedUponCreation: false,
      params: {},
      defaultArgs: { retries: 0, retryDelaySeconds: 60, executionTimeoutSeconds: null },
      tags: [],
      ...spec,
    },
    ir,
    lastParsedTime: 0,
    nextDagrun: null,
    nextDagrunCreateAfter: null,
  };
}

export function addDag(
  store: SchedulerStore,
  dagId: string,
  tasks: Record<string, string[]>,
  spec: Partial<DagSpec> = {},
): DagRow {
  store.upsertDag(dagRow(dagId, tasks, spec), false);
  return store.getDag(dagId)!;
}
