import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValueType } from '@tsfx/protocol';
import type { CellValue, ExamplesPage, ExamplesPageRequest } from '@tsfx/protocol';
import { splitUri } from '../artifacts/splits';
import { sqlIdentifier, sqlString, withDuckDB } from '../duckdb/withDuckDB';
import { TsfxError } from '../errors';

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

/**
 * One page of a split's rows, read from its Parquet files (the examples view's pager): rows
 * `offset` to `offset + limit` of those `filter` keeps (the column as text contains the string,
 * ignoring case), in `sort` order (missing values last; file order to break ties and without
 * one). A column that does not exist is an error naming the request field.
 */
export async function readExamplesPage(
  uri: string,
  request: ExamplesPageRequest,
): Promise<ExamplesPage> {
  return withDuckDB(async (db) => {
    const files = splitParquetFiles(uri, request.split);
    const source = `read_parquet([${files.map(sqlString).join(', ')}], file_row_number = true, filename = true)`;
    const described = (
      await db.runAndReadAll(`DESCRIBE SELECT * EXCLUDE (file_row_number, filename) FROM ${source}`)
    ).getRowObjectsJson();
    const columns = described.map((row) => ({
      name: String(row.column_name),
      type: DUCKDB_TO_COLUMN_TYPE[String(row.column_type)] ?? 'STRING',
    }));
    const known = (field: string, name: string): string => {
      if (!columns.some((c) => c.name === name))
        throw new TsfxError(`${field}: no column "${name}" in split ${request.split}`);
      return sqlIdentifier(name);
    };
    const where = request.filter
      ? `WHERE CAST(${known('filter.column', request.filter.column)} AS VARCHAR) ILIKE ${sqlString(`%${likeEscaped(request.filter.contains)}%`)} ESCAPE '\\'`
      : '';
    const order = [
      request.sort
        ? `${known('sort.column', request.sort.column)} ${request.sort.descending ? 'DESC' : 'ASC'} NULLS LAST`
        : null,
      'filename',
      'file_row_number',
    ]
      .filter((x): x is string => x !== null)
      .join(', ');
    const total = (
      await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${source} ${where}`)
    ).getRowsJson();
    const list = columns.map((c) => sqlIdentifier(c.name)).join(', ');
    const rows = (
      await db.runAndReadAll(
        `SELECT ${list} FROM ${source} ${where} ORDER BY ${order} LIMIT ${request.limit} OFFSET ${request.offset}`,
      )
    )
      .getRowsJson()
      .map((row) => row.map((value, i) => toCell(value, columns[i].type)));
    return { split: request.split, offset: request.offset, total: Number(total[0][0]), rows };
  });
}

/** A string matched literally by LIKE: its wildcards and the escape character escaped. */
function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
