import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * DuckDB's own default memory limit is 80% of RAM: at 20M rows one sort, quantile or GROUP BY
 * could take gigabytes. Every connection is bounded instead, and spills to disk beyond the bound.
 */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '512MB';

export interface DuckDBSettings {
  /**
   * DuckDB's memory limit, e.g. `'300MB'` (default 512MB); it spills to a temporary directory
   * beyond it. `TSFX_DUCKDB_MEMORY_LIMIT` overrides it for every connection.
   */
  memoryLimit?: string;
  /**
   * Where the connection's spill directory is made (default `TSFX_DUCKDB_TEMP_DIRECTORY`, else
   * the OS's temporary directory); each connection spills into its own subdirectory of it,
   * removed when the connection closes.
   */
  tempDirectory?: string;
  threads?: number;
  /** False lets DuckDB stream where row order does not matter (aggregates). */
  preserveInsertionOrder?: boolean;
}

export interface OpenDuckDB {
  connection: DuckDBConnection;
  close(): void;
}

/** The DuckDB options `settings` stand for, with the environment's overrides and defaults. */
export function duckDBOptions(
  settings: DuckDBSettings,
  spillDirectory: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const options: Record<string, string> = {
    memory_limit:
      env.TSFX_DUCKDB_MEMORY_LIMIT || settings.memoryLimit || DEFAULT_DUCKDB_MEMORY_LIMIT,
    temp_directory: spillDirectory,
  };
  if (settings.threads) options.threads = String(settings.threads);
  if (settings.preserveInsertionOrder === false) options.preserve_insertion_order = 'false';
  return options;
}

/** A connection to a fresh in-memory DuckDB; `close()` releases both and removes its spills. */
export async function openDuckDB(settings: DuckDBSettings = {}): Promise<OpenDuckDB> {
  const base = settings.tempDirectory || process.env.TSFX_DUCKDB_TEMP_DIRECTORY || tmpdir();
  // Its own directory: instances sharing one could clash on DuckDB's spill file names.
  mkdirSync(base, { recursive: true });
  const spill = mkdtempSync(join(base, 'tsfx-duckdb-'));
  const removeSpill = () => rmSync(spill, { recursive: true, force: true });
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(':memory:', duckDBOptions(settings, spill));
    connection = await instance.connect();
  } catch (error) {
    removeSpill();
    throw error;
  }
  return {
    connection,
    close() {
      try {
        connection.closeSync();
        instance.closeSync();
      } finally {
        removeSpill();
      }
    },
  };
}

/** Runs `fn` with a connection to a fresh in-memory DuckDB, closed afterwards whatever happens. */
export async function withDuckDB<T>(
  fn: (connection: DuckDBConnection) => Promise<T>,
  settings: DuckDBSettings = {},
): Promise<T> {
  const db = await openDuckDB(settings);
  try {
    return await fn(db.connection);
  } finally {
    db.close();
  }
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
