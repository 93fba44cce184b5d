import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckDBSettings {
  /** DuckDB's memory limit, e.g. `'300MB'`; it spills to `tempDirectory` beyond it. */
  memoryLimit?: string;
  tempDirectory?: string;
  threads?: number;
}

/** Runs `fn` with a connection to a fresh in-memory DuckDB, closed afterwards whatever happens. */
export async function withDuckDB<T>(
  fn: (connection: DuckDBConnection) => Promise<T>,
  settings: DuckDBSettings = {},
): Promise<T> {
  const options: Record<string, string> = {};
  if (settings.memoryLimit) options.memory_limit = settings.memoryLimit;
  if (settings.threads) options.threads = String(settings.threads);
  if (settings.tempDirectory) options.temp_directory = settings.tempDirectory;
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
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
