import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  columnOf,
  columnsOf,
  compileColumnTransform,
  valueAt,
  type TypedColumns,
} from '../../../kernel-lib/src/transform/columns';
import {
  compileTransform,
  type LoadedTransformGraph,
  type RawRow,
  type Value,
} from '../../../kernel-lib/src/transform/graph';
import { loadModuleFile, moduleFunction } from '../../../kernel-lib/src/transform/moduleFile';
import { parquetColumns, readAllParquetRows } from '../../../kernel-lib/src/transform/rows';
import { buildTransformGraph } from '../../../kernel-lib/src/transform/run';
import type { Inputs, PreprocessingFn, Tft } from '../../../kernel-lib/src/transform/tft';
import {
  everyOperation,
  SYNTHETIC_RAW as syntheticRaw,
  writeTaxiWithOddRows,
} from './everyOperation';
import { duckdbRows, REPO_ROOT, tempDir } from '../../helpers';

const TAXI_MODULE = join(REPO_ROOT, 'notebooks', 'dags', 'taxi_utils.ts');

/** Raw rows as columns of values (a feature absent from a row is null there). */
function toColumns(rows: readonly RawRow[], names: readonly string[]): TypedColumns {
  const raw: Record<string, Value[]> = {};
  for (const name of names) raw[name] = rows.map((row) => row[name] ?? null);
  return columnsOf(raw);
}

/**
 * Asserts the column evaluator gives every output of every row exactly as `compileTransform`'s
 * `apply` does (Object.is: NaN, -0 and null told apart), over the rows whole and in chunks.
 */
function assertSameAsRows(loaded: LoadedTransformGraph, rows: readonly RawRow[]): number {
  const byRow = compileTransform(loaded);
  const byColumn = compileColumnTransform(loaded);
  assert.deepEqual(byColumn.requiredFeatures, byRow.requiredFeatures);
  const expected = rows.map((row) => byRow.apply(row));
  let compared = 0;
  for (const size of [rows.length, 97]) {
    for (let start = 0; start < rows.length; start += size) {
      const chunk = rows.slice(start, start + size);
      const columns = byColumn.apply(toColumns(chunk, byRow.requiredFeatures), chunk.length);
      for (const { name } of byColumn.outputs) {
        chunk.forEach((_, i) => {
          const want = expected[start + i][name];
          const got = valueAt(columns[name], i);
          if (!Object.is(got, want)) {
            assert.fail(`row ${start + i} ${name}: ${String(got)}, row by row ${String(want)}`);
          }
          compared++;
        });
      }
    }
  }
  assert.equal(compared, 2 * rows.length * byColumn.outputs.length);
  return byColumn.outputs.length;
}

describe('the transform graph a column at a time gives what compileTransform gives', async () => {
  const dir = tempDir();
  const { train, odd } = await writeTaxiWithOddRows(dir, [
    "SELECT '' AS payment_type, -0.0::DOUBLE AS fare, 'nan'::DOUBLE AS tips",
  ]);

  it('the taxi graph, on the sample and on odd rows', async () => {
    const preprocessingFn = moduleFunction<PreprocessingFn>(
      loadModuleFile(TAXI_MODULE),
      'preprocessingFn',
      TAXI_MODULE,
    );
    const loaded = await buildTransformGraph(preprocessingFn, await parquetColumns([train]), [
      train,
    ]);
    const rows = await readAllParquetRows([odd]);
    assert.equal(rows.length, 15_004);
    assert.equal(assertSameAsRows(loaded, rows), 28);
  });

  const everyOperationAndClip = (inputs: Inputs, tft: Tft) => ({
    ...everyOperation(inputs, tft),
    clip: tft.clip(inputs.x, -5, 5),
  });
  const synthetic = join(dir, 'synthetic.parquet');
  // Nulls, NaN, negative zero, bucket edges, ties, text that is a number and not, empty and
  // non-ASCII text (infinities are added after the analyzers, whose sums they break).
  await duckdbRows(
    `COPY (SELECT
       CASE WHEN i % 17 = 0 THEN NULL WHEN i % 29 = 0 THEN 'nan'::DOUBLE WHEN i % 97 = 0 THEN 123456.789
            WHEN i % 89 = 0 THEN -0.0::DOUBLE WHEN i % 79 = 0 THEN -10
            WHEN i % 73 = 0 THEN 25.5 WHEN i % 71 = 0 THEN 0 ELSE ((i * 7919) % 1000) / 10 - 20 END AS x,
       CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN ' 12.5 ' WHEN i % 23 = 0 THEN '日本'
            WHEN i % 31 = 0 THEN '' WHEN i % 37 = 0 THEN 'a😀b' ELSE 't' || ((i * i) % 13) END AS k,
       (i % 5)::BIGINT AS c
     FROM range(2000) t(i)) TO '${synthetic}' (FORMAT parquet)`,
  );

  it('every operation, with nulls, NaN, infinities, -0, bucket edges, empty and non-ASCII text', async () => {
    const loaded = await buildTransformGraph(everyOperationAndClip, syntheticRaw, [synthetic]);
    const rows = await readAllParquetRows([synthetic]);
    // Rows from outside the analyzed data: out-of-vocabulary tokens, a feature missing.
    rows.push(
      { x: Infinity, k: 'never seen', c: 7 },
      { x: -Infinity, c: 3 },
      { x: 1e300, k: 'Ω', c: -0 },
      { x: 2, k: 't1', c: -3 },
    );
    assert.equal(assertSameAsRows(loaded, rows), 38);
  });

  it('columns of numbers and text mixed (a feature read as INT in one file, STRING in another)', async () => {
    const loaded = await buildTransformGraph(everyOperationAndClip, syntheticRaw, [synthetic]);
    // k and c with numbers among the text and text among the numbers: the row steps decide.
    const rows: RawRow[] = [
      { x: 1, k: 12, c: 1 },
      { x: 2, k: 't3', c: 2 },
      { x: NaN, k: NaN, c: 0 },
      { x: -0, k: -0, c: 4 },
      { x: 3, k: null, c: 3 },
      { x: null, k: '12', c: 1 },
    ];
    assert.equal(columnOf(rows.map((r) => r.k ?? null)).kind, 'values');
    assertSameAsRows(loaded, rows);
  });

  it('a string where a number is needed fails as the row step fails', async () => {
    const loaded = await buildTransformGraph(
      (inputs: Inputs, tft: Tft) => ({ z: tft.scaleToZScore(inputs.x) }),
      syntheticRaw,
      [synthetic],
    );
    const rows: RawRow[] = [{ x: 1 }, { x: 'one' }];
    const byRow = () => rows.map((row) => compileTransform(loaded).apply(row));
    const byColumn = () => compileColumnTransform(loaded).apply(toColumns(rows, ['x']), 2);
    assert.throws(byRow, /needs a number, got the string "one"/);
    assert.throws(byColumn, /needs a number, got the string "one"/);
  });
});
