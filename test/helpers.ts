import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';

export const REPO_ROOT = resolve(__dirname, '..');
export const TAXI_CSV = join(REPO_ROOT, 'data', 'chicago_taxi', 'data.csv');
export const TSFX_BIN = join(REPO_ROOT, 'kernel-lib', 'bin', 'tsfx.js');

/** The columns of the taxi sample, in the order of its header (written out, not read). */
export const TAXI_COLUMNS: readonly string[] = [
  'pickup_community_area',
  'fare',
  'trip_start_month',
  'trip_start_hour',
  'trip_start_day',
  'trip_start_timestamp',
  'pickup_latitude',
  'pickup_longitude',
  'dropoff_latitude',
  'dropoff_longitude',
  'trip_miles',
  'pickup_census_tract',
  'dropoff_census_tract',
  'payment_type',
  'company',
  'trip_seconds',
  'dropoff_community_area',
  'tips',
];
/** The taxi columns TFX types as strings (pickup_census_tract is empty everywhere). */
/** The taxi pipeline's components (`tsfx tasks list chicago_taxi`), in its order. */
export const TAXI_COMPONENTS: readonly string[] = [
  'CsvExampleGen',
  'StatisticsGen',
  'SchemaGen',
  'ExampleValidator',
  'Transform',
  'Trainer',
  'latest_blessed_model_resolver',
  'Evaluator',
  'Pusher',
];

export const TAXI_STRING_COLUMNS: readonly string[] = [
  'pickup_census_tract',
  'payment_type',
  'company',
];
/** The payment types of the taxi sample, sorted as a TFDV string domain is (by UTF-8 bytes). */
export const TAXI_PAYMENT_TYPES: readonly string[] = [
  'Cash',
  'Credit Card',
  'Dispute',
  'No Charge',
  'Pcard',
  'Prcard',
  'Unknown',
];

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix = 'tsfx-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `fn` while another connection holds the write lock of the SQLite file at `path`. */
export function whileWriteLocked<T>(path: string, fn: () => T): T {
  const writer = new Database(path);
  writer.exec('BEGIN IMMEDIATE');
  try {
    return fn();
  } finally {
    writer.exec('ROLLBACK');
    writer.close();
  }
}

/** Writes `content` (string or bytes, exactly as given) to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  lastLine: string;
}

export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [TSFX_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  const all = `${result.stdout}${result.stderr}`.trim().split('\n');
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    lastLine: all[all.length - 1],
  };
}

/** Rows of a SQL query run by a fresh DuckDB: an independent reader of what tsfx wrote. */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
