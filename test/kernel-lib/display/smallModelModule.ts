/**
 * A small module file for the model and transform graph view tests: four features of the taxi
 * data and a wide & deep model small enough to count its parameters by hand (see
 * modelViews.test.ts).
 */
import {
  encodeFeatures,
  featureSpec,
  readExamples,
  specColumns,
} from '../../../kernel-lib/src/trainer/features';
import { fitBinaryClassifier } from '../../../kernel-lib/src/trainer/fit';
import type { FnArgs } from '../../../kernel-lib/src/trainer/fnArgs';
import { saveServingBundle } from '../../../kernel-lib/src/trainer/servingBundle';
import type { Inputs, Outputs, Tft } from '../../../kernel-lib/src/transform/tft';

type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

export function preprocessingFn(inputs: Inputs, tft: Tft): Outputs {
  const fare = inputs.fare;
  return {
    fare_xf: tft.scaleToZScore(tft.fillInMissing(fare, 0)),
    miles_xf: tft.scaleToZScore(tft.fillInMissing(inputs.trip_miles, 0)),
    payment_xf: tft.computeAndApplyVocabulary(tft.fillInMissing(inputs.payment_type, ''), {
      topK: 3,
      numOovBuckets: 1,
    }),
    hour_xf: tft.categoricalIdentity(tft.fillInMissing(inputs.trip_start_hour, 0), 24),
    seconds_bucket_xf: tft.bucketize(inputs.trip_seconds, 4),
    tips_xf: tft.where(
      tft.isMissing(fare),
      0,
      tft.gt(tft.fillInMissing(inputs.tips, 0), tft.mul(fare, 0.2)),
    ),
  };
}

export async function runFn(fnArgs: FnArgs): Promise<void> {
  const { tf } = fnArgs;
  const spec = featureSpec(fnArgs.transformGraph.graph, {
    dense: ['fare_xf', 'miles_xf'],
    categorical: ['payment_xf', 'hour_xf'],
    label: 'tips_xf',
  });
  const columns = specColumns(spec, true);
  const train = encodeFeatures(spec, await readExamples(fnArgs.trainFiles, columns), true);
  const evaluation = encodeFeatures(spec, await readExamples(fnArgs.evalFiles, columns), true);
  const dense = tf.input({ shape: [2], name: 'dense' });
  const ids = tf.input({ shape: [2], dtype: 'int32', name: 'categorical' });
  const apply = (
    layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown },
    x: SymbolicTensor | SymbolicTensor[],
  ) => layer.apply(x) as SymbolicTensor;
  const seed = Number(fnArgs.hyperparameters.seed ?? 1);
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const embedded = apply(
    tf.layers.embedding({
      inputDim: spec.numIds,
      outputDim: 3,
      name: 'emb',
      embeddingsInitializer: init(1),
    }),
    ids,
  );
  const deep = apply(tf.layers.concatenate({ name: 'concat' }), [
    dense,
    apply(tf.layers.flatten({ name: 'emb_flat' }), embedded),
  ]);
  const hidden = apply(
    tf.layers.dense({ units: 5, activation: 'relu', name: 'hidden', kernelInitializer: init(2) }),
    deep,
  );
  const deepLogit = apply(
    tf.layers.dense({ units: 1, name: 'deep_logit', kernelInitializer: init(3) }),
    hidden,
  );
  const wide = apply(
    tf.layers.embedding({
      inputDim: spec.numIds,
      outputDim: 1,
      name: 'wide',
      embeddingsInitializer: 'zeros',
    }),
    ids,
  );
  const wideSum = apply(
    tf.layers.dense({
      units: 1,
      useBias: false,
      trainable: false,
      kernelInitializer: 'ones',
      name: 'wide_sum',
    }),
    apply(tf.layers.flatten({ name: 'wide_flat' }), wide),
  );
  const logit = apply(tf.layers.add({ name: 'logit' }), [wideSum, deepLogit]);
  const probability = apply(
    tf.layers.activation({ activation: 'sigmoid', name: 'probability' }),
    logit,
  );
  const model = tf.model({
    inputs: [dense, ids],
    outputs: probability,
    name: 'small_wide_and_deep',
  });
  await fitBinaryClassifier(tf, model, spec, train, evaluation, {
    numSteps: fnArgs.trainSteps,
    evalSteps: fnArgs.evalSteps,
    batchSize: 256,
    optimizer: tf.train.adam(Number(fnArgs.hyperparameters.learningRate ?? 0.01)),
    seed,
    events: fnArgs.events,
    signal: fnArgs.signal,
  });
  await saveServingBundle(tf, fnArgs.servingModelDir, model, spec, fnArgs.transformGraph);
  model.dispose();
}
