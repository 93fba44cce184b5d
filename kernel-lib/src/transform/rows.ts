import type { ValueType } from '@tsfx/protocol';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { TsfxError } from '../errors';
import { openDuckDB, sqlIdentifier, sqlString, withDuckDB } from '../duckdb/withDuckDB';
import type { RawRow, Value } from './graph';

/**
 * Raw rows as JavaScript values: INT (int64) and FLOAT (double) as numbers, STRING as strings,
 * missing as null. Transform, the Trainer and `tsfx predict` all read rows through `toValue`, so
 * a raw value is the same JavaScript value wherever it is read.
 */
export function toValue(value: DuckDBValue): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return String(value);
}

export function parquetSource(files: readonly string[]): string {
  if (files.length === 0) throw new TsfxError('no Parquet files to read');
  return `read_parquet([${files.map(sqlString).join(', ')}])`;
}

const DUCKDB_TYPES: Record<string, ValueType> = {
  BIGINT: 'INT',
  INTEGER: 'INT',
  SMALLINT: 'INT',
  TINYINT: 'INT',
  UBIGINT: 'INT',
  UINTEGER: 'INT',
  BOOLEAN: 'INT',
  DOUBLE: 'FLOAT',
  FLOAT: 'FLOAT',
  VARCHAR: 'STRING',
};

/** The columns of Parquet files and their value types. */
export async function parquetColumns(
  files: readonly string[],
): Promise<{ name: string; type: ValueType }[]> {
  return withDuckDB(async (db) => {
    const rows = (
      await db.runAndReadAll(`DESCRIBE SELECT * FROM ${parquetSource(files)}`)
    ).getRowObjectsJson();
    return rows.map((row) => ({
      name: String(row.column_name),
      type: DUCKDB_TYPES[String(row.column_type)] ?? 'STRING',
    }));
  });
}

/**
 * Streams the rows of Parquet files in file order, in chunks (DuckDB reads; memory stays one
 * chunk). `columns` picks columns (default all).
 */
export async function* readParquetRows(
  files: readonly string[],
  columns?: readonly string[],
): AsyncGenerator<RawRow[]> {
  const db = await openDuckDB({ threads: 2 });
  try {
    const select = columns ? columns.map(sqlIdentifier).join(', ') : '*';
    const result = await db.connection.stream(`SELECT ${select} FROM ${parquetSource(files)}`);
    const names = result.columnNames();
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const data = chunk.getColumns();
      const rows: RawRow[] = new Array<RawRow>(chunk.rowCount);
      for (let r = 0; r < chunk.rowCount; r++) {
        const row: RawRow = {};
        for (let c = 0; c < names.length; c++) row[names[c]] = toValue(data[c][r]);
        rows[r] = row;
      }
      yield rows;
    }
  } finally {
    db.close();
  }
}

/** Every row of Parquet files, in file order. */
export async function readAllParquetRows(
  files: readonly string[],
  columns?: readonly string[],
): Promise<RawRow[]> {
  const all: RawRow[] = [];
  for await (const rows of readParquetRows(files, columns)) all.push(...rows);
  return all;
}

const SQL_TYPES: Record<ValueType, string> = { INT: 'BIGINT', FLOAT: 'DOUBLE', STRING: 'VARCHAR' };

/**
 * Writes rows to one Parquet file through DuckDB's appender (INT as int64, FLOAT as double,
 * STRING as text, null as null), in the order given. Returns the number of rows.
 */
export async function writeParquetRows(
  file: string,
  columns: readonly { name: string; type: ValueType }[],
  rows: AsyncIterable<RawRow[]>,
): Promise<number> {
  return withDuckDB(
    async (db) => {
      await db.run(
        `CREATE TABLE t (${columns.map((c) => `${sqlIdentifier(c.name)} ${SQL_TYPES[c.type]}`).join(', ')})`,
      );
      const appender = await db.createAppender('t');
      let count = 0;
      for await (const chunk of rows) {
        for (const row of chunk) {
          for (const column of columns) appendValue(appender, row[column.name] ?? null, column);
          appender.endRow();
          count++;
        }
      }
      appender.closeSync();
      await db.run(
        `COPY (SELECT * FROM t) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      return count;
    },
    { memoryLimit: '512MB', threads: 2 },
  );
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function appendValue(
  appender: Appender,
  value: Value,
  column: { name: string; type: ValueType },
): void {
  if (value === null) {
    appender.appendNull();
    return;
  }
  if (column.type === 'STRING') {
    appender.appendVarchar(typeof value === 'string' ? value : String(value));
    return;
  }
  if (typeof value !== 'number') {
    throw new TsfxError(`column ${column.name} (${column.type}) got the string ${value}`);
  }
  if (column.type === 'INT') {
    if (!Number.isInteger(value)) {
      throw new TsfxError(`column ${column.name} (INT) got the non-integer ${value}`);
    }
    appender.appendBigInt(BigInt(value));
  } else {
    appender.appendDouble(value);
  }
}
