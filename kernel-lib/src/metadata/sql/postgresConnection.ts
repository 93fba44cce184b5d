import { join } from 'node:path';
import { createSyncFn } from 'synckit';
import { TsfxError } from '../../errors';
import type { SqlConnection, SqlValue } from './sqlConnection';

/** What the store's thread asks the PostgreSQL worker thread (postgresWorker.ts). */
export type PostgresCall =
  | { op: 'open'; url: string }
  | { op: 'query'; id: number; sql: string; params: SqlValue[] | null }
  | { op: 'close'; id: number };

/** The worker's compiled entry (a worker thread runs JavaScript: from src/ and dist/ alike). */
const WORKER = join(__dirname, '..', '..', '..', 'dist', 'metadata', 'sql', 'postgresWorker.js');

let call: ((request: PostgresCall) => unknown) | null = null;
const postgres = (request: PostgresCall): unknown =>
  (call ??= createSyncFn<(request: PostgresCall) => Promise<unknown>>(WORKER))(request);

/** True for a store location that names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** A key of PostgreSQL's advisory locks: the store's one-writer-at-a-time lock. */
const WRITE_LOCK = 0x7473_6678;

/**
 * The metadata store on PostgreSQL, for writers on several hosts: the same statements as on
 * SQLite, translated (`?` → `$n`, `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`, ids through
 * `RETURNING id`), and SQLite's one-writer transactions kept as they are: each transaction takes
 * a transaction-scoped advisory lock first, so check-then-write sequences (a LIVE transition that
 * looks for another delivery's first) hold across hosts as they do across processes on SQLite.
 */
export class PostgresConnection implements SqlConnection {
  readonly dialect = 'postgres';
  private readonly id: number;
  private depth = 0;

  constructor(url: string) {
    try {
      this.id = postgres({ op: 'open', url }) as number;
    } catch (error) {
      throw new TsfxError(`metadata store ${redact(url)}: ${(error as Error).message}`);
    }
  }

  private query<T>(sql: string, args: SqlValue[] | null): T[] {
    return postgres({ op: 'query', id: this.id, sql, params: args }) as T[];
  }

  get<T>(sql: string, ...args: SqlValue[]): T | undefined {
    return this.query<T>(toPostgres(sql), args)[0];
  }

  all<T>(sql: string, ...args: SqlValue[]): T[] {
    return this.query<T>(toPostgres(sql), args);
  }

  run(sql: string, ...args: SqlValue[]): void {
    this.query(toPostgres(sql), args);
  }

  insert(sql: string, ...args: SqlValue[]): number {
    return this.query<{ id: number }>(`${toPostgres(sql)} RETURNING id`, args)[0].id;
  }

  exec(sql: string): void {
    this.query(sql, null);
  }

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.exec('BEGIN');
    this.depth++;
    try {
      this.exec(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
      const result = fn();
      this.exec('COMMIT');
      return result;
    } catch (error) {
      this.exec('ROLLBACK');
      throw error;
    } finally {
      this.depth--;
    }
  }

  close(): void {
    postgres({ op: 'close', id: this.id });
  }
}

/** SQLite's dialect of the store's statements, in PostgreSQL's. */
export function toPostgres(sql: string): string {
  let n = 0;
  let text = sql.replace(/\?/g, () => `$${++n}`);
  if (/^\s*INSERT OR IGNORE INTO/i.test(text)) {
    text = `${text.replace(/INSERT OR IGNORE INTO/i, 'INSERT INTO')} ON CONFLICT DO NOTHING`;
  }
  return text;
}

/** The schema in PostgreSQL's types: row ids are BIGSERIAL, integers (ms times) BIGINT. */
export function postgresSchema(sqliteSchema: string): string {
  return sqliteSchema
    .replace(/id INTEGER PRIMARY KEY/g, 'id BIGSERIAL PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT');
}

/** A URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
