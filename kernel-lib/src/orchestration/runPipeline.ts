import { MetadataStore } from '../metadata/MetadataStore';
import type { Pipeline } from '../pipeline/Pipeline';
import { recordRunIr } from './pipelineIr';
import type { ProgressReporter } from './progress';
import { runComponent, type ExecutionResult } from './runComponent';
import { checkRunId, newRunId } from './runTarget';

export interface RunPipelineOptions {
  /** Overrides the pipeline's own `enableCache`. */
  enableCache?: boolean;
  /**
   * Runs only these components (in DAG order), each with its inputs from the store: the LIVE
   * outputs of its upstream components in this run, else the latest in the pipeline's context.
   */
  componentIds?: string[];
  /** Joins this run (a scheduled run whose tasks run one per process) instead of a new one. */
  runId?: string;
  /** Called when a component starts and when it ends. */
  onComponentStart?: (componentId: string, index: number, total: number) => void;
  onComponentEnd?: (result: ExecutionResult, index: number, total: number) => void;
  /** Shows each component's log lines and progress (default: nothing). */
  reporter?: (componentId: string, index: number, total: number) => ProgressReporter;
  signal?: AbortSignal;
}

export interface PipelineRunResult {
  runId: string;
  results: ExecutionResult[];
}

/**
 * Runs every component (or the chosen ones) once, in DAG order, in one pipeline run context; the
 * run records the pipeline IR first (see pipelineIr.ts).
 */
export async function runPipeline(
  pipeline: Pipeline,
  options: RunPipelineOptions = {},
): Promise<PipelineRunResult> {
  const chosen = options.componentIds?.map((id) => pipeline.component(id));
  const components = chosen ? pipeline.order.filter((c) => chosen.includes(c)) : pipeline.order;
  const runId = options.runId !== undefined ? checkRunId(options.runId) : newRunId();
  const store = new MetadataStore(pipeline.metadataPath);
  const results: ExecutionResult[] = [];
  try {
    recordRunIr(store, pipeline, runId);
    const total = components.length;
    for (const [index, component] of components.entries()) {
      options.onComponentStart?.(component.id, index, total);
      const result = await runComponent(
        store,
        { pipelineName: pipeline.name, pipelineRoot: pipeline.pipelineRoot, runId },
        component,
        {
          enableCache: options.enableCache ?? pipeline.enableCache,
          reporter: options.reporter?.(component.id, index, total),
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
