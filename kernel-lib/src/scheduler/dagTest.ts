import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DagRunState } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { livenessSocket } from '../orchestration/liveness';
import { schedulerPaths } from './paths';
import {
  createDagRun,
  evaluateTriggerRules,
  finishDagRunIfDone,
  queueTask,
  startDagRunIfSlot,
} from './stateMachine';
import { SchedulerStore } from './stateStore';
import { taskLogPath } from './taskLog';
import { parseDagFile, runTask } from './taskProcess';

/**
 * Airflow's `dags test`: one run of a DAG in this process, no scheduler, tasks one after the
 * other in DAG order through the same state machine and task runner as scheduled runs (no
 * retries), each task's log printed as it ends. Its task states live in a temporary store: the
 * scheduler never sees the run; the ML Metadata store records its executions as any run's.
 */
export async function testDag(
  options: { metadata?: string; subdir?: string },
  dagId: string,
  fileloc: string,
  conf: Record<string, unknown>,
  print: (line: string) => void,
): Promise<DagRunState> {
  const paths = schedulerPaths({ metadata: options.metadata, dagsFolder: options.subdir });
  const parsed = await parseDagFile(fileloc, paths.metadataPath);
  if (parsed.kind === 'error') throw new TsfxError(parsed.message.split('\n')[0]);
  if (parsed.kind === 'not-a-dag' || parsed.spec.dagId !== dagId) {
    throw new TsfxError(`${fileloc} no longer defines DAG ${dagId}`);
  }
  const temporary = mkdtempSync(join(tmpdir(), 'tsfx-dags-test-'));
  const stateDb = join(temporary, 'state.sqlite');
  const logsFolder = join(temporary, 'logs');
  const state = new SchedulerStore(stateDb);
  try {
    const spec = {
      ...parsed.spec,
      maxActiveRuns: 1,
      defaultArgs: { ...parsed.spec.defaultArgs, retries: 0 },
    };
    state.upsertDag(
      {
        dagId,
        fileloc,
        spec,
        ir: parsed.ir,
        lastParsedTime: Date.now(),
        nextDagrun: null,
        nextDagrunCreateAfter: null,
      },
      false,
    );
    const now = Date.now();
    const run = createDagRun(state, state.getDag(dagId)!, {
      runType: 'manual',
      logicalDate: now,
      dataIntervalStart: now,
      dataIntervalEnd: now,
      conf,
    });
    print(`dags test ${dagId}: run ${run.runId}`);
    startDagRunIfSlot(state, run);
    const socket = await livenessSocket(stateDb);
    for (;;) {
      const ready = evaluateTriggerRules(state, run);
      if (ready.length === 0) break;
      for (const ti of ready) {
        queueTask(state, ti, socket);
        await runTask(
          {
            kind: 'run',
            key: ti,
            stateDb,
            logsFolder,
            file: fileloc,
            metadataPath: paths.metadataPath,
            conf: { ...spec.params, ...conf },
            retryDelaySeconds: 0,
            executionTimeoutSeconds: spec.defaultArgs.executionTimeoutSeconds,
          },
          socket,
        );
        const after = state.getTaskInstance(ti)!;
        print(
          `[${after.state}] ${ti.taskId}${after.cached ? ' (cached)' : ''}${after.error ? `: ${after.error}` : ''}`,
        );
        for (const line of readFileSync(taskLogPath(logsFolder, ti, after.tryNumber), 'utf8')
          .trimEnd()
          .split('\n')) {
          print(`    ${line}`);
        }
      }
    }
    evaluateTriggerRules(state, run);
    const ended = finishDagRunIfDone(state, state.getDagRun(dagId, run.runId)!) ?? 'failed';
    for (const ti of state.getTaskInstances(dagId, run.runId)) {
      if (ti.tryNumber === 0) print(`[${ti.state}] ${ti.taskId}${ti.error ? `: ${ti.error}` : ''}`);
    }
    print(`dags test ${dagId}: run ${run.runId} ${ended}`);
    return ended;
  } finally {
    state.close();
    rmSync(temporary, { recursive: true, force: true });
  }
}
