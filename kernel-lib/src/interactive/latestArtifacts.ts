import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { TsfxError } from '../errors';
import { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import { storedRunIr } from '../orchestration/pipelineIr';

/** An artifact with the store it was read from, so that `show()` reads its lineage there too. */
export interface StoredArtifact extends ArtifactRecord {
  readonly metadataPath: string;
}

/** Component id → output key → the newest LIVE artifact it output under that key. */
export type LatestArtifacts = Record<string, Record<string, StoredArtifact>>;

/**
 * What a pipeline run elsewhere (`tsfx run`, the scheduler) produced, for a notebook to `show()`
 * with no id written down: for each component of the pipeline's latest run (the run of its newest
 * execution; the components of that run's pipeline IR, else those it executed), the newest LIVE
 * artifact of each of its outputs in the pipeline. A component with no LIVE output yet is left out.
 *
 * @param options.metadataPath the store; default `$TSFX_METADATA`, else `.tsfx/metadata.sqlite`
 *   (as the CLI and the scheduler).
 */
export function latestArtifacts(
  pipelineName: string,
  options: { metadataPath?: string } = {},
): LatestArtifacts {
  const metadataPath = resolve(
    options.metadataPath ?? process.env.TSFX_METADATA ?? '.tsfx/metadata.sqlite',
  );
  if (!existsSync(metadataPath)) {
    throw new TsfxError(
      `no metadata store at ${metadataPath}: run the pipeline first (npm start, or npx tsfx run)`,
    );
  }
  const store = new MetadataStore(metadataPath);
  try {
    const executions = store.getExecutions({ pipeline: pipelineName });
    const latest = executions.at(-1);
    if (!latest) {
      throw new TsfxError(`no run of pipeline ${pipelineName} in ${metadataPath} yet`);
    }
    const result: LatestArtifacts = {};
    for (const [componentId, keys] of runOutputs(store, pipelineName, latest.runId, executions)) {
      const outputs: Record<string, StoredArtifact> = {};
      for (const key of keys) {
        const artifact = store.latestArtifact({
          state: 'LIVE',
          context: { type: 'pipeline', name: pipelineName },
          producer: { componentId, outputKey: key },
        });
        if (artifact) outputs[key] = { ...artifact, metadataPath };
      }
      if (Object.keys(outputs).length > 0) result[componentId] = outputs;
    }
    return result;
  } finally {
    store.close();
  }
}

/** The components of a run and their output keys, in DAG (or execution) order. */
function runOutputs(
  store: MetadataStore,
  pipelineName: string,
  runId: string,
  executions: { runId: string; componentId: string; id: number }[],
): Map<string, string[]> {
  const ir = storedRunIr(store, pipelineName, runId);
  if (ir) return new Map(ir.components.map((c) => [c.id, Object.keys(c.outputs)]));
  const outputs = new Map<string, string[]>();
  for (const execution of executions.filter((e) => e.runId === runId)) {
    const keys = new Set(outputs.get(execution.componentId) ?? []);
    for (const key of store.getOutputs(execution.id).keys()) keys.add(key);
    outputs.set(execution.componentId, [...keys]);
  }
  return outputs;
}
