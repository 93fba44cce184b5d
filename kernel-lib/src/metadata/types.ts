/**
 * ML Metadata's concepts, as tsfx records them: artifacts (with a type, a uri and a state),
 * executions of components, events linking them, and contexts grouping both.
 */

/** ML Metadata's artifact states. Only `LIVE` artifacts are ever read by a later component. */
export type ArtifactState = 'PENDING' | 'LIVE' | 'ABANDONED' | 'DELETED';

/** ML Metadata's execution states; `CACHED` executions reused an earlier execution's outputs. */
export type ExecutionState = 'RUNNING' | 'COMPLETE' | 'CACHED' | 'FAILED' | 'CANCELED';

/** `PENDING_OUTPUT` (ML Metadata's name) links an execution to an output it has not published yet. */
export type EventType = 'INPUT' | 'OUTPUT' | 'PENDING_OUTPUT';

export type PropertyValue = string | number | boolean | null;
export type Properties = Record<string, PropertyValue>;

export interface ArtifactRecord {
  id: number;
  type: string;
  uri: string;
  state: ArtifactState;
  properties: Properties;
  createTime: number;
  updateTime: number;
}

export interface ExecutionRecord {
  id: number;
  pipeline: string;
  runId: string;
  componentId: string;
  componentType: string;
  state: ExecutionState;
  startTime: number;
  endTime: number | null;
  parameters: Record<string, unknown>;
  cacheKey: string | null;
  /** For `CACHED` executions: the execution whose outputs were reused. */
  cachedFrom: number | null;
  error: string | null;
  pid: number | null;
  /**
   * The Unix socket the executing process listened on: a refused connect means that process is
   * gone (see orchestration/liveness.ts). Null for executions recorded before schema version 2.
   */
  livenessSocket: string | null;
}

/** ML Metadata's context types tsfx uses: a pipeline, and one run of it. */
export type ContextType = 'pipeline' | 'pipeline_run';

export interface ContextRecord {
  id: number;
  type: ContextType;
  /** The pipeline's name, or `<pipeline>/<run id>` for a run. */
  name: string;
  /** A run's `pipeline_ir` (its pipeline IR as JSON text) and `run_id`. */
  properties: Properties;
  createTime: number;
}

/** What `MetadataStore.findArtifacts` selects; every field given must match. */
export interface ArtifactQuery {
  type?: string;
  state?: ArtifactState;
  /** Each property must have this value, of the same JSON type. */
  properties?: Properties;
  /** Artifacts attributed to this context (ML Metadata's attribution). */
  context?: { type: ContextType; name: string };
  /** Artifacts this component output, under `outputKey` when given (cached reuses count). */
  producer?: { componentId: string; outputKey?: string };
  limit?: number;
}

export interface EventRecord {
  artifactId: number;
  executionId: number;
  type: EventType;
  /** The input or output key, e.g. `examples`. */
  key: string;
  time: number;
}

export interface LineageGraph {
  artifacts: ArtifactRecord[];
  executions: ExecutionRecord[];
  events: EventRecord[];
}
