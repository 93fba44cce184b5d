import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { splitUri } from '../artifacts/splits';
import { scanCsv } from '../csv/scanCsv';
import { ValueTypeInference, type ValueType } from '@tsfx/protocol';
import { sqlIdentifier, sqlString, withDuckDB } from '../duckdb/withDuckDB';
import { InputError, TsfxError } from '../errors';
import { Component, type ExecutorContext } from '../pipeline/Component';

/** A split and its share: TFX's `SplitConfig` with `hash_buckets`. */
export type SplitSpec = {
  name: string;
  hashBuckets: number;
};

export type CsvExampleGenParameters = {
  /** A CSV file, or a folder whose `*.csv` files are all read (they must share one header). */
  inputBase: string;
  /** Default: train 2 buckets, eval 1 bucket (2:1), as TFX. */
  splits: SplitSpec[];
};

export const DEFAULT_SPLITS: SplitSpec[] = [
  { name: 'train', hashBuckets: 2 },
  { name: 'eval', hashBuckets: 1 },
];

/**
 * Ingests CSV into an Examples artifact. Two passes over the input, neither holding it in memory:
 * the first (ours) validates the CSV, refusing bad input with its file, line and column, and infers
 * column types the way TFX's CSV decoder does; the second (DuckDB) re-reads the now-known-good
 * files with those types and streams each split to Parquet. A row's split is decided by a hash of
 * its content (DuckDB's `hash()` of the row's fields, stable for the pinned DuckDB version), so
 * the same rows always land in the same splits, whatever their order or how often they are read.
 */
export class CsvExampleGen extends Component<CsvExampleGenParameters> {
  readonly type = 'CsvExampleGen';

  constructor(options: { inputBase: string; splits?: SplitSpec[] }) {
    const splits = options.splits ?? DEFAULT_SPLITS;
    validateSplits(splits);
    super({
      inputs: {},
      outputs: { examples: 'Examples' },
      parameters: { inputBase: resolve(options.inputBase), splits },
    });
  }

  /**
   * The input files' names, sizes and modification times (TFX fingerprints its input the same
   * way), so that changed data misses the cache without reading the files on every run.
   */
  override async fingerprint(): Promise<Record<string, string>> {
    const hash = createHash('sha256');
    for (const file of listCsvFiles(this.parameters.inputBase)) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${file}\0${size}\0${mtimeMs}\0`);
    }
    return { inputFiles: hash.digest('hex') };
  }

  async execute({
    outputs,
    parameters,
    log,
    signal,
  }: ExecutorContext<CsvExampleGenParameters>): Promise<void> {
    const files = listCsvFiles(parameters.inputBase);
    log(`reading ${files.length} CSV file(s) under ${parameters.inputBase}`);
    const scanned = await inferCsvColumns(files, signal);
    const { columns, types, numRows } = scanned;
    log(
      `${numRows} rows, ${columns.length} columns: ${columns.map((c, i) => `${c}:${types[i]}`).join(', ')}`,
    );

    const examples = outputs.examples;
    const counts = await writeSplits(files, scanned, parameters.splits, examples.uri);
    const written = Object.values(counts).reduce((a, b) => a + b, 0);
    if (written !== numRows) {
      throw new TsfxError(
        `CsvExampleGen wrote ${written} rows but read ${numRows}: the input changed while it was read`,
      );
    }
    examples.properties = {
      split_names: JSON.stringify(parameters.splits.map((s) => s.name)),
      row_counts: JSON.stringify(counts),
      file_format: 'parquet',
    };
    log(parameters.splits.map((s) => `${s.name}: ${counts[s.name]} rows`).join(', '));
  }
}

function validateSplits(splits: SplitSpec[]): void {
  if (splits.length === 0) throw new TsfxError('CsvExampleGen needs at least one split');
  const names = new Set<string>();
  for (const split of splits) {
    if (!/^[\w.-]+$/.test(split.name))
      throw new TsfxError(`split name "${split.name}" must hold only letters, digits, _ . -`);
    if (names.has(split.name)) throw new TsfxError(`split name "${split.name}" is given twice`);
    names.add(split.name);
    if (!Number.isInteger(split.hashBuckets) || split.hashBuckets < 1) {
      throw new TsfxError(`split "${split.name}" needs a whole number of hash buckets >= 1`);
    }
  }
}

/** One CSV file, or every `*.csv` file directly in a folder, sorted by name. */
export function listCsvFiles(inputBase: string): string[] {
  let stat;
  try {
    stat = statSync(inputBase);
  } catch {
    throw new TsfxError(`input ${inputBase} does not exist`);
  }
  if (stat.isFile()) return [inputBase];
  const files = readdirSync(inputBase)
    .filter((name) => name.toLowerCase().endsWith('.csv'))
    .sort()
    .map((name) => join(inputBase, name))
    .filter((file) => statSync(file).isFile());
  if (files.length === 0) throw new TsfxError(`no CSV files (*.csv) in ${inputBase}`);
  return files;
}

export interface CsvColumns {
  columns: string[];
  types: ValueType[];
  numRows: number;
  /** Per column: some numeric value carries whitespace or underscores to strip before casting. */
  needsNormalizing: boolean[];
  /** The longest record in UTF-16 units. */
  maxRecordLength: number;
}

/** Pass one: validates every file and infers column types. */
export async function inferCsvColumns(files: string[], signal?: AbortSignal): Promise<CsvColumns> {
  let header: string[] | null = null;
  let inference: ValueTypeInference | null = null;
  let numRows = 0;
  let maxRecordLength = 0;
  for (const file of files) {
    const result = await scanCsv(file, {
      onHeader(columns) {
        if (header === null) {
          header = [...columns];
          inference = new ValueTypeInference(columns.length);
        } else if (columns.join('\u0000') !== header.join('\u0000')) {
          throw new InputError(file, 1, 1, `header differs from the header of ${files[0]}`);
        }
      },
      onRecord(fields) {
        inference!.observe(fields);
      },
    });
    numRows += result.numRecords;
    maxRecordLength = Math.max(maxRecordLength, result.maxRecordLength);
    if (signal?.aborted) throw new TsfxError('interrupted');
  }
  return {
    columns: header!,
    types: inference!.types(),
    numRows,
    needsNormalizing: inference!.needsNormalizing,
    maxRecordLength,
  };
}

/** Pass two: each split streamed to `<uri>/Split-<name>/data.parquet`; returns rows per split. */
async function writeSplits(
  files: string[],
  { columns, types, needsNormalizing, maxRecordLength }: CsvColumns,
  splits: SplitSpec[],
  uri: string,
): Promise<Record<string, number>> {
  // DuckDB refuses lines longer than max_line_size (default 2 MB); a UTF-16 unit is at most 3 bytes.
  const maxLineSize = Math.max(2 << 20, maxRecordLength * 3 + 1024);
  const totalBuckets = splits.reduce((a, s) => a + s.hashBuckets, 0);
  const names = columns.map((_, i) => `c${i}`);
  const readColumns = `{${names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ')}}`;
  const source = `read_csv([${files.map(sqlString).join(', ')}], header = true, auto_detect = false,
    columns = ${readColumns}, delim = ',', quote = '"', escape = '"', strict_mode = true,
    max_line_size = ${maxLineSize}, buffer_size = ${Math.max(16 << 20, maxLineSize * 2)})`;
  const rowContent = `concat_ws(chr(31), ${names.map((n) => `coalesce(${n}, '')`).join(', ')})`;
  const typed = names.map((n, i) => {
    const text = needsNormalizing[i] ? `regexp_replace(${n}, '[\\s_]', '', 'g')` : n;
    const value =
      types[i] === 'INT'
        ? `CAST(NULLIF(${text}, '') AS BIGINT)`
        : types[i] === 'FLOAT'
          ? `CAST(NULLIF(${text}, '') AS DOUBLE)`
          : `NULLIF(${n}, '')`;
    return `${value} AS ${sqlIdentifier(columns[i])}`;
  });
  const counts: Record<string, number> = {};
  await withDuckDB(
    async (db) => {
      let low = 0;
      for (const split of splits) {
        const high = low + split.hashBuckets;
        const dir = splitUri(uri, split.name);
        mkdirSync(dir, { recursive: true });
        const sql = `COPY (
            SELECT ${typed.join(', ')} FROM (
              SELECT *, hash(${rowContent}) % ${totalBuckets} AS bucket FROM ${source})
            WHERE bucket >= ${low} AND bucket < ${high})
          TO ${sqlString(join(dir, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`;
        const result = await db.runAndReadAll(sql);
        counts[split.name] = result.rowsChanged;
        low = high;
      }
    },
    { memoryLimit: '128MB', threads: 2 },
  );
  return counts;
}
