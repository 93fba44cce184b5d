import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlConnection, SqlValue } from './sqlConnection';

/** The embedded backend: one SQLite file in WAL mode (better-sqlite3). */
export class SqliteConnection implements SqlConnection {
  readonly dialect = 'sqlite';
  readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
  }

  get<T>(sql: string, ...args: SqlValue[]): T | undefined {
    return this.db.prepare(sql).get(...args) as T | undefined;
  }

  all<T>(sql: string, ...args: SqlValue[]): T[] {
    return this.db.prepare(sql).all(...args) as T[];
  }

  run(sql: string, ...args: SqlValue[]): void {
    this.db.prepare(sql).run(...args);
  }

  insert(sql: string, ...args: SqlValue[]): number {
    return Number(this.db.prepare(sql).run(...args).lastInsertRowid);
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  /**
   * BEGIN IMMEDIATE: a deferred transaction that reads, then writes, fails with "database is
   * locked" at once (no busy wait) when another process wrote meanwhile, as parallel task
   * processes do.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}
