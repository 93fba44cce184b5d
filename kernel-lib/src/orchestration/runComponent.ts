import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage, isSkip, TsfxError } from '../errors';
import type { MetadataStore, NewExecution } from '../metadata/MetadataStore';
import type { ArtifactRecord, ExecutionRecord, ExecutionState } from '../metadata/types';
import type { Component, OutputArtifact, Parameters } from '../pipeline/Component';
import { codeFingerprint, TSFX_VERSION } from '../version';
import {
  isOwnSocket,
  livenessSocket,
  removeDeadSocket,
  socketIsAlive,
  socketIsOnThisHost,
} from './liveness';
import { silentReporter, type ProgressReporter } from './progress';
import { resolveInputs } from './resolveInputs';
import { isResolverNode, recordResolution } from './runResolver';
import { runContextName, type RunTarget } from './runTarget';

export { newRunId, type RunTarget } from './runTarget';

export interface RunComponentOptions {
  enableCache: boolean;
  /** Shows the executor's log lines and progress; default: nothing shown. */
  reporter?: ProgressReporter;
  signal?: AbortSignal;
  /**
   * Set when this run of the component may be one of several deliveries of the same task try
   * (a queue delivers at least once; the try was queued at this time): an execution of the same
   * run and component that started since then and completed is that try's, and is returned
   * instead of running again; of two running at once, only the first to finish publishes.
   */
  attemptSince?: number;
}

export interface ExecutionResult {
  executionId: number;
  componentId: string;
  state: Extract<ExecutionState, 'COMPLETE' | 'CACHED'>;
  /** For cached results: the execution whose outputs were reused. */
  cachedFrom: number | null;
  outputs: Record<string, ArtifactRecord[]>;
  durationMs: number;
}

/** The uri of an output artifact, in TFX's layout. */
export function artifactUri(
  root: string,
  componentId: string,
  key: string,
  executionId: number,
): string {
  return join(root, componentId, key, String(executionId));
}

function stagingDir(root: string, executionId: number): string {
  return join(root, '.staging', String(executionId));
}

/**
 * Removes a staging folder whose outputs moved out: empty as a rule, so one rmdir (rmSync's
 * recursive walk cost ~2 ms of a task's CPU); whatever an executor left beside its outputs goes too.
 */
function removePublishedStaging(staging: string): void {
  try {
    rmdirSync(staging);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

interface InFlight {
  store: MetadataStore;
  /** The pipeline root, where the staging folder is; null when unknown (no outputs). */
  root: string | null;
  executionId: number;
  artifactIds: number[];
}

/** Executions running in this process, so that a signal handler can close them cleanly. */
const inFlight = new Set<InFlight>();

/**
 * Runs one component: resolves its inputs from the store, reuses an earlier identical execution
 * when caching is on, else executes it into a staging folder and publishes the outputs. An output
 * artifact becomes `LIVE` only together with the rename of its folder into place and the
 * execution's `COMPLETE` state; a failure leaves the artifacts `ABANDONED` and removes what was
 * written. Executions that a dead process left `RUNNING` are closed first.
 */
export async function runComponent(
  store: MetadataStore,
  target: RunTarget,
  component: Component,
  options: RunComponentOptions,
): Promise<ExecutionResult> {
  const reporter = options.reporter ?? silentReporter;
  try {
    const result = await runRecorded(store, target, component, options, reporter);
    reporter.end({ result });
    return result;
  } catch (error) {
    reporter.end({ error });
    throw error;
  }
}

/** What the cache-hit and the execution paths share: the run, its contexts and the inputs. */
interface Prepared {
  store: MetadataStore;
  target: RunTarget;
  component: Component;
  inputs: Record<string, ArtifactRecord[]>;
  execution: NewExecution;
  pipelineContext: number;
  runContext: number;
  started: number;
}

async function runRecorded(
  store: MetadataStore,
  target: RunTarget,
  component: Component,
  options: RunComponentOptions,
  reporter: ProgressReporter,
): Promise<ExecutionResult> {
  const started = Date.now();
  await recoverInterruptedExecutions(store);
  const earlier = attemptDone(store, target, component.id, options.attemptSince);
  if (earlier) return { ...earlier, durationMs: Date.now() - started };
  if (isResolverNode(component)) {
    // Resolves again on every run: never cached, no staging, no new artifact.
    const { executionId, outputs } = recordResolution(store, target, component, reporter);
    publishToChannels(component, outputs);
    return {
      executionId,
      componentId: component.id,
      state: 'COMPLETE',
      cachedFrom: null,
      outputs,
      durationMs: Date.now() - started,
    };
  }
  const inputs = resolveInputs(store, target, component);
  const cacheKey = await computeCacheKey(component, inputs);
  const prepared: Prepared = {
    store,
    target,
    component,
    inputs,
    execution: {
      pipeline: target.pipelineName,
      runId: target.runId,
      componentId: component.id,
      componentType: component.type,
      parameters: component.parameters as Record<string, unknown>,
      cacheKey,
    },
    pipelineContext: store.context('pipeline', target.pipelineName),
    runContext: store.context('pipeline_run', runContextName(target)),
    started,
  };
  const cached = options.enableCache
    ? findReusableExecution(store, target.pipelineName, component, cacheKey)
    : null;
  return cached ? recordCacheHit(prepared, cached) : executeAndPublish(prepared, options, reporter);
}

/** Records a `CACHED` execution whose outputs are the earlier execution's. */
function recordCacheHit(
  p: Prepared,
  cached: { executionId: number; outputs: Record<string, ArtifactRecord[]> },
): ExecutionResult {
  const { store } = p;
  const executionId = store.transaction(() => {
    const id = store.createExecution({
      ...p.execution,
      state: 'CACHED',
      cachedFrom: cached.executionId,
    });
    store.finishExecution(id, 'CACHED');
    recordInputs(store, id, p.inputs);
    for (const [key, artifacts] of Object.entries(cached.outputs)) {
      for (const artifact of artifacts) {
        store.addEvent(id, artifact.id, 'OUTPUT', key);
        store.attribute(p.runContext, artifact.id);
      }
    }
    store.associate(p.pipelineContext, id);
    store.associate(p.runContext, id);
    return id;
  });
  publishToChannels(p.component, cached.outputs);
  return {
    executionId,
    componentId: p.component.id,
    state: 'CACHED',
    cachedFrom: cached.executionId,
    outputs: cached.outputs,
    durationMs: Date.now() - p.started,
  };
}

/** Executes into a staging folder, then publishes the outputs (or abandons them on failure). */
async function executeAndPublish(
  p: Prepared,
  options: RunComponentOptions,
  reporter: ProgressReporter,
): Promise<ExecutionResult> {
  const { store, component } = p;
  const root = p.target.pipelineRoot;
  const socket = await livenessSocket(store.path);
  const { executionId, artifactIds } = store.transaction(() => {
    const id = store.createExecution({ ...p.execution, livenessSocket: socket });
    recordInputs(store, id, p.inputs);
    const ids: Record<string, number> = {};
    for (const [key, channel] of Object.entries(component.outputs)) {
      ids[key] = store.createArtifact(
        channel.type,
        artifactUri(root, component.id, key, id),
        'PENDING',
      );
      store.addEvent(id, ids[key], 'PENDING_OUTPUT', key);
      store.attribute(p.pipelineContext, ids[key]);
      store.attribute(p.runContext, ids[key]);
    }
    store.associate(p.pipelineContext, id);
    store.associate(p.runContext, id);
    return { executionId: id, artifactIds: ids };
  });
  const flight: InFlight = { store, root, executionId, artifactIds: Object.values(artifactIds) };
  inFlight.add(flight);

  const staging = stagingDir(root, executionId);
  const outputs: Record<string, OutputArtifact> = {};
  for (const [key, channel] of Object.entries(component.outputs)) {
    const uri = join(staging, key);
    mkdirSync(uri, { recursive: true });
    outputs[key] = { type: channel.type, uri, properties: {} };
  }

  try {
    await component.execute({
      inputs: p.inputs,
      outputs,
      parameters: component.parameters as Parameters,
      log: (message) => reporter.log(message),
      progress: (update) => reporter.progress(update),
      signal: options.signal ?? new AbortController().signal,
    });
    if (options.signal?.aborted) throw new TsfxError('interrupted');
    const publication = publishOutputs(p, executionId, artifactIds, outputs, options.attemptSince);
    removePublishedStaging(staging);
    inFlight.delete(flight);
    if (publication.duplicateOf) {
      // Another delivery of this try published first: this one's outputs were removed.
      publishToChannels(component, publication.duplicateOf.outputs);
      return { ...publication.duplicateOf, durationMs: Date.now() - p.started };
    }
    const published = publication.published;
    publishToChannels(component, published);
    return {
      executionId,
      componentId: component.id,
      state: 'COMPLETE',
      cachedFrom: null,
      outputs: published,
      durationMs: Date.now() - p.started,
    };
  } catch (error) {
    inFlight.delete(flight);
    // A skip (SkipComponent) is no failure: CANCELED, as an interrupted execution.
    const canceled = options.signal?.aborted || isSkip(error);
    abandonExecution(flight, canceled ? 'CANCELED' : 'FAILED', errorMessage(error));
    throw error;
  }
}

/**
 * The execution of this run's component that completed for the try queued at `since` (another
 * delivery of the same try), if any.
 */
function attemptDone(
  store: MetadataStore,
  target: RunTarget,
  componentId: string,
  since: number | undefined,
): Omit<ExecutionResult, 'durationMs'> | null {
  if (since === undefined) return null;
  const done = store
    .getExecutions({ pipeline: target.pipelineName, componentId })
    .find(
      (e) =>
        e.runId === target.runId &&
        e.startTime >= since &&
        (e.state === 'COMPLETE' || e.state === 'CACHED'),
    );
  if (!done) return null;
  return {
    executionId: done.id,
    componentId,
    state: done.state === 'CACHED' ? 'CACHED' : 'COMPLETE',
    cachedFrom: done.cachedFrom,
    outputs: Object.fromEntries(store.getOutputs(done.id)),
  };
}

/**
 * In one transaction: each output's folder renamed into place, its artifact `LIVE` with the
 * properties the executor set, and the execution `COMPLETE`. When another delivery of the same
 * try (see `attemptSince`) completed first, nothing is published: this execution is closed as
 * `CANCELED`, its outputs removed, and the other one returned.
 */
function publishOutputs(
  p: Prepared,
  executionId: number,
  artifactIds: Record<string, number>,
  outputs: Record<string, OutputArtifact>,
  attemptSince: number | undefined,
):
  | { published: Record<string, ArtifactRecord[]>; duplicateOf?: undefined }
  | { duplicateOf: Omit<ExecutionResult, 'durationMs'> } {
  const { store, component } = p;
  const root = p.target.pipelineRoot;
  return store.transaction(() => {
    const winner = attemptDone(store, p.target, component.id, attemptSince);
    if (winner) {
      for (const [key, id] of Object.entries(artifactIds)) {
        rmSync(outputs[key].uri, { recursive: true, force: true });
        store.updateArtifact(id, { state: 'ABANDONED' });
      }
      store.finishExecution(
        executionId,
        'CANCELED',
        `another delivery of this try published first (execution ${winner.executionId})`,
      );
      return { duplicateOf: winner };
    }
    const result: Record<string, ArtifactRecord[]> = {};
    for (const [key, output] of Object.entries(outputs)) {
      const id = artifactIds[key];
      const finalUri = artifactUri(root, component.id, key, executionId);
      mkdirSync(dirname(finalUri), { recursive: true });
      renameSync(output.uri, finalUri);
      store.updateArtifact(id, { state: 'LIVE', properties: output.properties });
      store.addEvent(executionId, id, 'OUTPUT', key);
      result[key] = [store.getArtifact(id)!];
    }
    store.finishExecution(executionId, 'COMPLETE');
    return { published: result };
  });
}

/**
 * Marks an execution that did not finish, and removes whatever it wrote. Only a `RUNNING`
 * execution is closed: two processes recovering the same one at once close it once.
 */
function abandonExecution(flight: InFlight, state: ExecutionState, error: string): void {
  const { store, root, executionId, artifactIds } = flight;
  if (root !== null) rmSync(stagingDir(root, executionId), { recursive: true, force: true });
  store.transaction(() => {
    if (store.getExecution(executionId)?.state !== 'RUNNING') return;
    for (const id of artifactIds) {
      const artifact = store.getArtifact(id);
      if (!artifact || artifact.state === 'LIVE') continue;
      rmSync(artifact.uri, { recursive: true, force: true });
      store.updateArtifact(id, { state: 'ABANDONED' });
    }
    store.finishExecution(executionId, state, error);
  });
}

/** For signal handlers: closes every execution running in this process as `CANCELED`. */
export function cancelRunningExecutions(reason: string): void {
  for (const flight of inFlight) {
    try {
      abandonExecution(flight, 'CANCELED', reason);
    } catch {
      // The store may be closed already; the next run's recovery will clean up.
    }
  }
  inFlight.clear();
}

/**
 * Executions left `RUNNING` by a process that no longer exists (killed, crashed, power lost) are
 * closed as `FAILED` and their partial outputs removed, so nothing half-written is ever picked up.
 * A process is gone when its liveness socket refuses connections (see liveness.ts); executions
 * recorded before liveness sockets existed (schema version 1) are taken as gone. Returns how many
 * were closed.
 */
export async function recoverInterruptedExecutions(store: MetadataStore): Promise<number> {
  let recovered = 0;
  for (const execution of store.getExecutions({ state: 'RUNNING' })) {
    if (await stillRunning(execution)) continue;
    const pending = store.getPendingOutputs(execution.id);
    abandonExecution(
      {
        store,
        root: pending.length > 0 ? pipelineRootOf(pending[0].uri) : null,
        executionId: execution.id,
        artifactIds: pending.map((a) => a.id),
      },
      'FAILED',
      `interrupted: process ${execution.pid ?? '?'} ended before the execution finished`,
    );
    if (execution.livenessSocket && !isOwnSocket(execution.livenessSocket)) {
      removeDeadSocket(execution.livenessSocket);
    }
    recovered++;
  }
  return recovered;
}

async function stillRunning(execution: ExecutionRecord): Promise<boolean> {
  const socket = execution.livenessSocket;
  if (socket === null) return false;
  if (isOwnSocket(socket)) return [...inFlight].some((f) => f.executionId === execution.id);
  // Another host's process (a queue worker's): not ours to judge; its own host's recovery is.
  if (!socketIsOnThisHost(socket)) return true;
  return socketIsAlive(socket);
}

/** The pipeline root of an output uri `<root>/<component>/<key>/<execution id>`. */
function pipelineRootOf(uri: string): string {
  return dirname(dirname(dirname(uri)));
}

function recordInputs(
  store: MetadataStore,
  executionId: number,
  inputs: Record<string, ArtifactRecord[]>,
): void {
  for (const [key, artifacts] of Object.entries(inputs)) {
    for (const artifact of artifacts) store.addEvent(executionId, artifact.id, 'INPUT', key);
  }
}

function publishToChannels(component: Component, outputs: Record<string, ArtifactRecord[]>): void {
  for (const [key, channel] of Object.entries(component.outputs)) {
    channel.artifacts = outputs[key] ?? [];
  }
}

/** The same component type and id, parameters, input artifacts, code and read files. */
async function computeCacheKey(
  component: Component,
  inputs: Record<string, ArtifactRecord[]>,
): Promise<string> {
  const material = {
    tsfx: TSFX_VERSION,
    code: codeFingerprint(),
    type: component.type,
    id: component.id,
    parameters: canonical(component.parameters),
    inputs: Object.fromEntries(
      Object.keys(inputs)
        .sort()
        .map((key) => [key, inputs[key].map((a) => a.id)]),
    ),
    fingerprint: canonical(await component.fingerprint()),
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function findReusableExecution(
  store: MetadataStore,
  pipeline: string,
  component: Component,
  cacheKey: string,
): { executionId: number; outputs: Record<string, ArtifactRecord[]> } | null {
  const execution = store.findExecutionByCacheKey(pipeline, component.id, cacheKey);
  if (!execution) return null;
  const outputs = Object.fromEntries(store.getOutputs(execution.id));
  for (const key of Object.keys(component.outputs)) {
    const artifacts = outputs[key];
    if (!artifacts || artifacts.length === 0) return null;
    if (artifacts.some((a) => a.state !== 'LIVE' || !existsSync(a.uri))) return null;
  }
  return { executionId: execution.id, outputs };
}
