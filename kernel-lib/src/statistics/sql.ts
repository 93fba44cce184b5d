import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBListValue, type DuckDBValue } from '@duckdb/node-api';
import { openDuckDB, sqlIdentifier, sqlString } from '../duckdb/withDuckDB';

/** SQL text helpers and the DuckDB session statistics run in. */

export const ident = sqlIdentifier;
export const literal = sqlString;

/** A finite number as a SQL DOUBLE literal (exact: JavaScript's shortest round-trip form). */
export function doubleLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return `CAST(${literal(String(value))} AS DOUBLE)`;
}

export interface DuckSession {
  readonly connection: DuckDBConnection;
  /** Runs a query and returns its rows as objects keyed by column name. */
  rows(sql: string): Promise<Record<string, DuckDBValue>[]>;
  close(): void;
}

export interface DuckSessionOptions {
  /** DuckDB's `memory_limit` (default 192MB: statistics stay well under 400 MB RSS). */
  memoryLimit?: string;
  threads?: number;
}

export async function openDuckSession(options: DuckSessionOptions = {}): Promise<DuckSession> {
  const tempDirectory = join(tmpdir(), 'tsfx-duckdb');
  mkdirSync(tempDirectory, { recursive: true });
  const { connection, close } = await openDuckDB({
    memoryLimit: options.memoryLimit ?? '192MB',
    tempDirectory,
    threads: options.threads,
    // Insertion order is irrelevant to aggregates; dropping it lets DuckDB stream.
    preserveInsertionOrder: false,
  });
  return {
    connection,
    async rows(sql: string) {
      const t0 = performance.now();
      const reader = await connection.runAndReadAll(sql);
      if (process.env.TSFX_TRACE)
        console.error(
          `[duckdb ${((performance.now() - t0) / 1000).toFixed(2)}s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)}MB] ${sql.replace(/\s+/g, ' ').slice(0, process.env.TSFX_TRACE === 'full' ? undefined : 160)}`,
        );
      return reader.getRowObjects();
    },
    close,
  };
}

/** A DuckDB result value as a JavaScript number (null stays null). */
export function num(value: DuckDBValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number(String(value));
}

/** A DuckDB count as a non-negative number (null reads as 0). */
export function count(value: DuckDBValue | undefined): number {
  return num(value) ?? 0;
}

export function str(value: DuckDBValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

export function numList(value: DuckDBValue | undefined): number[] | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof DuckDBListValue)) throw new Error('expected a DuckDB LIST value');
  return value.items.map((item) => num(item) ?? Number.NaN);
}
