import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileForwardPass, type ForwardPlan } from '../../../kernel-lib/src/serving/forwardPass';
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
function wideAndDeep(tf: Tf, hiddenUnits: number[] = [5]) {
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
  hiddenUnits.forEach((units, i) => {
    deep = apply(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: init(4 + 10 * i),
        biasInitializer: init(5 + 10 * i),
      }),
      deep,
    );
  });
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

/**
 * The plan computed the plainest way, one row at a time: each Dense unit is its bias plus every
 * term in order (a values input's columns, then an embedded input's folded rows in slot order),
 * in float64. Whatever loop order, blocking and zero skipping the forward pass uses, it must give
 * these probabilities, every bit (the float32 rounding hides most reorderings of a sum, so this
 * checks the loops' indices and coverage more than their order).
 */
function plainForward(plan: ForwardPlan, data: EncodedFeatures): Float32Array {
  const k = plan.slots.length;
  return Float32Array.from({ length: data.numRows }, (_, r) => {
    const values: number[][] = [];
    plan.steps.forEach((step, s) => {
      const input = (i: number) => values[step.inputs[i]];
      let out: number[];
      switch (step.op) {
        case 'dense input':
          out = Array.from(data.dense.subarray(r * step.width, (r + 1) * step.width));
          break;
        case 'ids input':
          out = Array.from(data.ids.subarray(r * k, (r + 1) * k));
          break;
        case 'add':
          out = input(0).map((v, u) => step.inputs.slice(1).reduce((a, i) => a + values[i][u], v));
          break;
        case 'activation':
          out = input(0).map((v) => 1 / (1 + Math.exp(-v)));
          assert.equal(step.activation, 'sigmoid');
          break;
        case 'dense': {
          out = Array.from(step.bias);
          let next = 0;
          for (const piece of step.pieces) {
            if (piece.kind === 'values') {
              const x = input(next++);
              for (let u = 0; u < step.width; u++) {
                for (let c = 0; c < piece.width; c++)
                  out[u] += x[c] * piece.weights[u * piece.width + c];
              }
            } else {
              for (let slot = 0; slot < k; slot++) {
                const id = data.ids[r * k + slot];
                for (let u = 0; u < step.width; u++) out[u] += piece.table[id * step.width + u];
              }
            }
          }
          if (step.activation === 'relu') out = out.map((v) => (v > 0 ? v : 0));
          else assert.equal(step.activation, 'linear');
          break;
        }
        default:
          assert.fail(`no ${step.op} in this model's plan`);
      }
      values[s] = out;
    });
    return values[plan.output][0];
  });
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

  it('gives exactly what the plainest loops over its plan give', () => {
    // Wide enough for the unrolled loops over units and their remainders.
    const model = wideAndDeep(tf, [21, 13]);
    const forward = compileForwardPass(model, SPEC)!;
    const data = examples(1000);
    const mine = forward.predict(data);
    const plain = plainForward(forward.plan, data);
    for (let i = 0; i < mine.length; i++) assert.ok(Object.is(mine[i], plain[i]), `row ${i}`);
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
