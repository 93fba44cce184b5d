import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValueType } from '@tsfx/protocol';
import type { CellValue } from '@tsfx/protocol';
import { splitUri } from '../artifacts/splits';
import { sqlString, withDuckDB } from '../duckdb/withDuckDB';

/**
 * Examples artifacts hold each split as Parquet files under `<uri>/Split-<name>/` (INT as int64,
 * FLOAT as double, STRING as UTF-8 text, missing values as nulls), readable as they are by
 * DuckDB (`read_parquet('<uri>/Split-train/*.parquet')`), pandas, pyarrow and Spark.
 */
export function splitParquetFiles(uri: string, split: string): string[] {
  const dir = splitUri(uri, split);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.parquet'))
    .sort()
    .map((name) => join(dir, name));
}

export interface SplitSample {
  name: string;
  numRows: number;
  columns: { name: string; type: ValueType }[];
  rows: CellValue[][];
}

const DUCKDB_TO_COLUMN_TYPE: Record<string, ValueType> = {
  BIGINT: 'INT',
  INTEGER: 'INT',
  DOUBLE: 'FLOAT',
  FLOAT: 'FLOAT',
  VARCHAR: 'STRING',
};

/** Row count, column types and the first `limit` rows (in file order) of each split. */
export async function readSplitSamples(
  uri: string,
  splits: string[],
  limit: number,
): Promise<SplitSample[]> {
  return withDuckDB(async (db) => {
    const samples: SplitSample[] = [];
    for (const name of splits) {
      const source = `read_parquet([${splitParquetFiles(uri, name).map(sqlString).join(', ')}])`;
      const described = (
        await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)
      ).getRowObjectsJson();
      const columns = described.map((row) => ({
        name: String(row.column_name),
        type: DUCKDB_TO_COLUMN_TYPE[String(row.column_type)] ?? 'STRING',
      }));
      const count = (
        await db.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${source}`)
      ).getRowsJson();
      const rows = (
        await db.runAndReadAll(`SELECT * FROM ${source} LIMIT ${Math.max(0, Math.floor(limit))}`)
      )
        .getRowsJson()
        .map((row) => row.map((value, i) => toCell(value, columns[i].type)));
      samples.push({ name, numRows: Number(count[0][0]), columns, rows });
    }
    return samples;
  });
}

/** DuckDB's JSON gives int64 as text; show it as a number when that is exact. */
function toCell(value: unknown, type: ValueType): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (type === 'INT' && typeof value === 'string' && Number.isSafeInteger(Number(value))) {
    return Number(value);
  }
  return String(value);
}
