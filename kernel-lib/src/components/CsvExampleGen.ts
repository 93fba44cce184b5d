import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { splitUri } from '../artifacts/splits';
import { NUMBER_NOISE } from '@tsfx/protocol';
import { splitCsv, splitPlan, type SplitCsvResult } from '../csv/splitCsv';
import { sqlIdentifier, sqlString, withDuckDB } from '../duckdb/withDuckDB';
import { TsfxError } from '../errors';
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
 * Ingests CSV into an Examples artifact in two streaming passes. The first (ours, `splitCsv`)
 * reads the input once, in parallel ranges: it validates it (bad input is refused with file, line
 * and column), types the columns as TFX's CSV decoder does, and copies each row to a part file of
 * its split. The second (DuckDB) reads each split's known-good parts once, with those types, and
 * writes its Parquet file: every byte is parsed once by each. A row's split is decided by a hash
 * of its content, by a documented rule that no library version can change (see rowBucket.ts), so
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
    const examples = outputs.examples;
    const partDir = join(examples.uri, '.parts');
    mkdirSync(partDir, { recursive: true });
    let counts: Record<string, number>;
    try {
      const plan = splitPlan(
        parameters.splits.map((s) => s.hashBuckets),
        partDir,
      );
      const read = await splitCsv(files, plan, { signal });
      if (read.carefulBecause) log(`read by the careful reader: ${read.carefulBecause}`);
      const { columns, types } = read;
      log(
        `${read.rows.reduce((a, b) => a + b, 0)} rows, ${columns.length} columns: ${columns.map((c, i) => `${c}:${types[i]}`).join(', ')}`,
      );
      counts = await writeSplits(read, parameters.splits, examples.uri);
      parameters.splits.forEach((split, i) => {
        if (counts[split.name] !== read.rows[i]) {
          throw new TsfxError(
            `CsvExampleGen wrote ${counts[split.name]} rows to split ${split.name} but read ${read.rows[i]}: the input changed while it was read`,
          );
        }
      });
    } finally {
      rmSync(partDir, { recursive: true, force: true });
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

/** Each split's rows, read back by DuckDB from their part files, to `<uri>/Split-<name>/data.parquet`. */
async function writeSplits(
  read: SplitCsvResult,
  splits: SplitSpec[],
  uri: string,
): Promise<Record<string, number>> {
  const { columns, types, needsNormalizing } = read;
  // DuckDB refuses lines longer than max_line_size (default 2 MB).
  const maxLineSize = Math.max(2 << 20, read.maxRecordBytes + 1024);
  const names = columns.map((_, i) => `c${i}`);
  // A number written plainly is parsed by the CSV reader itself (as CAST would parse it); one
  // with whitespace or underscores, which Python accepts, is read as text and cleaned first.
  const readAs = names.map((_, i) =>
    needsNormalizing[i] || types[i] === 'STRING'
      ? 'VARCHAR'
      : types[i] === 'INT'
        ? 'BIGINT'
        : 'DOUBLE',
  );
  const readColumns = `{${names.map((n, i) => `${sqlString(n)}: '${readAs[i]}'`).join(', ')}}`;
  const typed = names.map((n, i) => {
    const value =
      types[i] === 'STRING'
        ? `NULLIF(${n}, '')`
        : readAs[i] === 'VARCHAR'
          ? `CAST(NULLIF(regexp_replace(${n}, ${sqlString(NUMBER_NOISE)}, '', 'g'), '') AS ${types[i] === 'INT' ? 'BIGINT' : 'DOUBLE'})`
          : n;
    return `${value} AS ${sqlIdentifier(columns[i])}`;
  });
  const counts: Record<string, number> = {};
  const removing: Promise<void>[] = [];
  await withDuckDB(
    async (db) => {
      for (const [index, split] of splits.entries()) {
        const parts = read.parts[index].filter((part) => statSync(part).size > 0);
        // The part files hold known-good CSV: no header, LF line ends, every row complete.
        const source =
          parts.length === 0
            ? `(SELECT ${names.map((n, i) => `NULL::${readAs[i]} AS ${n}`).join(', ')} LIMIT 0)`
            : `read_csv([${parts.map(sqlString).join(', ')}], header = false, auto_detect = false,
                columns = ${readColumns}, delim = ',', quote = '"', escape = '"', new_line = '\\n',
                strict_mode = true, max_line_size = ${maxLineSize},
                buffer_size = ${Math.max(8 << 20, maxLineSize * 2)})`;
        const dir = splitUri(uri, split.name);
        mkdirSync(dir, { recursive: true });
        const result = await db.runAndReadAll(
          `COPY (SELECT ${typed.join(', ')} FROM ${source})
            TO ${sqlString(join(dir, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
        );
        counts[split.name] = result.rowsChanged;
        // Freeing the parts' disk blocks takes a while: do it while DuckDB writes the next split.
        removing.push(...parts.map((part) => rm(part, { force: true })));
      }
    },
    { memoryLimit: '128MB', threads: 2 },
  );
  await Promise.all(removing);
  return counts;
}
