import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NUMBER_NOISE, type ValueType } from '@tsfx/protocol';
import { readCsvColumns } from '../csv/splitCsv';
import { TsfxError } from '../errors';
import { type DuckSession, ident, literal, str } from './sql';

/**
 * Where the rows come from. Both kinds give DuckDB a relation that projects every kept column
 * `i` as `s<i>` (its text, VARCHAR) or `v<i>` (its value as DOUBLE), optionally sampled.
 *
 * - Parquet (a split of an Examples artifact): the column types are the file's
 *   (BIGINT → INT, DOUBLE → FLOAT, VARCHAR → STRING, as CsvExampleGen writes them).
 * - CSV: validated and typed by the reader CsvExampleGen uses (`readCsvColumns`: the one value-type
 *   rule over every row), and its numbers read as CsvExampleGen reads them, so a CSV's statistics
 *   have the types and values of the Examples it would become.
 */

export type SourceKind = 'csv' | 'parquet';

export interface SourceColumn {
  name: string;
  type: ValueType;
  /** A CSV column of numbers some written with whitespace or underscores: read as cleaned text. */
  needsNormalizing?: boolean;
}

export interface StatsSource {
  kind: SourceKind;
  /** The CSV file, or the Parquet files. */
  files: string[];
  columns: SourceColumn[];
}

// Everything but the column types is fixed: DuckDB's sniffer must not guess a skip count or padding
// (it would read a ragged file as some other table); a malformed file is an error. Read buffers of
// 4 MiB instead of DuckDB's 32 MiB: each thread holds several, and they lie outside memory_limit
// (peak RSS ~250 MB instead of ~370 MB at 2M rows, no slower).
const CSV_OPTIONS = `header = true, skip = 0, delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false, buffer_size = 4194304`;

/** Resolves a path: a `.csv` file, a `.parquet` file, or a directory of Parquet files. */
export async function openSource(session: DuckSession, path: string): Promise<StatsSource> {
  if (!existsSync(path)) throw new TsfxError(`${path}: no such file or directory`);
  if (statSync(path).isDirectory()) {
    const files = listParquet(path);
    if (files.length === 0) throw new TsfxError(`${path}: no .parquet files in this directory`);
    return describeParquet(session, files);
  }
  if (/\.parquet$/i.test(path)) return describeParquet(session, [path]);
  return describeCsv(path);
}

/** The Parquet files of a directory (recursively), sorted. */
export function listParquet(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.parquet')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export async function describeCsv(file: string): Promise<StatsSource> {
  const read = await readCsvColumns([file]);
  return {
    kind: 'csv',
    files: [file],
    columns: read.columns.map((name, i) => ({
      name,
      type: read.types[i],
      needsNormalizing: read.needsNormalizing[i],
    })),
  };
}

export async function describeParquet(session: DuckSession, files: string[]): Promise<StatsSource> {
  const rows = await session.rows(`DESCRIBE SELECT * FROM read_parquet(${fileList(files)})`);
  return {
    kind: 'parquet',
    files,
    columns: rows.map((r) => ({
      name: str(r.column_name) ?? '',
      type: parquetFeatureType(str(r.column_type) ?? 'VARCHAR'),
    })),
  };
}

/** The feature type a Parquet column's storage type maps to. */
export function parquetFeatureType(storageType: string): ValueType {
  const t = storageType.toUpperCase();
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|BOOLEAN)$/.test(
      t,
    )
  )
    return 'INT';
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return 'FLOAT';
  return 'STRING';
}

function fileList(files: string[]): string {
  return `[${files.map(literal).join(', ')}]`;
}

/** `WHERE` clause keeping a deterministic `rate` share of the rows (by a hash of the row). */
function sampleFilter(rate: number | undefined): string {
  if (rate === undefined || rate >= 1) return '';
  const threshold = Math.max(0, Math.round(rate * 1_000_000));
  return ` WHERE (hash(t) % 1000000) < ${threshold}`;
}

/** How a column is read: as its value (`v<i>`, DOUBLE) or as its text (`s<i>`, VARCHAR). */
export type ReadAs = 'DOUBLE' | 'VARCHAR';

export interface ReadColumn {
  index: number;
  name: string;
  readAs: ReadAs;
}

export interface RelationOptions {
  sampleRate?: number;
  /** Also project `smp`, true for a random share of the rows: those quantiles are computed over. */
  quantileSampleFraction?: number | null;
}

/**
 * The rows as DuckDB reads them for a scan: numeric columns projected as `v<i>` (DOUBLE), text
 * columns as `s<i>` (VARCHAR). A CSV is parsed with the same types in every scan, as CsvExampleGen
 * reads it (INT as BIGINT, FLOAT as DOUBLE, numbers with whitespace or underscores as text cleaned
 * of them, the rest as VARCHAR), so both scans read, hash and sample the same rows the same way.
 */
export function scanRelation(
  source: StatsSource,
  columns: readonly ReadColumn[],
  options: RelationOptions = {},
): string {
  const byName = new Map(source.columns.map((c) => [c.name, c]));
  const parts = columns.map((c) => {
    const col = ident(c.name);
    if (c.readAs === 'VARCHAR') return `CAST(${col} AS VARCHAR) AS s${c.index}`;
    const column = byName.get(c.name);
    // An INT is an integer first (int('-0') is 0, not -0.0), as in CsvExampleGen's Parquet.
    const number = column?.type === 'INT' ? 'BIGINT' : 'DOUBLE';
    if (column?.needsNormalizing)
      return `CAST(CAST(regexp_replace(${col}, ${literal(NUMBER_NOISE)}, '', 'g') AS ${number}) AS DOUBLE) AS v${c.index}`;
    return `CAST(${col} AS DOUBLE) AS v${c.index}`;
  });
  let from: string;
  if (source.kind === 'csv') {
    const readAs = (c: SourceColumn): string =>
      c.type === 'STRING' || c.needsNormalizing
        ? 'VARCHAR'
        : c.type === 'INT'
          ? 'BIGINT'
          : 'DOUBLE';
    const types = source.columns.map((c) => `${literal(c.name)}: ${literal(readAs(c))}`).join(', ');
    from = `read_csv(${literal(source.files[0])}, ${CSV_OPTIONS}, types = {${types}})`;
  } else {
    from = `read_parquet(${fileList(source.files)})`;
  }
  // Per row, independently (identical rows too); unlike a row hash, no column but the scanned
  // ones has to be parsed.
  const fraction = options.quantileSampleFraction;
  if (fraction !== undefined && fraction !== null) parts.push(`random() < ${fraction} AS smp`);
  return `SELECT ${parts.join(', ') || '1 AS one'} FROM ${from} AS t${sampleFilter(options.sampleRate)}`;
}

/**
 * About how many rows the source has, cheaply: Parquet's row count from its metadata; for a CSV,
 * the file size over the mean line length of its first MiB.
 */
export async function estimateRows(session: DuckSession, source: StatsSource): Promise<number> {
  if (source.kind === 'parquet') {
    const [row] = await session.rows(
      `SELECT count(*) AS n FROM read_parquet(${fileList(source.files)})`,
    );
    return Number(row.n);
  }
  const file = source.files[0];
  const size = statSync(file).size;
  const head = Buffer.alloc(Math.min(size, 1 << 20));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  let lines = 0;
  for (let i = head.indexOf(10); i !== -1; i = head.indexOf(10, i + 1)) lines++;
  if (lines === 0) return 1;
  return Math.ceil((size / head.length) * lines);
}
