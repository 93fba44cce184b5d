import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ValueType } from '@tsfx/protocol';
import type { GraphNode, LoadedTransformGraph } from '../../../kernel-lib/src/transform/graph';
import { loadModuleFile, moduleFunction } from '../../../kernel-lib/src/transform/moduleFile';
import { parquetColumns } from '../../../kernel-lib/src/transform/rows';
import {
  buildTransformGraph,
  transformParquet,
  transformParquetBatch,
  type BatchEngine,
} from '../../../kernel-lib/src/transform/run';
import { NotExpressibleInSql } from '../../../kernel-lib/src/transform/sql';
import { transformParquetSql } from '../../../kernel-lib/src/transform/sqlBatch';
import type { Inputs, PreprocessingFn, Tft } from '../../../kernel-lib/src/transform/tft';
import {
  everyOperation,
  SYNTHETIC_RAW as syntheticRaw,
  writeTaxiWithOddRows,
} from './everyOperation';
import { duckdbRows, REPO_ROOT, tempDir } from '../../helpers';

const TAXI_MODULE = join(REPO_ROOT, 'notebooks', 'dags', 'taxi_utils.ts');
const taxiPreprocessingFn = moduleFunction<PreprocessingFn>(
  loadModuleFile(TAXI_MODULE),
  'preprocessingFn',
  TAXI_MODULE,
);

/** Every value of a Parquet file, as DuckDB reads it (doubles as numbers, int64 as bigint). */
async function parquetValues(file: string): Promise<{ names: string[]; rows: unknown[][] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM '${file}'`);
    return { names: reader.columnNames(), rows: reader.getRows() as unknown[][] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Asserts two Parquet files hold the same columns and the same values, bit for bit (Object.is). */
async function assertSameParquet(a: string, b: string): Promise<number> {
  const x = await parquetValues(a);
  const y = await parquetValues(b);
  assert.deepEqual(y.names, x.names);
  assert.equal(y.rows.length, x.rows.length);
  let differ = 0;
  const first: string[] = [];
  x.rows.forEach((row, r) =>
    row.forEach((value, c) => {
      if (!Object.is(value, y.rows[r][c])) {
        differ++;
        if (first.length < 5)
          first.push(`row ${r} ${x.names[c]}: ${String(value)} vs ${String(y.rows[r][c])}`);
      }
    }),
  );
  assert.deepEqual(first, [], `${differ} values differ`);
  return x.rows.length;
}

/** The analyzers' results of two graphs: equal exactly, means and standard deviations to rounding. */
function assertSameAnalyzers(js: LoadedTransformGraph, sql: LoadedTransformGraph): void {
  assert.deepEqual(sql.vocabularies, js.vocabularies, 'vocabularies');
  assert.deepEqual(sql.graph.outputs, js.graph.outputs);
  assert.equal(sql.graph.analyzedRows, js.graph.analyzedRows);
  assert.equal(sql.graph.nodes.length, js.graph.nodes.length);
  const close = (p: number, q: number) => Math.abs(p - q) <= 1e-12 * Math.max(1, Math.abs(q));
  js.graph.nodes.forEach((node: GraphNode, i) => {
    const other = sql.graph.nodes[i];
    if (node.op === 'scaleToZScore' && other.op === 'scaleToZScore') {
      assert.ok(close(other.mean, node.mean), `node ${i} mean ${other.mean} vs ${node.mean}`);
      assert.ok(close(other.std, node.std), `node ${i} std ${other.std} vs ${node.std}`);
      assert.deepEqual({ ...other, mean: 0, std: 0 }, { ...node, mean: 0, std: 0 });
    } else {
      assert.deepEqual(other, node, `node ${i} (${node.op})`);
    }
  });
}

async function bothEngines(
  fn: PreprocessingFn,
  raw: { name: string; type: ValueType }[],
  files: string[],
): Promise<{ js: LoadedTransformGraph; sql: LoadedTransformGraph; batch: BatchEngine[] }> {
  const batch: BatchEngine[] = [];
  const js = await buildTransformGraph(fn, raw, files, undefined, { engine: 'javascript' });
  const sql = await buildTransformGraph(fn, raw, files, undefined, {
    onBatch: (b) => batch.push(b),
  });
  return { js, sql, batch };
}

describe('Transform in DuckDB SQL gives the values compileTransform gives', async () => {
  const dir = tempDir();
  const { train, odd } = await writeTaxiWithOddRows(dir);
  const raw = await parquetColumns([train]);

  it('the taxi preprocessing: analyzers equal, then every output value equal on both paths', async () => {
    const { js, sql, batch } = await bothEngines(taxiPreprocessingFn, raw, [train]);
    assert.deepEqual(batch, [{ engine: 'duckdb' }]);
    assertSameAnalyzers(js, sql);
    const a = join(dir, 'taxi-js.parquet');
    const b = join(dir, 'taxi-sql.parquet');
    assert.equal(await transformParquet(sql, [odd], a), 15_003);
    assert.equal(await transformParquetSql(sql, [odd], b), 15_003);
    assert.equal(await assertSameParquet(a, b), 15_003);
    // The odd rows went through the hashed out-of-vocabulary buckets, which the sample alone may not.
    const company = sql.graph.nodes[sql.graph.outputs.find((o) => o.name === 'company_xf')!.node];
    assert.ok(company.op === 'vocabulary');
    const size = company.size;
    const rows = await duckdbRows(`SELECT company_xf FROM '${b}' OFFSET 15000`);
    for (const row of rows.slice(0, 2)) {
      const id = Number(row.company_xf);
      assert.ok(id >= size && id < size + 10, `OOV id ${id} (vocabulary of ${size})`);
    }
  });

  const synthetic = join(dir, 'synthetic.parquet');
  // Nulls, NaN, infinities, negative zero, ties, repeated numbers, text that is a number and not.
  await duckdbRows(
    `COPY (SELECT
       CASE WHEN i % 17 = 0 THEN NULL WHEN i % 29 = 0 THEN 'nan'::DOUBLE WHEN i % 97 = 0 THEN 123456.789
            WHEN i % 89 = 0 THEN -0.0::DOUBLE ELSE ((i * 7919) % 1000) / 10 - 20 END AS x,
       CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN ' 12.5 ' WHEN i % 23 = 0 THEN '日本' ELSE 't' || ((i * i) % 13) END AS k,
       (i % 5)::BIGINT AS c
     FROM range(2000) t(i)) TO '${synthetic}' (FORMAT parquet)`,
  );

  // (No infinity among analyzed values: a running mean and a sum disagree there, NaN vs infinity.)
  it('every operation, with nulls, NaN, infinities and -0: the same analyzers and the same values', async () => {
    const { js, sql, batch } = await bothEngines(everyOperation, syntheticRaw, [synthetic]);
    assert.deepEqual(batch, [{ engine: 'duckdb' }]);
    assertSameAnalyzers(js, sql);
    const a = join(dir, 'every-js.parquet');
    const b = join(dir, 'every-sql.parquet');
    await transformParquet(sql, [synthetic], a);
    const done = await transformParquetBatch(sql, [synthetic], b);
    assert.deepEqual(done, { rows: 2000, batch: { engine: 'duckdb' } });
    assert.equal(await assertSameParquet(a, b), 2000);
  });

  it('a lookup of thousands of distinct values (a call per vector) gives the same values', async () => {
    const many = join(dir, 'many.parquet');
    await duckdbRows(
      `COPY (SELECT CASE WHEN i % 101 = 0 THEN NULL ELSE (i * 1.5)::DOUBLE END AS u FROM range(6000) t(i)) TO '${many}' (FORMAT parquet)`,
    );
    const fn = (inputs: Inputs, tft: Tft) => ({
      h: tft.hashStrings(inputs.u, 97),
      l: tft.scaleToZScore(tft.log1p(tft.fillInMissing(inputs.u, 0))),
    });
    const raw = [{ name: 'u', type: 'FLOAT' as const }];
    const { js, sql } = await bothEngines(fn, raw, [many]);
    assertSameAnalyzers(js, sql);
    const a = join(dir, 'many-js.parquet');
    const b = join(dir, 'many-sql.parquet');
    await transformParquet(sql, [many], a);
    assert.equal(await transformParquetSql(sql, [many], b), 6000);
    assert.equal(await assertSameParquet(a, b), 6000);
  });

  it('SQL where it is exact, the step elsewhere: numbers as text, vocabulary ENUMs, id tables', async () => {
    // Analysed on the first 3,000 rows; applied to those and rows never seen (out of vocabulary).
    const rowsSql = (n: number) => `SELECT
       CASE i % 23 WHEN 0 THEN NULL WHEN 1 THEN -0.0::DOUBLE WHEN 2 THEN 'nan'::DOUBLE
         WHEN 3 THEN 'inf'::DOUBLE WHEN 4 THEN '-inf'::DOUBLE WHEN 5 THEN 9007199254740991::DOUBLE
         WHEN 6 THEN 9007199254740992::DOUBLE WHEN 7 THEN 9007199254740994::DOUBLE
         WHEN 8 THEN power(2, 60) WHEN 9 THEN -power(2, 60) WHEN 10 THEN 1e21 WHEN 11 THEN 1e-7
         WHEN 12 THEN 0.1 WHEN 13 THEN -17031081500::DOUBLE WHEN 14 THEN 123456789012::DOUBLE
         ELSE ((i * 37) % 41 - 20)::DOUBLE / (CASE WHEN i % 3 = 0 THEN 4 ELSE 1 END) END AS u,
       CASE WHEN i % 19 = 0 THEN NULL WHEN i % 7 = 0 THEN 'O''Hare' WHEN i % 5 = 0 THEN ''
            WHEN i % 11 = 0 THEN 'ünï ' || (i % 3) WHEN i >= 3000 THEN 'new ' || (i % 13)
            ELSE 'tok' || ((i * i) % 17) END AS t,
       ((i * 7919) % 9973)::DOUBLE / 7 AS p,
       ((i * 104729) % 8191)::DOUBLE AS q
     FROM range(${n}) t(i)`;
    const analysed = join(dir, 'shortcuts-train.parquet');
    const applied = join(dir, 'shortcuts-all.parquet');
    await duckdbRows(`COPY (${rowsSql(3000)}) TO '${analysed}' (FORMAT parquet)`);
    await duckdbRows(`COPY (${rowsSql(4000)}) TO '${applied}' (FORMAT parquet)`);
    const fn = (inputs: Inputs, tft: Tft) => ({
      s: tft.asString(inputs.u),
      vs: tft.computeAndApplyVocabulary(tft.fillInMissing(tft.asString(inputs.u), ''), {
        topK: 12,
        numOovBuckets: 3,
      }),
      vt: tft.computeAndApplyVocabulary(inputs.t, { numOovBuckets: 4, vocabularyName: 'vt' }),
      vd: tft.computeAndApplyVocabulary(inputs.t, { topK: 3, vocabularyName: 'vd' }),
      b: tft.bucketize(inputs.p, 37),
      // 61 x 61 bucket pairs: an id table too long for a SQL list.
      cell: tft.cross([tft.bucketize(inputs.p, 60), tft.bucketize(inputs.q, 60)], 997),
      l: tft.log1p(inputs.u),
    });
    const raw = [
      { name: 'u', type: 'FLOAT' as const },
      { name: 't', type: 'STRING' as const },
      { name: 'p', type: 'FLOAT' as const },
      { name: 'q', type: 'FLOAT' as const },
    ];
    const { js, sql, batch } = await bothEngines(fn, raw, [analysed]);
    assert.deepEqual(batch, [{ engine: 'duckdb' }]);
    assertSameAnalyzers(js, sql);
    const vt = sql.graph.nodes[sql.graph.outputs.find((o) => o.name === 'vt')!.node];
    assert.ok(vt.op === 'vocabulary');
    const tokens = sql.vocabularies[vt.vocabularyFile];
    assert.ok(tokens.includes("O'Hare"));
    const a = join(dir, 'shortcuts-js.parquet');
    const b = join(dir, 'shortcuts-sql.parquet');
    await transformParquet(sql, [applied], a);
    assert.equal(await transformParquetSql(sql, [applied], b), 4000);
    assert.equal(await assertSameParquet(a, b), 4000);
    // The cases the shortcuts must get right are there: JavaScript's text of large numbers, and
    // tokens out of the vocabulary.
    const text = new Set((await duckdbRows(`SELECT DISTINCT s FROM '${b}'`)).map((r) => r.s));
    for (const t of ['9007199254740992', '1152921504606847000', '1e+21', '1e-7', '0', 'NaN']) {
      assert.ok(text.has(t), `asString gave ${t}`);
    }
    const [{ oov }] = await duckdbRows(
      `SELECT count(*) FILTER (WHERE vt >= ${tokens.length}) AS oov FROM '${b}'`,
    );
    assert.ok(Number(oov) > 0, 'some tokens out of the vocabulary');
  });

  it('a graph SQL cannot compute exactly runs in JavaScript, and says why', async () => {
    const clipped = (inputs: Inputs, tft: Tft) => ({
      y: tft.scaleToZScore(tft.clip(inputs.x, -1, 1)),
    });
    const { js, sql, batch } = await bothEngines(clipped, syntheticRaw, [synthetic]);
    assert.equal(batch.length, 1);
    assert.equal(batch[0].engine, 'javascript');
    assert.match(batch[0].engine === 'javascript' ? batch[0].reason : '', /clip/);
    assert.deepEqual(sql, js);
    await assert.rejects(
      transformParquetSql(js, [synthetic], join(dir, 'no.parquet')),
      NotExpressibleInSql,
    );
    const done = await transformParquetBatch(js, [synthetic], join(dir, 'clip.parquet'));
    assert.equal(done.batch.engine, 'javascript');
    assert.equal(done.rows, 2000);
  });
});
