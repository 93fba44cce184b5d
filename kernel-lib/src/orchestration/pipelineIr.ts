import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parsePipelineIr, type PipelineIr } from '@tsfx/protocol';
import { jsonFileText } from '../artifacts/protoJsonFiles';
import { errorMessage, TsfxError } from '../errors';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Pipeline } from '../pipeline/Pipeline';
import { runContextName } from './runTarget';

/** Where each run keeps the pipeline IR it started with: `<pipelineRoot>/.runs/<run id>/pipeline.json`. */
export function runIrPath(pipelineRoot: string, runId: string): string {
  return join(pipelineRoot, '.runs', runId, 'pipeline.json');
}

/** The run context's property holding the IR (as JSON text). */
export const PIPELINE_IR_PROPERTY = 'pipeline_ir';

/**
 * Records the pipeline IR of a run, in its `pipeline_run` context and in its `pipeline.json`, so
 * that tools read the DAG without importing the pipeline's TypeScript. A run that has one already
 * (the tasks of one scheduled run, each in its own process) keeps the first.
 */
export function recordRunIr(store: MetadataStore, pipeline: Pipeline, runId: string): PipelineIr {
  const fresh = pipeline.toJSON();
  const freshText = JSON.stringify(fresh);
  const ir = store.transaction(() => {
    const text = storedRunIrText(store, pipeline.name, runId);
    // The very IR this process would record (its run's other tasks, from the same DAG file):
    // valid as built, not checked again (~6 ms of each task's CPU). One that differs is checked.
    if (text === freshText) return JSON.parse(text) as PipelineIr;
    if (text !== undefined) return parsePipelineIr(JSON.parse(text));
    const context = store.context(
      'pipeline_run',
      runContextName({ pipelineName: pipeline.name, runId }),
    );
    store.setContextProperties(context, { [PIPELINE_IR_PROPERTY]: freshText, run_id: runId });
    return fresh;
  });
  const file = runIrPath(pipeline.pipelineRoot, runId);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // Through a temporary file: a reader never sees half of it.
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, jsonFileText(ir));
    renameSync(temporary, file);
  }
  return ir;
}

/** Reads a `pipeline.json` and checks it against the IR's schema; errors name the file and the place. */
export function readPipelineIrFile(file: string): PipelineIr {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TsfxError(`${file}: ${errorMessage(error)}`);
  }
  try {
    return parsePipelineIr(data);
  } catch (error) {
    throw new TsfxError(`${file}: not a pipeline IR: ${errorMessage(error)}`);
  }
}

/** The IR a run recorded in the store, if any (checked against the schema). */
export function storedRunIr(
  store: MetadataStore,
  pipelineName: string,
  runId: string,
): PipelineIr | undefined {
  const text = storedRunIrText(store, pipelineName, runId);
  return text === undefined ? undefined : parsePipelineIr(JSON.parse(text));
}

function storedRunIrText(
  store: MetadataStore,
  pipelineName: string,
  runId: string,
): string | undefined {
  const context = store.getContext('pipeline_run', runContextName({ pipelineName, runId }));
  const text = context?.properties[PIPELINE_IR_PROPERTY];
  return typeof text === 'string' ? text : undefined;
}
