import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage, TsfxError } from '../errors';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord, ExecutionState } from '../metadata/types';
import type { Component, OutputArtifact, Parameters } from '../pipeline/Component';
import { codeFingerprint, TSFX_VERSION } from '../version';

export interface RunTarget {
  pipelineName: string;
  pipelineRoot: string;
  runId: string;
}

export interface RunComponentOptions {
  enableCache: boolean;
  log?: (message: string) => void;
  signal?: AbortSignal;
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

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
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

interface InFlight {
  store: MetadataStore;
  root: string;
  executionId: number;
  artifactIds: number[];
}

/** Executions running in this process, so that a signal handler can close them cleanly. */
const inFlight = new Set<InFlight>();

/**
 * Runs one component: resolves its inputs, reuses an earlier identical execution when caching is
 * on, else executes it into a staging folder and publishes the outputs. An output artifact becomes
 * `LIVE` only together with the rename of its folder into place and the execution's `COMPLETE`
 * state; a failure leaves the artifacts `ABANDONED` and removes what was written.
 */
export async function runComponent(
  store: MetadataStore,
  target: RunTarget,
  component: Component,
  options: RunComponentOptions,
): Promise<ExecutionResult> {
  const started = Date.now();
  recoverInterruptedExecutions(store, target.pipelineRoot);
  const inputs = resolveInputs(component);
  const cacheKey = await computeCacheKey(component, inputs);
  const pipelineContext = store.context('pipeline', target.pipelineName);
  const runContext = store.context('pipeline_run', `${target.pipelineName}/${target.runId}`);
  const base = {
    pipeline: target.pipelineName,
    runId: target.runId,
    componentId: component.id,
    componentType: component.type,
    parameters: component.parameters as Record<string, unknown>,
    cacheKey,
  };

  if (options.enableCache) {
    const cached = findReusableExecution(store, target.pipelineName, component, cacheKey);
    if (cached) {
      const executionId = store.transaction(() => {
        const id = store.createExecution({
          ...base,
          state: 'CACHED',
          cachedFrom: cached.executionId,
        });
        store.finishExecution(id, 'CACHED');
        recordInputs(store, id, inputs);
        for (const [key, artifacts] of Object.entries(cached.outputs)) {
          for (const artifact of artifacts) store.addEvent(id, artifact.id, 'OUTPUT', key);
        }
        store.associate(pipelineContext, id);
        store.associate(runContext, id);
        return id;
      });
      publishToChannels(component, cached.outputs);
      return {
        executionId,
        componentId: component.id,
        state: 'CACHED',
        cachedFrom: cached.executionId,
        outputs: cached.outputs,
        durationMs: Date.now() - started,
      };
    }
  }

  const root = target.pipelineRoot;
  const { executionId, artifactIds } = store.transaction(() => {
    const id = store.createExecution(base);
    recordInputs(store, id, inputs);
    const ids: Record<string, number> = {};
    for (const [key, channel] of Object.entries(component.outputs)) {
      ids[key] = store.createArtifact(
        channel.type,
        artifactUri(root, component.id, key, id),
        'PENDING',
      );
      store.addEvent(id, ids[key], 'PENDING_OUTPUT', key);
      store.attribute(pipelineContext, ids[key]);
      store.attribute(runContext, ids[key]);
    }
    store.associate(pipelineContext, id);
    store.associate(runContext, id);
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
      inputs,
      outputs,
      parameters: component.parameters as Parameters,
      log: options.log ?? (() => {}),
      signal: options.signal ?? new AbortController().signal,
    });
    if (options.signal?.aborted) throw new TsfxError('interrupted');
    const published = store.transaction(() => {
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
      return result;
    });
    rmSync(staging, { recursive: true, force: true });
    inFlight.delete(flight);
    publishToChannels(component, published);
    return {
      executionId,
      componentId: component.id,
      state: 'COMPLETE',
      cachedFrom: null,
      outputs: published,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    inFlight.delete(flight);
    abandonExecution(flight, options.signal?.aborted ? 'CANCELED' : 'FAILED', errorMessage(error));
    throw error;
  }
}

/** Marks an execution that did not finish, and removes whatever it wrote. */
function abandonExecution(flight: InFlight, state: ExecutionState, error: string): void {
  const { store, root, executionId, artifactIds } = flight;
  rmSync(stagingDir(root, executionId), { recursive: true, force: true });
  store.transaction(() => {
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
 * Executions left RUNNING by a process that no longer exists (killed, crashed, power lost) are
 * closed as FAILED and their partial outputs removed, so nothing half-written is ever picked up.
 */
export function recoverInterruptedExecutions(store: MetadataStore, root: string): number {
  let recovered = 0;
  for (const execution of store.getExecutions({ state: 'RUNNING' })) {
    if (execution.pid === process.pid && [...inFlight].some((f) => f.executionId === execution.id))
      continue;
    if (execution.pid !== null && execution.pid !== process.pid && processIsAlive(execution.pid))
      continue;
    const artifactIds = store.getPendingOutputs(execution.id).map((a) => a.id);
    abandonExecution(
      { store, root, executionId: execution.id, artifactIds },
      'FAILED',
      `interrupted: process ${execution.pid ?? '?'} ended before the execution finished`,
    );
    recovered++;
  }
  return recovered;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function resolveInputs(component: Component): Record<string, ArtifactRecord[]> {
  const inputs: Record<string, ArtifactRecord[]> = {};
  for (const [key, channel] of Object.entries(component.inputs)) {
    const live = channel.artifacts.filter((a) => a.state === 'LIVE');
    if (live.length === 0) {
      throw new TsfxError(
        `${component.id} input "${key}" has no artifact yet: run ${channel.producer.id} first`,
      );
    }
    inputs[key] = live;
  }
  return inputs;
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
