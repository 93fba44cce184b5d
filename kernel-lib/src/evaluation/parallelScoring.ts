/**
 * Scoring on every core: the examples' rows are split into consecutive runs, one per worker
 * thread; each thread reads its run from Parquet (its row groups only), applies the transform
 * graph, scores it through each model's forward pass and slices it (scoring.ts), and sends back
 * its typed arrays. Concatenated in run order, with slice ids renumbered as one slicer would have
 * numbered them, they are exactly what scoring in one thread gives: the metrics are unchanged.
 *
 * A thread gets each model as plain data (its transform graph, feature spec and forward plan):
 * no TensorFlow.js is loaded in it.
 */
import type { SlicingSpec, ValueType } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { runInWorkerThread, workerThreadCode } from '../workerThread';
import { compileColumnTransform } from '../transform/columns';
import type { LoadedTransformGraph } from '../transform/graph';
import { forwardPassOfPlan, type ForwardPlan } from '../serving/forwardPass';
import type { FeatureSpec } from '../trainer/features';
import { columnScorer } from '../trainer/servingBundle';
import { readParquetColumnChunks, type RowRange } from './columnChunks';
import { ExampleScorer, type Scores } from './scoring';
import { mergeSlices, type Slice } from './slicing';

/** Rows read a chunk (DuckDB's chunks of 2,048 rows, gathered). */
export const BATCH_ROWS = 8192;

export interface ScoreJob {
  ranges: RowRange[];
  /** The examples before this run. */
  firstExample: number;
  files: string[];
  rawColumns: string[];
  labelKey: string;
  /** The graph the label and slicing features' transform outputs come from, and those outputs. */
  derivedGraph: LoadedTransformGraph | null;
  derivedNames: string[];
  sliceFeatures: string[];
  slicingSpecs: SlicingSpec[];
  types: Record<string, ValueType>;
  models: { name: string; graph: LoadedTransformGraph; spec: FeatureSpec; plan: ForwardPlan }[];
}

export type ScoreReply =
  { ok: true; scores: Scores; slices: Slice[][] } | { ok: false; message: string; tsfx: boolean };

/** A worker thread's work: its run of rows scored and sliced, until done or asked to stop. */
export async function scoreJob(
  job: ScoreJob,
  stopRequested: () => boolean = () => false,
): Promise<{ scores: Scores; slices: Slice[][] }> {
  const scorer = new ExampleScorer(
    {
      labelKey: job.labelKey,
      derived: job.derivedGraph ? compileColumnTransform(job.derivedGraph, job.derivedNames) : null,
      derivedNames: new Set(job.derivedNames),
      sliceFeatures: job.sliceFeatures,
      slicingSpecs: job.slicingSpecs,
      types: job.types,
    },
    job.models.map(({ name, graph, spec, plan }) => ({
      name,
      predictColumns: columnScorer(graph, spec, forwardPassOfPlan(plan).predict),
    })),
    job.firstExample,
  );
  const chunks = readParquetColumnChunks(job.files, job.rawColumns, BATCH_ROWS, {
    ranges: job.ranges,
    threads: 1,
  });
  for await (const chunk of chunks) {
    if (stopRequested()) throw new TsfxError('interrupted');
    scorer.add(chunk);
  }
  return { scores: scorer.scores(), slices: scorer.slicers.map((s) => s.slices) };
}

const WORKER_CODE = workerThreadCode(__filename, 'scoreWorker');

async function runWorker(
  job: ScoreJob,
  signal?: AbortSignal,
): Promise<{ scores: Scores; slices: Slice[][] }> {
  const reply = await runInWorkerThread<ScoreReply>(WORKER_CODE, job, 'an Evaluator thread', {
    signal,
    cooperative: true,
  });
  if (reply.ok) return reply;
  throw reply.tsfx ? new TsfxError(reply.message) : new Error(reply.message);
}

/**
 * Scores the runs in worker threads, all at once, and joins their results in run order: the
 * scores, and per slicing spec its slices.
 */
export async function scoreInWorkers(
  jobs: ScoreJob[],
  signal?: AbortSignal,
): Promise<{ scores: Scores; slices: Slice[][] }> {
  // One thread failing stops the others; all have ended before this returns or throws.
  const stop = new AbortController();
  const forward = () => stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  let firstError: unknown;
  const settled = await Promise.allSettled(
    jobs.map((job) =>
      runWorker(job, stop.signal).catch((error: unknown) => {
        firstError ??= error;
        stop.abort();
        throw error;
      }),
    ),
  ).finally(() => signal?.removeEventListener('abort', forward));
  if (firstError !== undefined) throw firstError;
  const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const numExamples = results.reduce((n, r) => n + r.scores.numExamples, 0);
  const concat = <T extends Float32Array | Uint8Array>(parts: T[], make: new (n: number) => T) => {
    const out = new make(numExamples);
    let at = 0;
    for (const part of parts) {
      out.set(part as never, at);
      at += part.length;
    }
    return out;
  };
  const numSpecs = jobs[0].slicingSpecs.length;
  const merged = Array.from({ length: numSpecs }, (_, s) =>
    mergeSlices(results.map((r) => r.slices[s])),
  );
  const sliceIds = merged.map(({ remap }, s) => {
    const out = new Int32Array(numExamples);
    let at = 0;
    results.forEach((r, w) => {
      const ids = r.scores.sliceIds[s];
      for (let i = 0; i < ids.length; i++) out[at + i] = ids[i] < 0 ? -1 : remap[w][ids[i]];
      at += ids.length;
    });
    return out;
  });
  return {
    scores: {
      numExamples,
      labels: concat(
        results.map((r) => r.scores.labels),
        Uint8Array,
      ),
      predictions: jobs[0].models.map((_, m) =>
        concat(
          results.map((r) => r.scores.predictions[m]),
          Float32Array,
        ),
      ),
      sliceIds,
    },
    slices: merged.map((m) => m.slices),
  };
}
