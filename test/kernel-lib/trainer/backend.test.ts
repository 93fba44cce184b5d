import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTf } from '../../../kernel-lib/src/trainer/backend';

/** A deterministic matrix [rows x cols] of small values (exact in float32 sums). */
function matrix(rows: number, cols: number, seed: number): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => ((i * 7 + j * 3 + seed) % 11) - 5),
  );
}

function transpose(m: number[][]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, v, k) => sum + v * b[k][j], 0)));
}

// The wasm kernels tsfx replaces (BatchMatMul with transposes, GatherV2) and adds
// (UnsortedSegmentSum), against products and lookups computed here by hand.
describe('TensorFlow.js wasm backend kernels', async () => {
  const { tf, backend } = await loadTf('wasm');

  it('runs on wasm', () => assert.equal(backend, 'wasm'));

  it('multiplies with either operand transposed as without', () => {
    const a = matrix(37, 19, 1);
    const b = matrix(19, 23, 2);
    const expected = multiply(a, b);
    const cases: [number[][], number[][], boolean, boolean][] = [
      [a, b, false, false],
      [transpose(a), b, true, false],
      [a, transpose(b), false, true],
      [transpose(a), transpose(b), true, true],
    ];
    for (const [x, y, ta, tb] of cases) {
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(x), tf.tensor2d(y), ta, tb).arraySync());
      assert.deepEqual(product, expected, `transposeA ${ta}, transposeB ${tb}`);
    }
    // Batched (rank 3), as Dense layers' gradients multiply.
    const batched = tf.tidy(() =>
      tf.matMul(tf.tensor3d([transpose(a)]), tf.tensor3d([transpose(b)]), true, true).arraySync(),
    );
    assert.deepEqual(batched, [expected]);
  });

  it('gathers rows (embeddings) and refuses an index out of range', () => {
    const table = matrix(10, 4, 3);
    const ids = [3, 0, 9, 3, 7, 1];
    const rows = tf.tidy(() =>
      tf.gather(tf.tensor2d(table), tf.tensor1d(ids, 'int32')).arraySync(),
    );
    assert.deepEqual(
      rows,
      ids.map((i) => table[i]),
    );
    const column = tf.tidy(() =>
      tf
        .gather(
          tf.tensor1d([5, 6, 7], 'int32'),
          tf.tensor2d(
            [
              [2, 0],
              [1, 1],
            ],
            [2, 2],
            'int32',
          ),
        )
        .arraySync(),
    );
    assert.deepEqual(column, [
      [7, 5],
      [6, 6],
    ]);
    // Other axes go to the backend's own kernel.
    const byColumn = tf.tidy(() =>
      tf.gather(tf.tensor2d(table), tf.tensor1d([1, 3], 'int32'), 1).arraySync(),
    );
    assert.deepEqual(
      byColumn,
      table.map((row) => [row[1], row[3]]),
    );
    assert.throws(
      () => tf.tidy(() => tf.gather(tf.tensor2d(table), tf.tensor1d([10], 'int32'))),
      /index value 10 is not in \[0, 9\]/,
    );
  });

  it('sums an embedding gradient per id (UnsortedSegmentSum)', () => {
    const table = tf.variable(tf.tensor2d(matrix(6, 3, 4)));
    const ids = tf.tensor1d([2, 5, 2, 0], 'int32');
    const grads = tf.grads((t: import('@tensorflow/tfjs').Tensor) => tf.gather(t, ids).sum())([
      table,
    ]);
    const expected = [1, 0, 2, 0, 0, 1].map((n) => [n, n, n]);
    assert.deepEqual(grads[0].arraySync(), expected);
    tf.dispose([table, ids, ...grads]);
  });
});
