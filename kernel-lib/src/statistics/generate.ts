import type { DuckDBValue } from '@duckdb/node-api';
import { BucketSqlVisitor, type GroupingKey } from './bucketVisitor';
import { BuildStatsVisitor, type FeatureGroups } from './buildVisitor';
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
  openSource,
  scanRelation,
  type ReadColumn,
  type SourceColumn,
  type StatsSource,
} from './source';
import { type DuckSession, count, openDuckSession, str } from './sql';

/**
 * Computes TFDV's `DatasetFeatureStatisticsList` for one dataset with DuckDB, in two scans:
 *
 * 1. One aggregate pass over the numeric columns (a CSV's text columns are not even parsed): row
 *    count, per feature exact presence counts, mean, standard deviation, zeros, min, max,
 *    NaN/infinity counts, quantiles (exact, or over a uniform random sample of ~131k rows when
 *    there are more: rank error well under 1%) with, when sampled, the sample's distinct count.
 * 2. One GROUPING SETS pass keyed by every feature at once: exact STANDARD histogram bucket
 *    counts (the bucket edges need the first pass's min and max), exact value counts of sampled
 *    numeric features with few distinct values (their quantiles are then exact), and exact string
 *    frequencies, reduced in SQL to the unique count, the most frequent values and, per string
 *    feature, its present count and total byte length.
 *
 * A CSV's column types are known before either scan: CsvExampleGen's reader validates the file
 * and types every value with the one rule (see `describeCsv`).
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
          ? await describeCsv(input.csv)
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
  const first = await firstScan(session, source, kept, points, fraction, options);
  await rescanSpecialValues(session, source, first, points, fraction, options);
  const second = await secondScan(session, source, first, options);
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

type KeptColumn = SourceColumn & { index: number };

/**
 * The first scan, over the numeric columns (read as DOUBLE). DuckDB refuses some aggregates over
 * NaN/infinity (stddev "out of range"): then the whole scan runs again NaN-aware.
 */
async function firstScan(
  session: DuckSession,
  source: StatsSource,
  kept: KeptColumn[],
  points: readonly number[],
  fraction: number | null,
  options: ResolvedStatsOptions,
): Promise<FirstScan> {
  const scanSql = new ScanSqlVisitor();
  const readColumns: ReadColumn[] = kept.map((c) => ({
    index: c.index,
    name: c.name,
    readAs: isNumeric(c.type) ? 'DOUBLE' : 'VARCHAR',
  }));
  const numericColumns = readColumns.filter((c) => c.readAs === 'DOUBLE');
  const relation = scanRelation(source, numericColumns, {
    sampleRate: options.sampleRate,
    quantileSampleFraction: fraction,
  });
  let row: Record<string, DuckDBValue> | undefined;
  for (const nanAware of [false, true]) {
    const aggregates = ['count(*) AS n'];
    for (const c of numericColumns) {
      aggregates.push(
        ...scanSql.visit(
          { name: c.name, index: c.index, type: kept[c.index].type },
          points,
          fraction !== null,
          nanAware,
        ),
      );
    }
    try {
      [row] = await session.rows(`SELECT ${aggregates.join(', ')} FROM (${relation})`);
      break;
    } catch (error) {
      if (nanAware || !/out of range/i.test(error instanceof Error ? error.message : String(error)))
        throw error;
    }
  }
  const numeric = new Map<number, NumericScan>();
  for (const c of numericColumns) numeric.set(c.index, readNumericScan(row!, c.index));
  return {
    numExamples: count(row!.n),
    features: kept.map((c) => ({ name: c.name, index: c.index, type: c.type })),
    readColumns,
    scanned: numericColumns,
    numeric,
  };
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
  const keyed: { feature: FeatureColumn; key: GroupingKey }[] = [];
  for (const feature of first.features) {
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
  // for strings, the present count and total bytes.
  const sql = `
    WITH src AS (SELECT ${keyed.map((k, j) => `${k.key.sql} AS k${j}`).join(', ')} FROM (${scanRelation(source, first.readColumns, { sampleRate: options.sampleRate })})),
    g AS (
      SELECT CASE ${which} END AS col, CASE ${value} END AS val, count(*) AS n
      FROM src GROUP BY GROUPING SETS (${keyed.map((_, j) => `(k${j})`).join(', ')})
    ),
    r AS (
      SELECT col, val, n, count(*) OVER w AS uniq, sum(n) OVER w AS present,
             sum(n * strlen(val)) OVER w AS bytes,
             row_number() OVER (PARTITION BY col ORDER BY n DESC, val DESC) AS rn
      FROM g WHERE val IS NOT NULL WINDOW w AS (PARTITION BY col)
    )
    SELECT col, val, n, uniq, present, bytes FROM r WHERE ${kept} ORDER BY col, rn`;
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
      };
      groups.set(index, entry);
    }
    entry.top.push({ value: str(row.val) ?? '', count: count(row.n) });
  }
  return groups;
}
