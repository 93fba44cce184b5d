import { openDuckDB, sqlIdentifier, sqlString } from '../duckdb/withDuckDB';
import type { Value } from '../transform/graph';
import { parquetSource, toValue } from '../transform/rows';

/** A chunk of examples as columns: name -> one value per row. */
export interface ColumnChunk {
  numRows: number;
  columns: Record<string, Value[]>;
}

/** Rows [from, to) of one Parquet file (row numbers within the file, from 0). */
export interface RowRange {
  file: string;
  from: number;
  to: number;
}

/** The rows of each file (from the Parquet footers: nothing is scanned). */
export async function parquetRowCounts(files: readonly string[]): Promise<number[]> {
  const db = await openDuckDB({ threads: 1 });
  try {
    const list = `[${files.map(sqlString).join(', ')}]`;
    const rows = (
      await db.connection.runAndReadAll(
        `SELECT file_name, num_rows FROM parquet_file_metadata(${list})`,
      )
    ).getRowObjectsJson();
    const counts = new Map(rows.map((r) => [String(r.file_name), Number(r.num_rows)]));
    return files.map((file) => counts.get(file) ?? 0);
  } finally {
    db.close();
  }
}

/** Splits the files' rows into `parts` consecutive runs of (nearly) equal size, in file order. */
export function splitRows(
  files: readonly string[],
  counts: readonly number[],
  parts: number,
): RowRange[][] {
  const total = counts.reduce((a, b) => a + b, 0);
  const result: RowRange[][] = [];
  let file = 0;
  let at = 0; // row of `file`
  for (let p = 0; p < parts; p++) {
    let want = Math.round((total * (p + 1)) / parts) - Math.round((total * p) / parts);
    const ranges: RowRange[] = [];
    while (want > 0 && file < files.length) {
      const take = Math.min(want, counts[file] - at);
      if (take > 0) ranges.push({ file: files[file], from: at, to: at + take });
      at += take;
      want -= take;
      if (at >= counts[file]) {
        file++;
        at = 0;
      }
    }
    result.push(ranges);
  }
  return result;
}

/** DuckDB types that reach JavaScript as bigint: read as DOUBLE (what `toValue` makes of them). */
const BIGINT_TYPES = new Set(['BIGINT', 'UBIGINT']);

/**
 * Streams Parquet files as column chunks (DuckDB's own chunks of 2,048 rows, gathered to at
 * least `minRows`), in file order, with the values `readParquetRows` gives (`toValue`), but
 * without an object per row or a bigint per integer: memory stays one chunk, whatever the rows.
 */
export async function* readParquetColumnChunks(
  files: readonly string[],
  columns: readonly string[],
  minRows: number,
  options: {
    /**
     * Only these rows, in this order (DuckDB keeps a scan's order and skips the row groups
     * outside a file_row_number range).
     */
    ranges?: readonly RowRange[];
    threads?: number;
  } = {},
): AsyncGenerator<ColumnChunk> {
  const db = await openDuckDB({ threads: options.threads ?? 2 });
  try {
    const source = parquetSource(files);
    const described = (
      await db.connection.runAndReadAll(
        `DESCRIBE SELECT ${columns.map(sqlIdentifier).join(', ')} FROM ${source}`,
      )
    ).getRowObjectsJson();
    const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    // int64 to double rounds to nearest, as Number(bigint) does: the same numbers, no bigints.
    const select = columns.map((name) =>
      BIGINT_TYPES.has(types.get(name) ?? '')
        ? `CAST(${sqlIdentifier(name)} AS DOUBLE) AS ${sqlIdentifier(name)}`
        : sqlIdentifier(name),
    );
    const queries = options.ranges
      ? options.ranges.map(
          ({ file, from, to }) =>
            `SELECT ${select.join(', ')} FROM read_parquet(${sqlString(file)}, file_row_number = true) ` +
            `WHERE file_row_number >= ${from} AND file_row_number < ${to}`,
        )
      : [`SELECT ${select.join(', ')} FROM ${source}`];
    let pending: Value[][] = columns.map(() => []);
    let pendingRows = 0;
    const take = (): ColumnChunk => {
      const chunk: ColumnChunk = { numRows: pendingRows, columns: {} };
      columns.forEach((name, c) => (chunk.columns[name] = pending[c]));
      pending = columns.map(() => []);
      pendingRows = 0;
      return chunk;
    };
    for (const query of queries) {
      const result = await db.connection.stream(query);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const n = chunk.rowCount;
        for (let c = 0; c < columns.length; c++) {
          const vector = chunk.getColumnVector(c);
          const out = pending[c];
          for (let r = 0; r < n; r++) {
            const value = vector.getItem(r);
            out.push(
              typeof value === 'number' || typeof value === 'string' ? value : toValue(value),
            );
          }
        }
        pendingRows += n;
        if (pendingRows >= minRows) yield take();
      }
    }
    if (pendingRows > 0) yield take();
  } finally {
    db.close();
  }
}
