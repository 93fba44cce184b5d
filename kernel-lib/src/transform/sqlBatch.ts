import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValueType } from '@tsfx/protocol';
import { sqlIdentifier, sqlString, withDuckDB, type DuckDBSettings } from '../duckdb/withDuckDB';
import {
  finishMeanAndStd,
  finishMinAndMax,
  finishQuantiles,
  finishVocabulary,
  quantileRanks,
  tokenOf,
  type AnalysisPass,
} from './analyze';
import type { LoadedTransformGraph } from './graph';
import type { ReadyAnalyzer } from './analyze';
import { parquetSource } from './rows';
import { compileRelation, type CompiledRelation } from './sql';

/**
 * DuckDB for Transform's batch work: two threads and a memory cap, spilling beyond it to the
 * temporary folder; row order kept only where it matters (the transformed Parquet).
 */
export function transformDuckDB(preserveInsertionOrder: boolean): DuckDBSettings {
  const tempDirectory = join(tmpdir(), 'tsfx-duckdb');
  mkdirSync(tempDirectory, { recursive: true });
  return { threads: 2, memoryLimit: '600MB', tempDirectory, preserveInsertionOrder };
}

async function columnTypes(db: DuckDBConnection, source: string): Promise<Map<string, string>> {
  const rows = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson();
  return new Map(rows.map((row) => [String(row.column_name), String(row.column_type)]));
}

/**
 * The (i/k)-quantiles as exact decimals for DuckDB's `quantile_disc`, which takes a DECIMAL
 * position q at the 1-based rank ceil(n * q) in integer arithmetic: q is i/k rounded down to 20
 * decimal places, close enough that ceil(n * q) = ceil(n * i / k) for any n below 10^20 / k.
 */
function quantilePositions(k: number): string {
  const scale = 10n ** 20n;
  const positions: string[] = [];
  for (let i = 1; i < k; i++) {
    const q = (BigInt(i) * scale) / BigInt(k);
    positions.push(`CAST('0.${q.toString().padStart(20, '0')}' AS DECIMAL(38,20))`);
  }
  return `[${positions.join(', ')}]`;
}

/**
 * An analysis pass in DuckDB over Parquet files: the analyzers' inputs compiled to SQL
 * (`compileRelation`), then one query for every mean, standard deviation, minimum and maximum,
 * one for every vocabulary's counts (ordered and cut by `finishVocabulary`, as in JavaScript) and
 * the bucketizations' exact `quantile_disc`s, several per query, at the ranks the JavaScript
 * analyzer takes. Means and
 * standard deviations are DuckDB's (`avg`, `stddev_pop`), equal to the JavaScript pass's to
 * rounding; every other result is equal exactly.
 */
export function sqlAnalysisPass(
  files: readonly string[],
  settings: DuckDBSettings = transformDuckDB(false),
): { runPass: AnalysisPass } {
  let pass = 0;
  const runPass: AnalysisPass = (partial, ready, nodes) =>
    withDuckDB(async (db) => {
      pass++;
      const source = parquetSource(files);
      const types = await columnTypes(db, source);
      const relation = await compileRelation(
        db,
        partial,
        ready.map((r) => r.arg),
        source,
        types,
        { prefix: `pass${pass}` },
      );
      const from = `FROM (${relation.sql})`;
      const [[rowCount]] = (
        await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${source}`)
      ).getRows();
      const scalars: string[] = [];
      for (const r of ready) {
        const x = relation.ref(r.arg);
        const present = `FILTER (WHERE NOT isnan(${x}))`;
        if (r.spec.kind === 'meanAndStd') {
          scalars.push(
            `CAST(count(${x}) ${present} AS DOUBLE)`,
            `avg(${x}) ${present}`,
            `stddev_pop(${x}) ${present}`,
          );
        } else if (r.spec.kind === 'minAndMax') {
          scalars.push(`min(${x}) ${present}`, `max(${x}) ${present}`);
        }
      }
      const values =
        scalars.length > 0
          ? (await db.runAndReadAll(`SELECT ${scalars.join(', ')} ${from}`)).getRows()[0]
          : [];
      let at = 0;
      const next = (): number => {
        const v = values[at++];
        return v === null ? NaN : Number(v);
      };
      // Every vocabulary's counts in one scan: a grouping set per vocabulary input.
      const vocabularyCounts = new Map<number, Map<string, number>>();
      const counted = ready.filter((r) => r.spec.kind === 'vocabulary');
      if (counted.length > 0) {
        const keys = counted.map((r, j) => `${relation.ref(r.arg)} AS v${j}`);
        const rows = (
          await db.runAndReadAll(
            `SELECT ${counted.map((_, j) => `v${j}, grouping(v${j})`).join(', ')}, count(*)::DOUBLE
             FROM (SELECT ${keys.join(', ')} ${from})
             GROUP BY GROUPING SETS (${counted.map((_, j) => `(v${j})`).join(', ')})`,
          )
        ).getRows();
        counted.forEach((r, j) => {
          const counts = new Map<string, number>();
          for (const row of rows) {
            const value = row[2 * j];
            if (Number(row[2 * j + 1]) !== 0 || value === null) continue;
            const token = tokenOf(value as number | string);
            counts.set(token, (counts.get(token) ?? 0) + Number(row[row.length - 1]));
          }
          vocabularyCounts.set(r.index, counts);
        });
      }
      const boundaries = await quantileBoundaries(db, ready, relation, from, Number(rowCount));
      const vocabularies: Record<string, string[]> = {};
      for (const r of ready) {
        const node = nodes[r.index];
        switch (r.spec.kind) {
          case 'meanAndStd': {
            const count = next();
            const mean = next();
            const std = next();
            finishMeanAndStd(node, count, mean, std);
            break;
          }
          case 'minAndMax': {
            const min = next();
            const max = next();
            finishMinAndMax(
              node,
              Number.isNaN(min) ? Infinity : min,
              Number.isNaN(max) ? -Infinity : max,
            );
            break;
          }
          case 'vocabulary': {
            const tokens = finishVocabulary(node, r.spec, vocabularyCounts.get(r.index)!);
            if (node.op === 'vocabulary') vocabularies[node.vocabularyFile] = tokens;
            break;
          }
          case 'quantiles':
            finishQuantiles(node, r.spec.numBuckets, boundaries.get(r.index) ?? []);
            break;
        }
      }
      return { vocabularies, rows: Number(rowCount) };
    }, settings);
  return { runPass };
}

/** Values the quantile states of one scan may hold (8 bytes each): the scans' memory bound. */
const QUANTILE_VALUES_PER_SCAN = 16_000_000;

/**
 * Every bucketization's boundaries: exact `quantile_disc`s at the JavaScript analyzer's ranks,
 * as many per scan as `QUANTILE_VALUES_PER_SCAN` allows (at least one), each over its present
 * values (FILTER). Analyzers of one bucket or of no present value get no boundaries.
 */
async function quantileBoundaries(
  db: DuckDBConnection,
  ready: ReadyAnalyzer[],
  relation: CompiledRelation,
  from: string,
  rows: number,
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  const wanted = ready.filter((r) => r.spec.kind === 'quantiles' && r.spec.numBuckets > 1);
  const perScan = Math.max(1, Math.floor(QUANTILE_VALUES_PER_SCAN / Math.max(1, rows)));
  for (let at = 0; at < wanted.length; at += perScan) {
    const group = wanted.slice(at, at + perScan);
    const columns = group.flatMap((r) => {
      const x = relation.ref(r.arg);
      const k = r.spec.kind === 'quantiles' ? r.spec.numBuckets : 0;
      const present = `FILTER (WHERE ${x} IS NOT NULL AND NOT isnan(${x}))`;
      return [`count(*) ${present}`, `quantile_disc(${x}, ${quantilePositions(k)}) ${present}`];
    });
    const [values] = (await db.runAndReadAll(`SELECT ${columns.join(', ')} ${from}`)).getRowsJS();
    group.forEach((r, j) => {
      const k = r.spec.kind === 'quantiles' ? r.spec.numBuckets : 0;
      const count = Number(values[2 * j]);
      const list = values[2 * j + 1] as number[] | null;
      if (quantileRanks(count, k).length > 0 && list !== null) out.set(r.index, list.map(Number));
    });
  }
  return out;
}

const SQL_TYPES: Record<ValueType, string> = { INT: 'BIGINT', FLOAT: 'DOUBLE', STRING: 'VARCHAR' };

/**
 * Applies a graph to every row of Parquet files in DuckDB and writes its outputs, rows in input
 * order, as one Parquet file (INT as int64, FLOAT as double, STRING as text): the values
 * `transformParquet` writes, computed by SQL. Throws `NotExpressibleInSql` before writing
 * anything when the graph has an operation the SQL path cannot do exactly.
 */
export async function transformParquetSql(
  loaded: LoadedTransformGraph,
  inputFiles: readonly string[],
  outputFile: string,
  settings: DuckDBSettings = transformDuckDB(true),
): Promise<number> {
  return withDuckDB(async (db) => {
    const source = parquetSource(inputFiles);
    const { outputs } = loaded.graph;
    const relation = await compileRelation(
      db,
      loaded,
      outputs.map((o) => o.node),
      source,
      await columnTypes(db, source),
      { prefix: 'apply' },
    );
    const select = outputs.map((o) => {
      const x = relation.ref(o.node);
      const name = sqlIdentifier(o.name);
      if (o.type !== 'INT') return `CAST(${x} AS ${SQL_TYPES[o.type]}) AS ${name}`;
      // As the JavaScript writer: an INT column takes whole numbers only.
      const error = sqlString(`column ${o.name} (INT) got a non-integer`);
      return `CASE WHEN ${x} IS NULL OR ${x} = floor(${x}) THEN CAST(${x} AS BIGINT) ELSE error(${error}) END AS ${name}`;
    });
    await db.run(
      `COPY (SELECT ${select.join(', ')} FROM (${relation.sql})) TO ${sqlString(outputFile)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const [[count]] = (
      await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM read_parquet(${sqlString(outputFile)})`)
    ).getRows();
    return Number(count);
  }, settings);
}
