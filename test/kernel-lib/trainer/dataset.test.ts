import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_VALIDATION_ROWS,
  inMemoryBatches,
  parquetBatches,
  parquetRowCount,
  readExampleSample,
  validationRows,
} from '../../../kernel-lib/src/trainer/dataset';
import type { EncodedFeatures, FeatureSpec } from '../../../kernel-lib/src/trainer/features';
import { duckdbRows, tempDir } from '../../helpers';

// Row r of the file: id = r (dense), bucket = r % 7 (categorical), label = r % 2.
const ROWS = 10_000;
const spec: FeatureSpec = {
  dense: ['id'],
  categorical: [{ name: 'bucket', numValues: 7, offset: 0 }],
  numIds: 7,
  label: 'label',
};

async function collect(batches: AsyncIterable<EncodedFeatures>): Promise<EncodedFeatures[]> {
  const all: EncodedFeatures[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('Trainer input streamed from Parquet (shuffle buffer) and the validation sample', async () => {
  const dir = tempDir();
  const file = join(dir, 'data.parquet');
  await duckdbRows(
    `COPY (SELECT r::DOUBLE AS id, (r % 7)::BIGINT AS bucket, (r % 2)::BIGINT AS label FROM range(${ROWS}) t(r) ORDER BY r)
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 3000)`,
  );

  it('each epoch is a permutation of the rows, in batches, with each row still whole', async () => {
    for (const shuffleBuffer of [500, 20_000]) {
      const source = await parquetBatches([file], spec, { shuffleBuffer, seed: 3 });
      assert.equal(source.numRows, ROWS);
      const orders: number[][] = [];
      for (let epoch = 0; epoch < 2; epoch++) {
        const batches = await collect(source.epoch(256));
        assert.deepEqual(
          batches.map((b) => b.numRows),
          [...Array<number>(39).fill(256), ROWS - 39 * 256],
        );
        const ids: number[] = [];
        for (const b of batches) {
          for (let i = 0; i < b.numRows; i++) {
            const id = b.dense[i];
            ids.push(id);
            assert.equal(b.ids[i], id % 7, `bucket of row ${id}`);
            assert.equal(b.labels[i], id % 2, `label of row ${id}`);
          }
        }
        assert.deepEqual(
          [...ids].sort((a, b) => a - b),
          Array.from({ length: ROWS }, (_, i) => i),
        );
        orders.push(ids);
      }
      assert.notDeepEqual(orders[0], orders[1], 'epochs are shuffled differently');
      const inPlace = orders[0].filter((id, i) => id === i).length;
      assert.ok(inPlace < ROWS / 50, `${inPlace} rows stayed in place (buffer ${shuffleBuffer})`);
    }
  });

  it('a buffer smaller than the data moves rows forward by about its size at most', async () => {
    const source = await parquetBatches([file], spec, { shuffleBuffer: 500, seed: 3 });
    const [first] = await collect(source.epoch(ROWS));
    // Row p is emitted at the earliest once it is read (position p - 500) and, in the first
    // batch, the rows come from the first 500 + 256 of the file: a bounded window, tf.data's way.
    for (let i = 0; i < first.numRows - 500; i++) {
      assert.ok(first.dense[i] < i + 501, `row ${first.dense[i]} emitted at ${i}`);
    }
  });

  it('in-memory batches shuffle in full per epoch from one seeded generator', async () => {
    const data: EncodedFeatures = {
      numRows: 5,
      dense: Float32Array.from([0, 1, 2, 3, 4]),
      ids: Int32Array.from([0, 1, 2, 3, 4]),
      labels: Float32Array.from([0, 1, 0, 1, 0]),
    };
    const a = inMemoryBatches(data, 9);
    const b = inMemoryBatches(data, 9);
    for (let epoch = 0; epoch < 3; epoch++) {
      const x = (await collect(a.epoch(2))).flatMap((batch) => [...batch.dense]);
      const y = (await collect(b.epoch(2))).flatMap((batch) => [...batch.dense]);
      assert.deepEqual(x, y, 'same seed, same order');
      assert.deepEqual(
        [...x].sort((p, q) => p - q),
        [0, 1, 2, 3, 4],
      );
    }
  });

  it('the validation sample is the first rows in file order, bounded', async () => {
    assert.equal(validationRows(0), DEFAULT_VALIDATION_ROWS);
    assert.equal(validationRows(3), 3 * 4096);
    const sample = await readExampleSample([file], spec, 4_500);
    assert.equal(sample.numRows, 4_500);
    assert.deepEqual(
      [...sample.dense],
      Array.from({ length: 4_500 }, (_, i) => i),
    );
    assert.deepEqual([...sample.labels.subarray(0, 4)], [0, 1, 0, 1]);
    assert.equal((await readExampleSample([file], spec, 1e9)).numRows, ROWS);
    assert.equal(await parquetRowCount([file, file]), 2 * ROWS);
  });

  it('refuses a row the model cannot take, naming its row in the file', async () => {
    const bad = join(dir, 'bad.parquet');
    await duckdbRows(
      `COPY (SELECT r::DOUBLE AS id, CASE WHEN r = 5000 THEN 9 ELSE r % 7 END::BIGINT AS bucket, 0::BIGINT AS label FROM range(6000) t(r) ORDER BY r) TO '${bad}' (FORMAT parquet)`,
    );
    const source = await parquetBatches([bad], spec, { shuffleBuffer: 100 });
    await assert.rejects(
      collect(source.epoch(64)),
      /categorical feature bucket is 9 in row 5001, outside \[0, 7\)/,
    );
  });
});
