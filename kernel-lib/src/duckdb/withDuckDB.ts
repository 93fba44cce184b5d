import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckDBSettings {
  /** DuckDB's memory limit, e.g. `'300MB'`; it spills to `tempDirectory` beyond it. */
  memoryLimit?: string;
  tempDirectory?: string;
  threads?: number;
  /** False lets DuckDB stream where row order does not matter (aggregates). */
  preserveInsertionOrder?: boolean;
}

export interface OpenDuckDB {
  connection: DuckDBConnection;
  close(): void;
}

/** A connection to a fresh in-memory DuckDB; `close()` releases both. */
export async function openDuckDB(settings: DuckDBSettings = {}): Promise<OpenDuckDB> {
  const options: Record<string, string> = {};
  if (settings.memoryLimit) options.memory_limit = settings.memoryLimit;
  if (settings.threads) options.threads = String(settings.threads);
  if (settings.tempDirectory) options.temp_directory = settings.tempDirectory;
  if (settings.preserveInsertionOrder === false) options.preserve_insertion_order = 'false';
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
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
