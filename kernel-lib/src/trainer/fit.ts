import { TsfxError } from '../errors';
import type { Tf } from './backend';
import type { EventLog } from './events';
import { toMetrics } from './events';
import type { EncodedFeatures, FeatureSpec } from './features';
import { inMemoryBatches, type ExampleBatches } from './dataset';
import { binaryMetrics } from './metrics';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Optimizer = import('@tensorflow/tfjs').Optimizer;

/** The model's inputs for rows [start, start + count) of encoded features (or a chosen index list). */
export function modelInputs(
  tf: Tf,
  spec: FeatureSpec,
  data: EncodedFeatures,
  rows: Int32Array | { start: number; count: number },
): Tensor[] {
  const d = spec.dense.length;
  const k = spec.categorical.length;
  let dense: Float32Array;
  let ids: Int32Array;
  let n: number;
  if (rows instanceof Int32Array) {
    n = rows.length;
    dense = new Float32Array(n * d);
    ids = new Int32Array(n * k);
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      dense.set(data.dense.subarray(r * d, r * d + d), i * d);
      ids.set(data.ids.subarray(r * k, r * k + k), i * k);
    }
  } else {
    n = rows.count;
    dense = data.dense.subarray(rows.start * d, (rows.start + n) * d);
    ids = data.ids.subarray(rows.start * k, (rows.start + n) * k);
  }
  const inputs: Tensor[] = [];
  if (d > 0) inputs.push(tf.tensor2d(dense, [n, d], 'float32'));
  if (k > 0) inputs.push(tf.tensor2d(ids, [n, k], 'int32'));
  return inputs;
}

/** Probabilities of every row of encoded features, in row order, predicted in batches. */
export function predictProbabilities(
  tf: Tf,
  model: LayersModel,
  spec: FeatureSpec,
  data: EncodedFeatures,
  batchSize = 4096,
): Float32Array {
  const out = new Float32Array(data.numRows);
  for (let start = 0; start < data.numRows; start += batchSize) {
    const count = Math.min(batchSize, data.numRows - start);
    const values = tf.tidy(() => {
      const inputs = modelInputs(tf, spec, data, { start, count });
      // execute, not predict: the same inference (same values) without predict's split into
      // 32-row batches and its input checks, which cost more than the model on small batches.
      const output = model.execute(
        inputs.length === 1 ? inputs[0] : inputs,
        model.outputs[0].name,
      ) as Tensor;
      return output.reshape([count]).dataSync() as Float32Array;
    });
    out.set(values, start);
  }
  return out;
}

export interface FitOptions {
  /** Training batches to run in all (TFX's train_args.num_steps). */
  numSteps: number;
  /** Batches of the eval split scored at each epoch's end (0 or more than there are: all of it). */
  evalSteps: number;
  batchSize: number;
  evalBatchSize?: number;
  optimizer: Optimizer;
  /** A learning rate schedule: the rate for step `step` (1-based) of `numSteps`. */
  learningRate?: (step: number, numSteps: number) => number;
  seed?: number;
  events?: EventLog;
  signal?: AbortSignal;
}

export interface FitResult {
  steps: number;
  trainSeconds: number;
  examplesPerSecond: number;
  validation: ReturnType<typeof binaryMetrics>;
}

/**
 * Trains a binary classifier (the model outputs a probability of shape [batch, 1]) with binary
 * cross-entropy, batch by batch over shuffled epochs, writing a `batch` event per step and an
 * `epoch` event (with validation metrics) per epoch to the event log. `train` is encoded rows in
 * memory (shuffled in full each epoch) or `ExampleBatches` (e.g. `parquetBatches`, streamed from
 * Parquet through a shuffle buffer); `evaluation` is the validation sample, scored at each epoch's
 * end (its first `evalSteps` batches of `evalBatchSize` when evalSteps > 0).
 */
export async function fitBinaryClassifier(
  tf: Tf,
  model: LayersModel,
  spec: FeatureSpec,
  train: EncodedFeatures | ExampleBatches,
  evaluation: EncodedFeatures,
  options: FitOptions,
): Promise<FitResult> {
  const { numSteps, batchSize, optimizer, events } = options;
  const source = 'epoch' in train ? train : inMemoryBatches(train, options.seed ?? 42);
  if (source.numRows === 0) throw new TsfxError('no training examples');
  if (!(numSteps >= 1)) throw new TsfxError('trainArgs.numSteps must be at least 1');
  const evalBatch = options.evalBatchSize ?? 4096;
  const evalRows =
    options.evalSteps > 0
      ? Math.min(evaluation.numRows, options.evalSteps * evalBatch)
      : evaluation.numRows;
  const evalSubset: EncodedFeatures = subset(spec, evaluation, evalRows);
  const stepsPerEpoch = Math.ceil(source.numRows / batchSize);
  const now = () => Date.now() / 1000;
  events?.write({
    type: 'start',
    wallTime: now(),
    backend: tf.getBackend(),
    trainExamples: source.numRows,
    evalExamples: evalRows,
    batchSize,
    numSteps,
    stepsPerEpoch,
  });
  let step = 0;
  let epoch = 0;
  let examples = 0;
  let trainSeconds = 0;
  let validation = binaryMetrics([], []);
  // One epoch's labels and scores, for its training metrics: at most the rows the steps can take.
  const epochCapacity = Math.min(source.numRows, numSteps * batchSize);
  const epochLabels = new Float32Array(epochCapacity);
  const epochScores = new Float32Array(epochCapacity);
  while (step < numSteps) {
    epoch++;
    let seen = 0;
    for await (const batch of source.epoch(batchSize)) {
      if (options.signal?.aborted) throw new TsfxError('interrupted');
      const n = batch.numRows;
      const began = process.hrtime.bigint();
      if (options.learningRate)
        setLearningRate(optimizer, options.learningRate(step + 1, numSteps));
      const labels = batch.labels;
      let scores: Float32Array = new Float32Array(0);
      tf.tidy(() => {
        const inputs = modelInputs(tf, spec, batch, { start: 0, count: n });
        const y = tf.tensor2d(labels, [n, 1]);
        optimizer.minimize(() => {
          const p = model.apply(inputs.length === 1 ? inputs[0] : inputs, {
            training: true,
          }) as Tensor;
          scores = p.dataSync() as Float32Array;
          return tf.metrics.binaryCrossentropy(y, p).mean() as import('@tensorflow/tfjs').Scalar;
        });
      });
      trainSeconds += Number(process.hrtime.bigint() - began) / 1e9;
      step++;
      examples += n;
      epochLabels.set(labels, seen);
      epochScores.set(scores, seen);
      seen += n;
      events?.write({
        type: 'batch',
        step,
        epoch,
        wallTime: now(),
        examples,
        train: toMetrics(binaryMetrics(labels, scores)),
      });
      if (step >= numSteps) break;
    }
    const p = predictProbabilities(tf, model, spec, evalSubset, evalBatch);
    validation = binaryMetrics(evalSubset.labels, p);
    events?.write({
      type: 'epoch',
      step,
      epoch,
      wallTime: now(),
      train: toMetrics(binaryMetrics(epochLabels.subarray(0, seen), epochScores.subarray(0, seen))),
      validation: toMetrics(validation),
    });
    // Let the event loop breathe (display updates, signals) between epochs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const examplesPerSecond = examples / trainSeconds;
  events?.write({
    type: 'end',
    step,
    wallTime: now(),
    trainSeconds,
    examplesPerSecond,
    validation: toMetrics(validation),
  });
  return { steps: step, trainSeconds, examplesPerSecond, validation };
}

/** tfjs optimizers read their `learningRate` field at every step; it has no setter. */
function setLearningRate(optimizer: Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

function subset(spec: FeatureSpec, data: EncodedFeatures, rows: number): EncodedFeatures {
  if (rows >= data.numRows) return data;
  const d = spec.dense.length;
  const k = spec.categorical.length;
  return {
    numRows: rows,
    dense: data.dense.subarray(0, rows * d),
    ids: data.ids.subarray(0, rows * k),
    labels: data.labels.subarray(0, rows),
  };
}
