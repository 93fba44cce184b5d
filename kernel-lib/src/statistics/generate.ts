import type { DuckDBValue } from '@duckdb/node-api';
import { BucketSqlVisitor } from './bucketVisitor';
import { BuildStatsVisitor } from './buildVisitor';
import type { FeatureColumn, FeatureType } from './featureType';
import { isNumeric } from './featureType';
import {
  hasSpecialValues,
  quantilePoints,
  quantileSampleCondition,
  readNumericScan,
  specialValuesSql,
  type NumericScan,
} from './numeric';
import { ScanSqlVisitor } from './scanVisitor';
import { resolveOptions, type ResolvedStatsOptions, type StatsOptions } from './options';
import type { DatasetFeatureStatisticsList } from './proto';
import { toInt64 } from './proto';
import {
  describeCsv,
  describeParquet,
  estimateRows,
  failedCsvColumn,
  openSource,
  parquetFeatureType,
  scanRelation,
  type ReadAs,
  type ReadColumn,
  type SourceColumn,
  type StatsSource,
} from './source';
import { type DuckSession, count, openDuckSession, str } from './sql';
import {
  csvCastableSql,
  csvIntLiteralSql,
  readStringScan,
  type StringScan,
  type ValueCount,
} from './string';

/**
 * Computes TFDV's `DatasetFeatureStatisticsList` for one dataset with DuckDB, in two scans:
 *
 * 1. One aggregate pass: row count, per feature exact presence counts, mean, standard deviation,
 *    zeros, min, max, NaN/infinity counts, quantiles (exact, or over a deterministic hash
 *    sample of ~131k rows when there are more: rank error well under 1%), string byte
 *    lengths, and, for a CSV, the counts that decide each column's TFX type.
 * 2. One GROUPING SETS pass keyed by every feature at once: exact STANDARD histogram bucket
 *    counts (the bucket edges need the first pass's min and max) and exact string frequencies,
 *    reduced in SQL to the unique count and the most frequent values.
 *
 * Unlike DuckDB's SUMMARIZE, nothing estimates distinct counts of numeric columns and no column
 * is read twice within a pass; memory stays bounded by DuckDB's limit whatever the row count.
 */

export type StatsInput = string | { csv: string } | { parquet: string[] };

export async function generateStatistics(
  input: StatsInput,
  options: StatsOptions = {},
): Promise<DatasetFeatureStatisticsList> {
  const resolved = resolveOptions(options);
  const session = await openDuckSession({ memoryLimit: resolved.memoryLimit });
  try {
    const source =
      typeof input === 'string'
        ? await openSource(session, input)
        : 'csv' in input
          ? await describeCsv(session, input.csv)
          : await describeParquet(session, input.parquet);
    return await computeStatistics(session, source, resolved);
  } finally {
    session.close();
  }
}

interface FirstScan {
  numExamples: number;
  features: FeatureColumn[];
  readColumns: ReadColumn[];
  numeric: Map<number, NumericScan>;
  strings: Map<number, StringScan>;
}

async function computeStatistics(
  session: DuckSession,
  source: StatsSource,
  options: ResolvedStatsOptions,
): Promise<DatasetFeatureStatisticsList> {
  const excluded = new Set(options.excludedFeatures);
  const kept = source.columns
    .filter((c) => !excluded.has(c.name))
    .map((c, index) => ({ ...c, index }));
  const points = quantilePoints(options.numQuantilesHistogramBuckets);
  const estimated = await estimateRows(session, source);
  const quantileSample = quantileSampleCondition(estimated * (options.sampleRate ?? 1));
  const first = await firstScan(session, source, kept, points, quantileSample, options);
  await rescanSpecialValues(session, source, first, points, quantileSample, options);
  const groups = await secondScan(session, source, first, options);
  const context = {
    numExamples: first.numExamples,
    options,
    quantilePoints: points,
    numeric: first.numeric,
    strings: first.strings,
    groups,
  };
  return {
    datasets: [
      {
        name: options.datasetName,
        numExamples: toInt64(first.numExamples),
        features: new BuildStatsVisitor().visitMany(first.features, context),
      },
    ],
  };
}

type KeptColumn = SourceColumn & { index: number };

/**
 * The first scan. Parquet columns have their types. A CSV is read with DuckDB's sniffed types
 * (integers read as DOUBLE), and the scan also takes the counts that settle TFX's type over the
 * whole file: a column of integers with any value that is not an int64 literal is FLOAT; a text
 * column whose values all parse as numbers is numeric after all (read again as numbers); a
 * numeric column with a non-number further down fails to parse and is read again as text.
 */
async function firstScan(
  session: DuckSession,
  source: StatsSource,
  kept: KeptColumn[],
  points: readonly number[],
  quantileSample: string,
  options: ResolvedStatsOptions,
): Promise<FirstScan> {
  const readAs = new Map<number, ReadAs>();
  for (const c of kept) {
    const type =
      source.kind === 'parquet' ? parquetFeatureType(c.storageType) : csvSniffedType(c.storageType);
    readAs.set(
      c.index,
      type === 'STRING'
        ? 'VARCHAR'
        : type === 'INT' && source.kind === 'csv'
          ? 'INT_TEXT'
          : 'DOUBLE',
    );
  }
  const scanSql = new ScanSqlVisitor();
  // DuckDB refuses some aggregates over NaN/infinity (stddev "out of range"): then the whole scan
  // runs NaN-aware.
  let nanAware = false;
  for (let attempt = 0; ; attempt++) {
    const readColumns = kept.map((c) => ({
      index: c.index,
      name: c.name,
      readAs: readAs.get(c.index)!,
    }));
    const aggregates = ['count(*) AS n'];
    for (const c of readColumns) {
      const provisional: FeatureType =
        c.readAs === 'VARCHAR' ? 'STRING' : c.readAs === 'INT_TEXT' ? 'INT' : 'FLOAT';
      aggregates.push(
        ...scanSql.visit({ ...c, type: provisional }, points, quantileSample, nanAware),
      );
      if (source.kind !== 'csv') continue;
      if (c.readAs === 'INT_TEXT') aggregates.push(...csvIntLiteralSql(c.index));
      if (provisional === 'STRING') aggregates.push(csvCastableSql(c.index));
    }
    const relation = scanRelation(source, readColumns, {
      sampleRate: options.sampleRate,
      withHash: quantileSample !== '',
    });
    let row: Record<string, DuckDBValue>;
    try {
      [row] = await session.rows(`SELECT ${aggregates.join(', ')} FROM (${relation})`);
    } catch (error) {
      if (
        !nanAware &&
        /out of range/i.test(error instanceof Error ? error.message : String(error))
      ) {
        nanAware = true;
        continue;
      }
      const column = failedCsvColumn(error);
      const failed = kept.find((c) => c.name === column);
      if (
        source.kind !== 'csv' ||
        !failed ||
        readAs.get(failed.index) === 'VARCHAR' ||
        attempt > kept.length
      )
        throw error;
      readAs.set(failed.index, 'VARCHAR');
      continue;
    }
    // Text columns whose every value is a number: numeric after all (INT or FLOAT: read again).
    let retyped = false;
    for (const c of readColumns) {
      if (source.kind !== 'csv' || c.readAs !== 'VARCHAR') continue;
      const present = count(row[`ns${c.index}`]);
      if (present > 0 && count(row[`cast${c.index}`]) === present) {
        readAs.set(c.index, 'INT_TEXT');
        retyped = true;
      }
      // A possible integer column with a value that is not a number: text after all.
    }
    for (const c of readColumns) {
      if (c.readAs !== 'INT_TEXT') continue;
      if (count(row[`ns${c.index}`]) !== count(row[`nv${c.index}`])) {
        readAs.set(c.index, 'VARCHAR');
        retyped = true;
      }
    }
    if (retyped && attempt <= kept.length) continue;

    const numeric = new Map<number, NumericScan>();
    const strings = new Map<number, StringScan>();
    const features = readColumns.map((c): FeatureColumn => {
      if (c.readAs === 'VARCHAR') {
        strings.set(c.index, readStringScan(row, c.index));
        return { name: c.name, index: c.index, type: 'STRING' };
      }
      const scan = readNumericScan(row, c.index);
      numeric.set(c.index, scan);
      let type: FeatureType;
      if (source.kind === 'parquet') type = parquetFeatureType(kept[c.index].storageType);
      else if (scan.numValues === 0) type = 'STRING';
      else
        type =
          c.readAs === 'INT_TEXT' && count(row[`badi${c.index}`]) === 0 && !hasSpecialValues(scan)
            ? 'INT'
            : 'FLOAT';
      if (type === 'STRING') strings.set(c.index, { numValues: 0, totalBytes: 0 });
      return { name: c.name, index: c.index, type };
    });
    return { numExamples: count(row.n), features, readColumns, numeric, strings };
  }
}

function csvSniffedType(storageType: string): FeatureType {
  const t = storageType.toUpperCase();
  return t === 'BIGINT' ? 'INT' : t === 'DOUBLE' ? 'FLOAT' : 'STRING';
}

/** Features holding NaN or infinities get their numeric statistics again, NaN-aware. */
async function rescanSpecialValues(
  session: DuckSession,
  source: StatsSource,
  first: FirstScan,
  points: readonly number[],
  quantileSample: string,
  options: ResolvedStatsOptions,
): Promise<void> {
  const special = first.features.filter((f) => {
    const scan = first.numeric.get(f.index);
    return isNumeric(f.type) && scan !== undefined && !scan.nanAware && hasSpecialValues(scan);
  });
  if (special.length === 0) return;
  const relation = scanRelation(source, first.readColumns, {
    sampleRate: options.sampleRate,
    withHash: quantileSample !== '',
  });
  const aggregates = special.flatMap((f) => specialValuesSql(f.index, points, quantileSample));
  const [row] = await session.rows(`SELECT ${aggregates.join(', ')} FROM (${relation})`);
  for (const f of special) first.numeric.set(f.index, readNumericScan(row, f.index));
}
async function secondScan(
  session: DuckSession,
  source: StatsSource,
  first: FirstScan,
  options: ResolvedStatsOptions,
): Promise<Map<number, { unique: number; top: ValueCount[] }>> {
  const visitor = new BucketSqlVisitor();
  const keyed: { feature: FeatureColumn; key: string }[] = [];
  for (const feature of first.features) {
    const key = visitor.visit(feature, {
      numeric: first.numeric,
      numHistogramBuckets: options.numHistogramBuckets,
    });
    if (key !== null) keyed.push({ feature, key });
  }
  const groups = new Map<number, { unique: number; top: ValueCount[] }>();
  if (keyed.length === 0) return groups;
  const limit = Math.max(
    options.numTopValues,
    options.numRankHistogramBuckets,
    options.numHistogramBuckets + 1,
  );
  const which = keyed.map((_, j) => `WHEN GROUPING(k${j}) = 0 THEN ${j}`).join(' ');
  const value = keyed
    .map((_, j) => `WHEN GROUPING(k${j}) = 0 THEN CAST(k${j} AS VARCHAR)`)
    .join(' ');
  const sql = `
    WITH src AS (SELECT ${keyed.map((k, j) => `${k.key} AS k${j}`).join(', ')} FROM (${scanRelation(source, secondReadColumns(first, options), { sampleRate: options.sampleRate })})),
    g AS (
      SELECT CASE ${which} END AS col, CASE ${value} END AS val, count(*) AS n
      FROM src GROUP BY GROUPING SETS (${keyed.map((_, j) => `(k${j})`).join(', ')})
    ),
    r AS (
      SELECT col, val, n, count(*) OVER (PARTITION BY col) AS uniq,
             row_number() OVER (PARTITION BY col ORDER BY n DESC, val DESC) AS rn
      FROM g WHERE val IS NOT NULL
    )
    SELECT col, val, n, uniq FROM r WHERE rn <= ${limit} ORDER BY col, rn`;
  for (const row of await session.rows(sql)) {
    const j = count(row.col);
    const index = keyed[j].feature.index;
    let entry = groups.get(index);
    if (!entry) {
      entry = { unique: count(row.uniq), top: [] };
      groups.set(index, entry);
    }
    entry.top.push({ value: str(row.val) ?? '', count: count(row.n) });
  }
  return groups;
}

/**
 * How the second scan reads: integer columns, already checked, as plain numbers, unless rows
 * are sampled (then exactly as the first scan read them, so the row hash picks the same rows).
 */
function secondReadColumns(first: FirstScan, options: ResolvedStatsOptions): ReadColumn[] {
  const sampled = options.sampleRate !== undefined && options.sampleRate < 1;
  return first.readColumns.map((c) =>
    c.readAs === 'INT_TEXT' && !sampled ? { ...c, readAs: 'DOUBLE' } : c,
  );
}
