import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEvalConfig } from '../../../kernel-lib/src/components/Evaluator';
import { splitRows } from '../../../kernel-lib/src/evaluation/columnChunks';
import { evaluate } from '../../../kernel-lib/src/evaluation/evaluate';
import { mergeSlices, type Slice } from '../../../kernel-lib/src/evaluation/slicing';
import { TsfxError } from '../../../kernel-lib/src/errors';
import { loadTf } from '../../../kernel-lib/src/trainer/backend';
import { loadServingBundle } from '../../../kernel-lib/src/trainer/servingBundle';
import { duckdbRows, tempDir } from '../../helpers';
import { trainTaxiModels } from '../serving/taxiModels';

describe('splitRows: consecutive runs of nearly equal size, in file order', () => {
  it('splits across file boundaries', () => {
    assert.deepEqual(splitRows(['a', 'b'], [5, 4], 2), [
      [{ file: 'a', from: 0, to: 5 }],
      [{ file: 'b', from: 0, to: 4 }],
    ]);
    // 7 rows in 3 runs: 2, 3 and 2 rows; the empty file is skipped.
    assert.deepEqual(splitRows(['a', 'b', 'c'], [3, 0, 4], 3), [
      [{ file: 'a', from: 0, to: 2 }],
      [
        { file: 'a', from: 2, to: 3 },
        { file: 'c', from: 0, to: 2 },
      ],
      [{ file: 'c', from: 2, to: 4 }],
    ]);
  });
});

describe('mergeSlices: slices of consecutive runs as one slicer numbers them', () => {
  it('first appearance order, counts summed, ids renumbered', () => {
    const slice = (value: number | string, count: number): Slice => ({
      spec: 0,
      key: [{ column: 'h', value, type: typeof value === 'number' ? 'INT' : 'STRING' }],
      count,
    });
    const { slices, remap } = mergeSlices([
      [slice(3, 2), slice(1, 1)],
      [slice(1, 4), slice('3', 1), slice(3, 1)],
    ]);
    assert.deepEqual(
      slices.map((s) => [s.key[0].value, s.count]),
      [
        [3, 3],
        [1, 5],
        ['3', 1],
      ],
    );
    assert.deepEqual(
      remap.map((r) => [...r]),
      [
        [0, 1],
        [1, 2, 0],
      ],
    );
  });
});

describe('evaluate() in worker threads: the same result as in one thread', async () => {
  const root = tempDir();
  const { chain, models } = await trainTaxiModels(root, [8, 16]);
  const { tf } = await loadTf('auto');
  const [candidate, baseline] = await Promise.all(models.map((m) => loadServingBundle(tf, m.uri)));
  assert.ok(candidate.forward && baseline.forward, 'the taxi model has a plain-JS forward pass');
  const examplesUri = chain.exampleGen.outputs.examples.artifacts[0].uri;
  // Three files of uneven sizes, so that runs start inside files and cross file boundaries.
  const files = [0, 1, 2].map((part) => join(root, `eval-${part}.parquet`));
  for (const [part, file] of files.entries()) {
    await duckdbRows(
      `COPY (SELECT * FROM '${examplesUri}/Split-eval/data.parquet' WHERE hash(trip_start_timestamp) % 3 = ${part}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 100)`,
    );
  }
  const config = parseEvalConfig({
    modelSpecs: [{ labelKey: 'tips_xf' }],
    slicingSpecs: [
      {},
      { featureKeys: ['trip_start_hour'] },
      { featureKeys: ['trip_start_day', 'trip_start_hour'] },
      { featureKeys: ['payment_type'] },
    ],
    metricsSpecs: [{ thresholds: { auc: { valueThreshold: { lowerBound: 0.5 } } } }],
  });
  const run = (threads: number) =>
    evaluate({ files, config, candidate, baseline, threads }).then(
      ({ timings: _, ...result }) => result,
    );

  it('metrics, plots and validation of every slice, with a baseline, for 2 and 3 threads', async () => {
    const one = await run(1);
    assert.ok(one.numExamples > 1000 && one.numSlices > 100, `${one.numExamples} examples`);
    assert.deepEqual(await run(2), one);
    assert.deepEqual(await run(3), one);
  });

  it("a thread's bad label is reported with its example number over all the rows", async () => {
    const bad = join(root, 'bad.parquet');
    const source = `read_parquet('${examplesUri}/Split-eval/data.parquet', file_row_number = true)`;
    const [{ n }] = await duckdbRows(`SELECT count(*)::INT AS n FROM ${source}`);
    const row = Number(n) - 3; // in the second thread's run
    await duckdbRows(
      `COPY (SELECT * EXCLUDE (file_row_number), CASE WHEN file_row_number = ${row - 1} THEN 2 ELSE 1 END AS y FROM ${source} ORDER BY file_row_number) TO '${bad}' (FORMAT parquet)`,
    );
    const labelled = parseEvalConfig({ modelSpecs: [{ labelKey: 'y' }] });
    await assert.rejects(
      evaluate({ files: [bad], config: labelled, candidate, threads: 2 }),
      (e: Error) =>
        e instanceof TsfxError && e.message.startsWith(`label y is 2 in example ${row}:`),
    );
  });
});
