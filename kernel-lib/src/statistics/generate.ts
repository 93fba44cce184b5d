import type { DuckDBValue } from '@duckdb/node-api';
import { BucketSqlVisitor, type GroupingKey } from './bucketVisitor';
import { BuildStatsVisitor, type FeatureGroups } from './buildVisitor';
import type { ValueType } from '@tsfx/protocol';
import type { FeatureColumn } from './featureType';
import { isNumeric } from './featureType';
import {
  hasSpecialValues,
  quantilePoints,
  quantileSampleFraction,
  readNumericScan,
  specialValuesSql,
  type NumericScan,
} from './numeric';
import { ScanSqlVisitor } from './scanVisitor';
import { resolveOptions, type ResolvedStatsOptions, type StatsOptions } from './options';
import {
  check,
  DatasetFeatureStatisticsListSchema,
  type DatasetFeatureStatisticsList,
  type DatasetFeatureStatisticsListJson,
} from '@tsfx/protocol';
import { toInt64 } from '@tsfx/protocol';
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
import { csvIntLiteralSql } from './string';

/**
 * Computes TFDV's `DatasetFeatureStatisticsList` for one dataset with DuckDB, in two scans:
 *
 * 1. One aggregate pass over the numeric columns (a CSV's text columns are not even parsed): row
 *    count, per feature exact presence counts, mean, standard deviation, zeros, min, max,
 *    NaN/infinity counts, quantiles (exact, or over a uniform random sample of ~131k rows when
 *    there are more: rank error well under 1%) with, when sampled, the sample's distinct count,
 *    and, for a CSV, the counts that decide whether a column of integers is INT (a text equal to
 *    its value's canonical BIGINT form settles most values with one cast).
 * 2. One GROUPING SETS pass keyed by every feature at once: exact STANDARD histogram bucket
 *    counts (the bucket edges need the first pass's min and max), exact value counts of sampled
 *    numeric features with few distinct values (their quantiles are then exact), and exact string
 *    frequencies, reduced in SQL to the unique count, the most frequent values and, per string
 *    feature, its present count, total byte length and (CSV) how many of its values parse as
 *    numbers.
 *
 * A CSV text column whose every value is a number is numeric to TFX: then both passes run again
 * with it read as a number (DuckDB's sniffer only rarely leaves such a column as text).
 * Unlike DuckDB's SUMMARIZE, every count reported is exact and no column
 * is read twice within a pass; memory stays bounded by DuckDB's limit whatever the row count.
 * Everything is the same every run but sampled quantiles of features with many distinct values
 * (and the last digits of means, summed in parallel).
 */

export type StatsInput = string | { csv: string } | { parquet: string[] };

/** The statistics as read: every field at its value (proto3 defaults filled in). */
export async function generateStatistics(
  input: StatsInput,
  options: StatsOptions = {},
): Promise<DatasetFeatureStatisticsList> {
  const json = await generateStatisticsJson(input, options);
  return check(DatasetFeatureStatisticsListSchema, json, 'statistics');
}

/** The statistics as written to FeatureStats.json: proto3 JSON, fields at their default omitted. */
export async function generateStatisticsJson(
  input: StatsInput,
  options: StatsOptions = {},
): Promise<DatasetFeatureStatisticsListJson> {
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
  /** The columns the scan read (the numeric ones), as it read them. */
  scanned: ReadColumn[];
  numeric: Map<number, NumericScan>;
}

async function computeStatistics(
  session: DuckSession,
  source: StatsSource,
  options: ResolvedStatsOptions,
): Promise<DatasetFeatureStatisticsListJson> {
  const excluded = new Set(options.excludedFeatures);
  const kept = source.columns
    .filter((c) => !excluded.has(c.name))
    .map((c, index) => ({ ...c, index }));
  const points = quantilePoints(options.numQuantilesHistogramBuckets);
  const estimated = await estimateRows(session, source);
  const fraction = quantileSampleFraction(estimated * (options.sampleRate ?? 1));
  const readAs = initialReadAs(source, kept);
  for (let attempt = 0; ; attempt++) {
    const first = await firstScan(session, source, kept, readAs, points, fraction, options);
    await rescanSpecialValues(session, source, first, points, fraction, options);
    const second = await secondScan(session, source, first, options);
    // A CSV text column whose every value is a number is numeric after all: read it again so.
    const numbersOnly = first.features.filter((f) => {
      const s = second.get(f.index);
      return (
        source.kind === 'csv' &&
        readAs.get(f.index) === 'VARCHAR' &&
        s !== undefined &&
        s.numValues > 0 &&
        s.castable === s.numValues
      );
    });
    if (numbersOnly.length > 0 && attempt <= kept.length) {
      for (const f of numbersOnly) readAs.set(f.index, 'INT_TEXT');
      continue;
    }
    const context = {
      numExamples: first.numExamples,
      options,
      quantilePoints: points,
      numeric: first.numeric,
      groups: second,
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
}

type KeptColumn = SourceColumn & { index: number };

/** How each column is read at first: Parquet's types; for a CSV, DuckDB's sniffed ones. */
function initialReadAs(source: StatsSource, kept: KeptColumn[]): Map<number, ReadAs> {
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
  return readAs;
}

/**
 * The first scan, over the numeric columns. Parquet columns have their types. A CSV is read with
 * DuckDB's sniffed types (integers as text and DOUBLE), and the scan also takes the counts that
 * settle TFX's type over the whole file: a column of integers with any value that is not an
 * int64 literal is FLOAT, and text if any value is not a number; a numeric column with a
 * non-number further down fails to parse and is read again as text. `readAs` is updated.
 */
async function firstScan(
  session: DuckSession,
  source: StatsSource,
  kept: KeptColumn[],
  readAs: Map<number, ReadAs>,
  points: readonly number[],
  fraction: number | null,
  options: ResolvedStatsOptions,
): Promise<FirstScan> {
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
    const numericColumns = readColumns.filter((c) => c.readAs !== 'VARCHAR');
    const aggregates = ['count(*) AS n'];
    for (const c of numericColumns) {
      const provisional: ValueType = c.readAs === 'INT_TEXT' ? 'INT' : 'FLOAT';
      aggregates.push(
        ...scanSql.visit({ ...c, type: provisional }, points, fraction !== null, nanAware),
      );
      if (c.readAs === 'INT_TEXT') aggregates.push(...csvIntLiteralSql(c.index));
    }
    const relation = scanRelation(source, numericColumns, {
      sampleRate: options.sampleRate,
      quantileSampleFraction: fraction,
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
    // A possible integer column with a value that is not a number: text. Nothing else in this
    // scan depends on it (the second scan counts its values), so the scan need not run again.
    for (const c of numericColumns) {
      if (c.readAs === 'INT_TEXT' && count(row[`ns${c.index}`]) !== count(row[`nv${c.index}`]))
        readAs.set(c.index, 'VARCHAR');
    }

    const numeric = new Map<number, NumericScan>();
    const features = readColumns.map((c): FeatureColumn => {
      if (readAs.get(c.index) === 'VARCHAR')
        return { name: c.name, index: c.index, type: 'STRING' };
      const scan = readNumericScan(row, c.index);
      numeric.set(c.index, scan);
      let type: ValueType;
      if (source.kind === 'parquet') type = parquetFeatureType(kept[c.index].storageType);
      else if (scan.numValues === 0) type = 'STRING';
      else
        type =
          c.readAs === 'INT_TEXT' && count(row[`badi${c.index}`]) === 0 && !hasSpecialValues(scan)
            ? 'INT'
            : 'FLOAT';
      return { name: c.name, index: c.index, type };
    });
    return {
      numExamples: count(row.n),
      features,
      readColumns: readColumns.map((c) => ({ ...c, readAs: readAs.get(c.index)! })),
      scanned: numericColumns,
      numeric,
    };
  }
}

function csvSniffedType(storageType: string): ValueType {
  const t = storageType.toUpperCase();
  return t === 'BIGINT' ? 'INT' : t === 'DOUBLE' ? 'FLOAT' : 'STRING';
}

/** Features holding NaN or infinities get their numeric statistics again, NaN-aware. */
async function rescanSpecialValues(
  session: DuckSession,
  source: StatsSource,
  first: FirstScan,
  points: readonly number[],
  fraction: number | null,
  options: ResolvedStatsOptions,
): Promise<void> {
  const special = first.features.filter((f) => {
    const scan = first.numeric.get(f.index);
    return isNumeric(f.type) && scan !== undefined && !scan.nanAware && hasSpecialValues(scan);
  });
  if (special.length === 0) return;
  // Read as the first scan read; these features' quantiles come from this scan's own sample.
  const relation = scanRelation(source, first.scanned, {
    sampleRate: options.sampleRate,
    quantileSampleFraction: fraction,
  });
  const aggregates = special.flatMap((f) => specialValuesSql(f.index, points, fraction !== null));
  const [row] = await session.rows(`SELECT ${aggregates.join(', ')} FROM (${relation})`);
  for (const f of special) first.numeric.set(f.index, readNumericScan(row, f.index));
}

async function secondScan(
  session: DuckSession,
  source: StatsSource,
  first: FirstScan,
  options: ResolvedStatsOptions,
): Promise<Map<number, FeatureGroups>> {
  const visitor = new BucketSqlVisitor();
  const readAs = new Map(first.readColumns.map((c) => [c.index, c.readAs]));
  const keyed: { feature: FeatureColumn; key: GroupingKey }[] = [];
  for (const feature of first.features) {
    // A numeric column with no value at all is STRING to TFX, with nothing to count.
    if (feature.type === 'STRING' && readAs.get(feature.index) !== 'VARCHAR') continue;
    const key = visitor.visit(feature, {
      numeric: first.numeric,
      numHistogramBuckets: options.numHistogramBuckets,
    });
    if (key !== null) keyed.push({ feature, key });
  }
  const groups = new Map<number, FeatureGroups>();
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
  const everyGroup = keyed.flatMap((k, j) => (k.key.everyGroup ? [j] : []));
  const kept =
    everyGroup.length > 0
      ? `rn <= ${limit} OR col IN (${everyGroup.join(', ')})`
      : `rn <= ${limit}`;
  // Per feature over its groups (one row per distinct value, not per row): the unique count and,
  // for strings, the present count, total bytes and how many values parse as numbers.
  const sql = `
    WITH src AS (SELECT ${keyed.map((k, j) => `${k.key.sql} AS k${j}`).join(', ')} FROM (${scanRelation(source, secondReadColumns(first, options), { sampleRate: options.sampleRate })})),
    g AS (
      SELECT CASE ${which} END AS col, CASE ${value} END AS val, count(*) AS n
      FROM src GROUP BY GROUPING SETS (${keyed.map((_, j) => `(k${j})`).join(', ')})
    ),
    r AS (
      SELECT col, val, n, count(*) OVER w AS uniq, sum(n) OVER w AS present,
             sum(n * strlen(val)) OVER w AS bytes,
             sum(CASE WHEN TRY_CAST(val AS DOUBLE) IS NOT NULL THEN n ELSE 0 END) OVER w AS castable,
             row_number() OVER (PARTITION BY col ORDER BY n DESC, val DESC) AS rn
      FROM g WHERE val IS NOT NULL WINDOW w AS (PARTITION BY col)
    )
    SELECT col, val, n, uniq, present, bytes, castable FROM r WHERE ${kept} ORDER BY col, rn`;
  for (const row of await session.rows(sql)) {
    const j = count(row.col);
    const index = keyed[j].feature.index;
    let entry = groups.get(index);
    if (!entry) {
      entry = {
        unique: count(row.uniq),
        top: [],
        numValues: count(row.present),
        totalBytes: count(row.bytes),
        castable: count(row.castable),
      };
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
