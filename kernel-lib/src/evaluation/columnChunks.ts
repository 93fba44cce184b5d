import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { openDuckDB, sqlIdentifier, sqlString } from '../duckdb/withDuckDB';
import { columnOf, type Column } from '../transform/columns';
import type { Value } from '../transform/graph';
import { parquetSource, toValue } from '../transform/rows';

/** A chunk of examples as columns: name -> one value per row. */
export interface ColumnChunk {
  numRows: number;
  columns: Record<string, Column>;
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

/**
 * DuckDB types read as DOUBLE: the number `toValue` makes of each (int64 to double rounds to
 * nearest, as Number(bigint) does; booleans are 1 and 0), without a bigint or boxed number each.
 */
const NUMBER_TYPES = new Set([
  'BIGINT',
  'UBIGINT',
  'INTEGER',
  'UINTEGER',
  'SMALLINT',
  'USMALLINT',
  'TINYINT',
  'UTINYINT',
  'DOUBLE',
  'FLOAT',
  'BOOLEAN',
]);

/**
 * Streams Parquet files as column chunks (DuckDB's own chunks of 2,048 rows, gathered to at
 * least `minRows`), in file order, with the values `readParquetRows` gives (`toValue`), but
 * without an object per row: numbers are copied from DuckDB's vectors into typed arrays (its
 * validity mask gives the nulls), other values are read one by one. Memory stays one chunk,
 * whatever the rows.
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
    const numeric = columns.map((name) => NUMBER_TYPES.has(types.get(name) ?? ''));
    const select = columns.map((name, c) =>
      numeric[c]
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
    const readers = numeric.map((isNumber) => (isNumber ? numberReader() : valueReader()));
    let pendingRows = 0;
    const take = (): ColumnChunk => {
      const chunk: ColumnChunk = { numRows: pendingRows, columns: {} };
      columns.forEach((name, c) => (chunk.columns[name] = readers[c].take()));
      pendingRows = 0;
      return chunk;
    };
    for (const query of queries) {
      const result = await db.connection.stream(query);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const n = chunk.rowCount;
        readers.forEach((reader, c) => reader.append(chunk, c, n));
        pendingRows += n;
        if (pendingRows >= minRows) yield take();
      }
    }
    if (pendingRows > 0) yield take();
  } finally {
    db.close();
  }
}

/** One column's values, chunk by chunk, until taken. */
interface ColumnReader {
  append(chunk: DuckDBDataChunk, column: number, rows: number): void;
  take(): Column;
}

/** A DOUBLE column: its vectors' data and validity copied as they are. */
function numberReader(): ColumnReader {
  let values = new Float64Array(1 << 13);
  let nulls = new Uint8Array(1 << 13);
  let anyNull = false;
  let length = 0;
  return {
    append(chunk, column, n) {
      if (length + n > values.length) {
        const size = Math.max(2 * values.length, length + n);
        const more = new Float64Array(size);
        more.set(values.subarray(0, length));
        values = more;
        const moreNulls = new Uint8Array(size);
        moreNulls.set(nulls.subarray(0, length));
        nulls = moreNulls;
      }
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
      const data = duckdb.vector_get_data(vector, n * 8);
      // The vector's memory is aligned for its doubles; copied before the chunk is released.
      values.set(new Float64Array(data.buffer, data.byteOffset, n), length);
      // Bit r of the little-endian uint64 words is byte r >> 3's bit r & 7; no mask: all valid.
      const validity = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8);
      if (validity) {
        for (let r = 0; r < n; r++) {
          if (((validity[r >> 3] >> (r & 7)) & 1) === 0) {
            nulls[length + r] = 1;
            values[length + r] = NaN;
            anyNull = true;
          }
        }
      }
      length += n;
    },
    take() {
      const column: Column = {
        kind: 'number',
        values: values.slice(0, length),
        nulls: anyNull ? nulls.slice(0, length) : null,
      };
      nulls.fill(0, 0, length);
      anyNull = false;
      length = 0;
      return column;
    },
  };
}

/** Any other column: each value read by DuckDB's API, as `toValue` makes it. */
function valueReader(): ColumnReader {
  let values: Value[] = [];
  return {
    append(chunk, column, n) {
      const vector = chunk.getColumnVector(column);
      for (let r = 0; r < n; r++) {
        const value = vector.getItem(r);
        values.push(
          typeof value === 'number' || typeof value === 'string' ? value : toValue(value),
        );
      }
    },
    take() {
      const column = columnOf(values);
      values = [];
      return column;
    },
  };
}
