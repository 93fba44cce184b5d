import { openDuckDB, sqlIdentifier } from '../duckdb/withDuckDB';
import type { Value } from '../transform/graph';
import { parquetSource, toValue } from '../transform/rows';

/** A chunk of examples as columns: name -> one value per row. */
export interface ColumnChunk {
  numRows: number;
  columns: Record<string, Value[]>;
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
): AsyncGenerator<ColumnChunk> {
  const db = await openDuckDB({ threads: 2 });
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
    const result = await db.connection.stream(`SELECT ${select.join(', ')} FROM ${source}`);
    let pending: Value[][] = columns.map(() => []);
    let pendingRows = 0;
    const take = (): ColumnChunk => {
      const chunk: ColumnChunk = { numRows: pendingRows, columns: {} };
      columns.forEach((name, c) => (chunk.columns[name] = pending[c]));
      pending = columns.map(() => []);
      pendingRows = 0;
      return chunk;
    };
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      for (let c = 0; c < columns.length; c++) {
        const vector = chunk.getColumnVector(c);
        const out = pending[c];
        for (let r = 0; r < n; r++) {
          const value = vector.getItem(r);
          out.push(typeof value === 'number' || typeof value === 'string' ? value : toValue(value));
        }
      }
      pendingRows += n;
      if (pendingRows >= minRows) yield take();
    }
    if (pendingRows > 0) yield take();
  } finally {
    db.close();
  }
}
