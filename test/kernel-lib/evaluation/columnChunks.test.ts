import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  readParquetColumnChunks,
  type ColumnChunk,
} from '../../../kernel-lib/src/evaluation/columnChunks';
import { valueAt } from '../../../kernel-lib/src/transform/columns';
import { readAllParquetRows } from '../../../kernel-lib/src/transform/rows';
import { duckdbRows, tempDir } from '../../helpers';

const COLUMNS = ['d', 'f', 'big', 'ubig', 'i', 'small', 'tiny', 'b', 's', 'dec', 'none'];

describe('readParquetColumnChunks: the values readParquetRows gives, as typed columns', async () => {
  const dir = tempDir();
  const file = join(dir, 'mixed.parquet');
  // Every numeric type with nulls (across and inside DuckDB's vectors of 2,048 rows), NaN,
  // infinities, -0, int64 beyond 2^53 (rounded as Number(bigint) rounds), booleans, text with
  // non-ASCII characters, a DECIMAL (read as text, as toValue makes it) and a column of nulls.
  await duckdbRows(
    `COPY (SELECT
       CASE WHEN i % 7 = 0 THEN NULL WHEN i % 11 = 0 THEN 'nan'::DOUBLE WHEN i % 13 = 0 THEN -0.0::DOUBLE
            WHEN i = 5 THEN 'inf'::DOUBLE WHEN i = 6 THEN '-inf'::DOUBLE ELSE i / 3 END AS d,
       CASE WHEN i % 5 = 0 THEN NULL ELSE (i / 7)::FLOAT END AS f,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 9007199254740993 * (i % 4) - i END AS big,
       (i * 1000003)::UBIGINT AS ubig,
       CASE WHEN i BETWEEN 2048 AND 4100 THEN NULL ELSE -i::INTEGER END AS i,
       (i % 300 - 150)::SMALLINT AS small,
       (i % 200 - 100)::TINYINT AS tiny,
       CASE WHEN i % 4 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
       CASE WHEN i % 6 = 0 THEN NULL WHEN i % 9 = 0 THEN '' ELSE 'Ünï ' || (i % 17) END AS s,
       (i / 8)::DECIMAL(10, 3) AS dec,
       NULL::DOUBLE AS none
     FROM range(10000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 3000)`,
  );
  const expected = await readAllParquetRows([file], COLUMNS);

  const assertSame = async (chunks: AsyncIterable<ColumnChunk>, from: number, to: number) => {
    let row = from;
    for await (const chunk of chunks) {
      for (const name of COLUMNS) {
        for (let i = 0; i < chunk.numRows; i++) {
          const got = valueAt(chunk.columns[name], i);
          const want = expected[row + i][name];
          if (!Object.is(got, want)) {
            assert.fail(`row ${row + i} ${name}: ${String(got)}, read by rows ${String(want)}`);
          }
        }
      }
      row += chunk.numRows;
    }
    assert.equal(row, to);
  };

  it('every row, in chunks of at least 3,000 rows', async () => {
    assert.equal(expected.length, 10_000);
    const chunks = readParquetColumnChunks([file], COLUMNS, 3000);
    await assertSame(chunks, 0, 10_000);
  });

  it('a range of rows, in one thread', async () => {
    const chunks = readParquetColumnChunks([file], COLUMNS, 100, {
      ranges: [{ file, from: 2500, to: 7001 }],
      threads: 1,
    });
    await assertSame(chunks, 2500, 7001);
  });

  it('numbers come as number columns, text and decimals as values', async () => {
    for await (const chunk of readParquetColumnChunks([file], COLUMNS, 10_000)) {
      const kinds = Object.fromEntries(COLUMNS.map((name) => [name, chunk.columns[name].kind]));
      assert.deepEqual(kinds, {
        d: 'number',
        f: 'number',
        big: 'number',
        ubig: 'number',
        i: 'number',
        small: 'number',
        tiny: 'number',
        b: 'number',
        s: 'values',
        dec: 'values',
        none: 'number',
      });
    }
  });
});
