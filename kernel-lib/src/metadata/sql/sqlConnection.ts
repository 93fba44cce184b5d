/** A bound value of a statement. */
export type SqlValue = string | number | null;

/**
 * The few calls the metadata store makes on its database, synchronous, with statements written
 * once in SQLite's dialect (`?` parameters, `INSERT OR IGNORE`); each backend translates what
 * differs. Every write that must land with others goes through `transaction`.
 */
export interface SqlConnection {
  readonly dialect: 'sqlite' | 'postgres';
  get<T>(sql: string, ...args: SqlValue[]): T | undefined;
  all<T>(sql: string, ...args: SqlValue[]): T[];
  run(sql: string, ...args: SqlValue[]): void;
  /** An INSERT into a table with an `id` key: the new row's id. */
  insert(sql: string, ...args: SqlValue[]): number;
  /** Statements without parameters (the schema). */
  exec(sql: string): void;
  /** A write transaction taken at once: one writer at a time, whole or not at all. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
