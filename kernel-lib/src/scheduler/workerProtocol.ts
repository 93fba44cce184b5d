import type { PipelineIr } from '@tsfx/protocol';
import type { DagSpec } from './dagOptions';
import type { TaskKey } from './stateStore';

/**
 * Messages between the scheduler and its task processes (node IPC, JSON). A task process starts,
 * loads tsfx, says `ready` with its liveness socket, and waits for one assignment: parse a DAG
 * file, or run one task. It then exits: one process per task, as Airflow's task runner.
 */
export type Assignment = ParseAssignment | RunAssignment;

export interface ParseAssignment {
  kind: 'parse';
  file: string;
  /** The store the scheduler records into: passed to `createPipeline` as `metadataPath`. */
  metadataPath: string;
}

export interface RunAssignment {
  kind: 'run';
  key: TaskKey;
  stateDb: string;
  logsFolder: string;
  file: string;
  metadataPath: string;
  /** The DAG's params overridden by the run's conf. */
  conf: Record<string, unknown>;
  retryDelaySeconds: number;
  executionTimeoutSeconds: number | null;
  /** When the try was queued, for a task a queue may deliver twice (see `runComponent`). */
  attemptSince?: number;
}

export type ParseResult =
  | { kind: 'dag'; spec: DagSpec; ir: PipelineIr }
  | { kind: 'not-a-dag' }
  | { kind: 'error'; message: string };

export type WorkerMessage =
  /** Loaded and waiting; `fromSnapshot`: started from the startup snapshot (snapshot/). */
  | { type: 'ready'; pid: number; socket: string; fromSnapshot: boolean }
  | { type: 'parsed'; result: ParseResult }
  /** The task is running (try `tryNumber`), or was not queued for this process any more. */
  | { type: 'started'; tryNumber: number | null }
  | { type: 'finished'; state: string | null };

/** A hint sent with nothing to do yet: load this DAG file now, to run its tasks sooner. */
export interface PreloadMessage {
  kind: 'preload';
  file: string;
}
