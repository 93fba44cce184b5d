import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileForwardPass } from '../../../kernel-lib/src/serving/forwardPass';
import { loadTf, type Tf } from '../../../kernel-lib/src/trainer/backend';
import type { EncodedFeatures, FeatureSpec } from '../../../kernel-lib/src/trainer/features';
import { predictProbabilities } from '../../../kernel-lib/src/trainer/fit';

type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

/** Three categorical features sharing one id space of 4 + 3 + 5 ids. */
const SPEC: FeatureSpec = {
  dense: ['a', 'b'],
  categorical: [
    { name: 'x', numValues: 4, offset: 0 },
    { name: 'y', numValues: 3, offset: 4 },
    { name: 'z', numValues: 5, offset: 7 },
  ],
  numIds: 12,
  label: 'label',
};

/** A wide & deep model as the taxi module builds it, with seeded random weights (no training). */
function wideAndDeep(tf: Tf) {
  const dense = tf.input({ shape: [2], name: 'dense' });
  const ids = tf.input({ shape: [3], dtype: 'int32', name: 'categorical' });
  const apply = (layer: { apply(x: unknown): unknown }, x: unknown) =>
    layer.apply(x) as SymbolicTensor;
  const init = (seed: number) => tf.initializers.randomUniform({ minval: -1, maxval: 1, seed });
  const wide = apply(
    tf.layers.dense({ units: 1, useBias: false, kernelInitializer: init(1) }),
    apply(
      tf.layers.flatten(),
      apply(
        tf.layers.embedding({ inputDim: 12, outputDim: 1, embeddingsInitializer: init(2) }),
        ids,
      ),
    ),
  );
  const embedded = apply(
    tf.layers.flatten(),
    apply(tf.layers.embedding({ inputDim: 12, outputDim: 3, embeddingsInitializer: init(3) }), ids),
  );
  let deep = apply(tf.layers.concatenate(), [dense, embedded]);
  deep = apply(
    tf.layers.dense({
      units: 5,
      activation: 'relu',
      kernelInitializer: init(4),
      biasInitializer: init(5),
    }),
    deep,
  );
  deep = apply(
    tf.layers.dense({ units: 1, kernelInitializer: init(6), biasInitializer: init(7) }),
    deep,
  );
  const logit = apply(tf.layers.add(), [wide, deep]);
  const probability = apply(tf.layers.activation({ activation: 'sigmoid' }), logit);
  return tf.model({ inputs: [dense, ids], outputs: probability });
}

function examples(n: number): EncodedFeatures {
  const dense = new Float32Array(n * 2);
  const ids = new Int32Array(n * 3);
  for (let i = 0; i < n; i++) {
    dense[i * 2] = Math.fround(Math.sin(i) * 3);
    dense[i * 2 + 1] = i % 7 === 0 ? 0 : Math.fround(Math.cos(i * 1.7));
    SPEC.categorical.forEach((c, j) => (ids[i * 3 + j] = c.offset + ((i * (j + 2)) % c.numValues)));
  }
  return { numRows: n, dense, ids, labels: new Float32Array(0) };
}

describe('the plain-JavaScript forward pass of a LayersModel', async () => {
  const { tf } = await loadTf('auto');

  it('gives what TensorFlow.js gives for a wide & deep model, to float32 rounding, every id of every feature', () => {
    const model = wideAndDeep(tf);
    const forward = compileForwardPass(model, SPEC);
    assert.ok(forward, 'the taxi layer types are supported');
    const data = examples(700);
    const mine = forward.predict(data);
    const theirs = predictProbabilities(tf, model, SPEC, data);
    assert.equal(mine.length, 700);
    let spread = 0;
    for (let i = 0; i < mine.length; i++) {
      assert.ok(Math.abs(mine[i] - theirs[i]) < 2e-6, `row ${i}: ${mine[i]} vs ${theirs[i]}`);
      spread = Math.max(spread, Math.abs(mine[i] - mine[0]));
    }
    assert.ok(spread > 0.1, 'the rows get different probabilities');
    // A row scored alone gets the value it gets in a batch.
    const one: EncodedFeatures = {
      ...data,
      numRows: 1,
      dense: data.dense.subarray(10, 12),
      ids: data.ids.subarray(15, 18),
    };
    assert.equal(forward.predict(one)[0], mine[5]);
    model.dispose();
  });

  it("refuses an id outside its feature's range instead of reading another feature's weights", () => {
    const model = wideAndDeep(tf);
    const data = examples(3);
    data.ids[1] = 0; // feature y's ids are 4..6
    assert.throws(() => compileForwardPass(model, SPEC)!.predict(data), /outside feature y/);
    model.dispose();
  });

  it('leaves a model with a layer it does not know to TensorFlow.js (null)', () => {
    const input = tf.input({ shape: [2] });
    const normalized = tf.layers.batchNormalization().apply(input) as SymbolicTensor;
    const output = tf.layers
      .dense({ units: 1, activation: 'sigmoid' })
      .apply(normalized) as SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    assert.equal(compileForwardPass(model, { ...SPEC, categorical: [], numIds: 0 }), null);
    model.dispose();
  });
});
