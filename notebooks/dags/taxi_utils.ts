/**
 * The taxi module file: feature engineering (`preprocessingFn`, run by Transform) and the model
 * (`runFn`, run by the Trainer) for "will this rider tip more than 20% of the fare?".
 *
 * The workshop's features, with two changes that matter: every feature reaches the model, and the
 * numbers (fare, miles, seconds) are also given as fine quantile buckets (the fare's crossed with
 * the payment type: whether a tip passes 20% of the fare depends much on the fare for card
 * payments) and as z-scored logarithms. A wide part (a linear model over every categorical id and
 * the crosses) and a deep part (embeddings of the categoricals plus the numbers through ReLU
 * layers) add their logits.
 */
import {
  featureSpec,
  fitBinaryClassifier,
  parquetBatches,
  readExampleSample,
  saveServingBundle,
  validationRows,
  type FeatureSpec,
  type FnArgs,
  type Inputs,
  type Outputs,
  type Tf,
  type Tft,
} from 'tsfx';

export const DENSE_FLOAT_FEATURE_KEYS = ['trip_miles', 'fare', 'trip_seconds'];
export const BUCKET_FEATURE_KEYS = [
  'pickup_latitude',
  'pickup_longitude',
  'dropoff_latitude',
  'dropoff_longitude',
];
export const FEATURE_BUCKET_COUNT = 10;
export const VOCAB_FEATURE_KEYS = ['payment_type', 'company'];
export const VOCAB_SIZE = 1000;
export const OOV_SIZE = 10;
/** Integer categoricals with their number of values (ids 0..n-1; others and missing go to 0). */
export const IDENTITY_FEATURE_KEYS: [string, number][] = [
  ['trip_start_hour', 24],
  ['trip_start_day', 8],
  ['trip_start_month', 13],
  ['pickup_community_area', 78],
  ['dropoff_community_area', 78],
];
/** Census tracts are 11-digit codes (read as INT, or STRING when empty): a vocabulary of their text. */
export const TRACT_FEATURE_KEYS = ['pickup_census_tract', 'dropoff_census_tract'];
export const CROSS_BUCKETS = 1000;
/** Quantile buckets of each number (plus one for missing). */
export const NUMBER_BUCKETS = 20;
export const LABEL_KEY = 'tips';
export const FARE_KEY = 'fare';

export const transformedName = (key: string): string => `${key}_xf`;

export function preprocessingFn(inputs: Inputs, tft: Tft): Outputs {
  const outputs: Outputs = {};
  for (const key of DENSE_FLOAT_FEATURE_KEYS) {
    // Missing values become 0 before scaling, as the workshop's _fill_in_missing does.
    outputs[transformedName(key)] = tft.scaleToZScore(tft.fillInMissing(inputs[key], 0));
  }
  for (const key of BUCKET_FEATURE_KEYS) {
    // Quantile buckets 0..9 over the present values; a missing coordinate is bucket 10.
    outputs[transformedName(key)] = tft.fillInMissing(
      tft.bucketize(inputs[key], FEATURE_BUCKET_COUNT),
      FEATURE_BUCKET_COUNT,
    );
  }
  for (const key of VOCAB_FEATURE_KEYS) {
    outputs[transformedName(key)] = tft.computeAndApplyVocabulary(
      tft.fillInMissing(inputs[key], ''),
      { topK: VOCAB_SIZE, numOovBuckets: OOV_SIZE },
    );
  }
  for (const [key, size] of IDENTITY_FEATURE_KEYS) {
    outputs[transformedName(key)] = tft.categoricalIdentity(
      tft.fillInMissing(inputs[key], 0),
      size,
    );
  }
  for (const key of TRACT_FEATURE_KEYS) {
    outputs[transformedName(key)] = tft.computeAndApplyVocabulary(
      tft.fillInMissing(tft.asString(inputs[key]), ''),
      { topK: VOCAB_SIZE, numOovBuckets: OOV_SIZE, vocabularyName: `vocab_${key}` },
    );
  }
  // Crosses for the wide part: where (pickup and dropoff cells) and when (hour of the week).
  const x = (key: string) => outputs[transformedName(key)];
  outputs.pickup_cell_xf = tft.cross([x('pickup_latitude'), x('pickup_longitude')], CROSS_BUCKETS);
  outputs.dropoff_cell_xf = tft.cross(
    [x('dropoff_latitude'), x('dropoff_longitude')],
    CROSS_BUCKETS,
  );
  outputs.hour_of_week_xf = tft.cross([x('trip_start_day'), x('trip_start_hour')], CROSS_BUCKETS);
  outputs.payment_company_xf = tft.cross([x('payment_type'), x('company')], CROSS_BUCKETS);
  // The numbers again: fine quantile buckets (wide), and logarithms (deep: fares are skewed).
  for (const key of DENSE_FLOAT_FEATURE_KEYS) {
    outputs[`${key}_bucket_xf`] = tft.fillInMissing(
      tft.bucketize(inputs[key], NUMBER_BUCKETS),
      NUMBER_BUCKETS,
    );
    outputs[`${key}_log_xf`] = tft.scaleToZScore(tft.log1p(tft.fillInMissing(inputs[key], 0)));
  }
  outputs.payment_fare_xf = tft.cross([x('payment_type'), outputs.fare_bucket_xf], CROSS_BUCKETS);

  // The label: did the rider tip more than 20% of the fare? (No fare: no.)
  const fare = inputs[FARE_KEY];
  const tips = tft.fillInMissing(inputs[LABEL_KEY], 0);
  outputs[transformedName(LABEL_KEY)] = tft.where(
    tft.isMissing(fare),
    0,
    tft.gt(tips, tft.mul(fare, 0.2)),
  );
  return outputs;
}

export const WIDE_ONLY_KEYS = [
  'payment_fare_xf',
  'fare_bucket_xf',
  'trip_miles_bucket_xf',
  'trip_seconds_bucket_xf',
  'pickup_cell_xf',
  'dropoff_cell_xf',
  'hour_of_week_xf',
  'payment_company_xf',
];

/** The features the model reads, from the transform graph's outputs. */
export function taxiFeatureSpec(fnArgs: Pick<FnArgs, 'transformGraph'>): FeatureSpec {
  return featureSpec(fnArgs.transformGraph.graph, {
    dense: [
      ...DENSE_FLOAT_FEATURE_KEYS.map(transformedName),
      ...DENSE_FLOAT_FEATURE_KEYS.map((key) => `${key}_log_xf`),
    ],
    categorical: [
      ...BUCKET_FEATURE_KEYS,
      ...VOCAB_FEATURE_KEYS,
      ...IDENTITY_FEATURE_KEYS.map(([key]) => key),
      ...TRACT_FEATURE_KEYS,
    ]
      .map(transformedName)
      .concat(WIDE_ONLY_KEYS),
    label: transformedName(LABEL_KEY),
  });
}

export interface ModelOptions {
  hiddenUnits: number[];
  embeddingDim: number;
  l2: number;
}

/**
 * Wide & deep: logit = wide(all categorical ids incl. crosses, one weight per id)
 * + deep(ReLU MLP over [z-scored numbers, embeddings of the categoricals]).
 * Inputs: `dense` [batch, 3] float32 and `categorical` [batch, K] int32 (ids in one shared space).
 */
export function buildWideAndDeep(
  tf: Tf,
  spec: FeatureSpec,
  options: ModelOptions,
): import('@tensorflow/tfjs').LayersModel {
  const k = spec.categorical.length;
  const dense = tf.input({ shape: [spec.dense.length], name: 'dense' });
  const ids = tf.input({ shape: [k], dtype: 'int32', name: 'categorical' });
  const regularizer = options.l2 > 0 ? tf.regularizers.l2({ l2: options.l2 }) : undefined;
  // Wide: a linear model over every id (the sum of one weight per feature).
  const wideWeights = tf.layers
    .embedding({
      inputDim: spec.numIds,
      outputDim: 1,
      embeddingsInitializer: 'zeros',
      embeddingsRegularizer: regularizer,
      name: 'wide_weights',
    })
    .apply(ids) as import('@tensorflow/tfjs').SymbolicTensor;
  const wide = tf.layers.flatten().apply(wideWeights) as import('@tensorflow/tfjs').SymbolicTensor;
  const wideLogit = tf.layers
    .dense({
      units: 1,
      kernelInitializer: 'ones',
      trainable: false,
      useBias: false,
      name: 'wide_sum',
    })
    .apply(wide) as import('@tensorflow/tfjs').SymbolicTensor;
  // Deep: embeddings of every categorical (crosses too) next to the z-scored numbers.
  const embedded = tf.layers
    .embedding({
      inputDim: spec.numIds,
      outputDim: options.embeddingDim,
      embeddingsInitializer: tf.initializers.randomUniform({
        minval: -0.05,
        maxval: 0.05,
        seed: 7,
      }),
      name: 'deep_embeddings',
    })
    .apply(ids) as import('@tensorflow/tfjs').SymbolicTensor;
  let deep = tf.layers
    .concatenate()
    .apply([
      dense,
      tf.layers.flatten().apply(embedded) as import('@tensorflow/tfjs').SymbolicTensor,
    ]) as import('@tensorflow/tfjs').SymbolicTensor;
  options.hiddenUnits.forEach((units, i) => {
    deep = tf.layers
      .dense({
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 11 + i }),
        name: `deep_${i}`,
      })
      .apply(deep) as import('@tensorflow/tfjs').SymbolicTensor;
  });
  const deepLogit = tf.layers
    .dense({
      units: 1,
      // Seeded like every other initializer: a rerun trains the same model, bit for bit.
      kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      name: 'deep_logit',
    })
    .apply(deep) as import('@tensorflow/tfjs').SymbolicTensor;
  const logit = tf.layers
    .add()
    .apply([wideLogit, deepLogit]) as import('@tensorflow/tfjs').SymbolicTensor;
  const probability = tf.layers
    .activation({ activation: 'sigmoid', name: 'probability' })
    .apply(logit) as import('@tensorflow/tfjs').SymbolicTensor;
  return tf.model({ inputs: [dense, ids], outputs: probability, name: 'wide_and_deep' });
}

const number = (value: unknown, fallback: number): number =>
  typeof value === 'number' ? value : fallback;

export async function runFn(fnArgs: FnArgs): Promise<void> {
  const { tf } = fnArgs;
  const spec = taxiFeatureSpec(fnArgs);
  const h = fnArgs.hyperparameters;
  const seed = number(h.seed, 42);
  // Training rows stream from Parquet through a shuffle buffer (tf.data's shuffle(buffer_size)):
  // the sample's 10,000 rows fit in it whole; at millions of rows only the rows the steps take
  // are read. Validation scores the first evalArgs.numSteps batches of 4,096 eval rows (or the
  // first 20,480): the whole eval split is the Evaluator's.
  const train = await parquetBatches(fnArgs.trainFiles, spec, {
    shuffleBuffer: number(h.shuffleBuffer, 100_000),
    seed,
  });
  const evaluation = await readExampleSample(
    fnArgs.evalFiles,
    spec,
    validationRows(fnArgs.evalSteps),
  );
  const hiddenUnits = Array.isArray(h.hiddenUnits)
    ? h.hiddenUnits.map((u) => number(u, 32))
    : [64, 32];
  const model = buildWideAndDeep(tf, spec, {
    hiddenUnits,
    embeddingDim: number(h.embeddingDim, 8),
    l2: number(h.l2, 1e-5),
  });
  fnArgs.log(
    `wide & deep on ${spec.dense.length} numbers and ${spec.categorical.length} categoricals (${spec.numIds} ids); ${train.numRows} training, ${evaluation.numRows} eval examples`,
  );
  const learningRate = number(h.learningRate, 0.003);
  const decay = number(h.learningRateDecay, 0.1);
  const result = await fitBinaryClassifier(tf, model, spec, train, evaluation, {
    numSteps: fnArgs.trainSteps,
    evalSteps: fnArgs.evalSteps,
    batchSize: number(h.batchSize, 256),
    optimizer: tf.train.adam(learningRate),
    // Exponential decay to `decay` × the initial rate by the last step.
    learningRate: (step, steps) => learningRate * Math.pow(decay, step / steps),
    seed,
    events: fnArgs.events,
    signal: fnArgs.signal,
  });
  fnArgs.log(
    `eval AUC ${result.validation.auc.toFixed(4)}, ${Math.round(result.examplesPerSecond)} examples/s`,
  );
  await saveServingBundle(tf, fnArgs.servingModelDir, model, spec, fnArgs.transformGraph);
  model.dispose();
}
