import { MetadataStore } from '../metadata/MetadataStore';
import type { Pipeline } from '../pipeline/Pipeline';
import { newRunId, runComponent, type ExecutionResult } from './runComponent';

export interface RunPipelineOptions {
  /** Overrides the pipeline's own `enableCache`. */
  enableCache?: boolean;
  /** Called when a component starts and when it ends. */
  onComponentStart?: (componentId: string, index: number, total: number) => void;
  onComponentEnd?: (result: ExecutionResult, index: number, total: number) => void;
  log?: (componentId: string, message: string) => void;
  signal?: AbortSignal;
}

export interface PipelineRunResult {
  runId: string;
  results: ExecutionResult[];
}

/** Runs every component once, in DAG order, in one pipeline run context. */
export async function runPipeline(
  pipeline: Pipeline,
  options: RunPipelineOptions = {},
): Promise<PipelineRunResult> {
  const store = new MetadataStore(pipeline.metadataPath);
  const runId = newRunId();
  const results: ExecutionResult[] = [];
  try {
    const total = pipeline.order.length;
    for (const [index, component] of pipeline.order.entries()) {
      options.onComponentStart?.(component.id, index, total);
      const result = await runComponent(
        store,
        { pipelineName: pipeline.name, pipelineRoot: pipeline.pipelineRoot, runId },
        component,
        {
          enableCache: options.enableCache ?? pipeline.enableCache,
          log: (message) => options.log?.(component.id, message),
          signal: options.signal,
        },
      );
      results.push(result);
      options.onComponentEnd?.(result, index, total);
    }
  } finally {
    store.close();
  }
  return { runId, results };
}
