import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DagRunState, PipelineIr, TaskState } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import type { DagSpec } from './dagOptions';

/**
 * The scheduler's own state (Airflow's metadata database, not ML Metadata's): DAGs as last
 * parsed, import errors, DAG runs and task instances, and the scheduler holding the store. One
 * SQLite file next to the ML Metadata store (`scheduler.sqlite`), written by the scheduler, by
 * its task processes (a task records its own start and end, as Airflow's task runner does) and by
 * the CLI when no scheduler runs. Every state change goes through stateMachine.ts.
 */
export const SCHEDULER_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS scheduler_job (
  id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, hostname TEXT NOT NULL,
  socket TEXT NOT NULL, dags_folder TEXT NOT NULL, start_date INTEGER NOT NULL,
  latest_heartbeat INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dag (
  dag_id TEXT PRIMARY KEY, fileloc TEXT NOT NULL, is_paused INTEGER NOT NULL,
  is_active INTEGER NOT NULL, spec TEXT NOT NULL, ir TEXT NOT NULL, last_parsed_time INTEGER NOT NULL,
  next_dagrun INTEGER, next_dagrun_create_after INTEGER);
CREATE TABLE IF NOT EXISTS dag_file (
  fileloc TEXT PRIMARY KEY, mtime_ms REAL NOT NULL, size INTEGER NOT NULL,
  parsed_time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS import_error (
  import_error_id INTEGER PRIMARY KEY, filename TEXT NOT NULL UNIQUE, timestamp INTEGER NOT NULL,
  stack_trace TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dag_run (
  id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL, run_id TEXT NOT NULL, run_type TEXT NOT NULL,
  state TEXT NOT NULL, logical_date INTEGER NOT NULL, data_interval_start INTEGER,
  data_interval_end INTEGER, queued_at INTEGER NOT NULL, start_date INTEGER, end_date INTEGER,
  external_trigger INTEGER NOT NULL, conf TEXT NOT NULL, fileloc TEXT NOT NULL, spec TEXT NOT NULL,
  ir TEXT NOT NULL, UNIQUE (dag_id, run_id));
CREATE INDEX IF NOT EXISTS dag_run_by_state ON dag_run(state);
CREATE TABLE IF NOT EXISTS task_instance (
  dag_id TEXT NOT NULL, run_id TEXT NOT NULL, task_id TEXT NOT NULL, state TEXT,
  try_number INTEGER NOT NULL DEFAULT 0, max_tries INTEGER NOT NULL, operator TEXT NOT NULL,
  upstream TEXT NOT NULL, queued_when INTEGER, start_date INTEGER, end_date INTEGER,
  next_retry_at INTEGER, pid INTEGER, hostname TEXT, liveness_socket TEXT, execution_id INTEGER,
  cached INTEGER NOT NULL DEFAULT 0, error TEXT,
  PRIMARY KEY (dag_id, run_id, task_id));
CREATE INDEX IF NOT EXISTS task_instance_by_state ON task_instance(state);
`;

export type RunType = 'manual' | 'scheduled' | 'backfill';

export interface DagRow {
  dagId: string;
  fileloc: string;
  isPaused: boolean;
  isActive: boolean;
  spec: DagSpec;
  ir: PipelineIr;
  lastParsedTime: number;
  /** The logical date of the next scheduled run, and when it is due (ms since the epoch). */
  nextDagrun: number | null;
  nextDagrunCreateAfter: number | null;
}

export interface DagRunRow {
  id: number;
  dagId: string;
  runId: string;
  runType: RunType;
  state: DagRunState;
  logicalDate: number;
  dataIntervalStart: number | null;
  dataIntervalEnd: number | null;
  queuedAt: number;
  startDate: number | null;
  endDate: number | null;
  externalTrigger: boolean;
  conf: Record<string, unknown>;
  /** What the run started from: the DAG file, its options and its IR (tasks and edges). */
  fileloc: string;
  spec: DagSpec;
  ir: PipelineIr;
}

export interface TaskInstanceRow {
  dagId: string;
  runId: string;
  taskId: string;
  state: TaskState | null;
  tryNumber: number;
  maxTries: number;
  operator: string;
  /** The task ids it reads from. */
  upstream: string[];
  queuedWhen: number | null;
  startDate: number | null;
  endDate: number | null;
  nextRetryAt: number | null;
  pid: number | null;
  hostname: string | null;
  /** The liveness socket of the process it is assigned to (see orchestration/liveness.ts). */
  livenessSocket: string | null;
  executionId: number | null;
  cached: boolean;
  error: string | null;
}

export interface ImportErrorRow {
  importErrorId: number;
  filename: string;
  timestamp: number;
  stackTrace: string;
}

export interface SchedulerJobRow {
  pid: number;
  hostname: string;
  socket: string;
  dagsFolder: string;
  startDate: number;
  latestHeartbeat: number;
}

export interface TaskKey {
  dagId: string;
  runId: string;
  taskId: string;
}

type Row = Record<string, unknown>;

export class SchedulerStore {
  readonly db: Database.Database;
  /** Prepared once: the scheduler runs the same few statements on every tick. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A process crash loses nothing committed in WAL mode with NORMAL; only a power loss might
    // lose the last transactions, as Airflow's own database setups accept.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    try {
      // Every task process opens the store: a current one is only read, not write-locked (the
      // scheduler's writes would keep the task waiting).
      if (this.storedVersion() !== SCHEDULER_SCHEMA_VERSION)
        this.db.transaction(() => this.create()).immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** The store's schema version, or null before its tables exist (create() then says more). */
  private storedVersion(): number | null {
    try {
      const row = this.sql('SELECT version FROM schema_version').get() as
        { version: number } | undefined;
      return row?.version ?? null;
    } catch {
      return null;
    }
  }

  private create(): void {
    this.db.exec(SCHEMA);
    const row = this.sql('SELECT version FROM schema_version').get() as
      { version: number } | undefined;
    if (!row) {
      this.sql('INSERT INTO schema_version VALUES (?)').run(SCHEDULER_SCHEMA_VERSION);
    } else if (row.version > SCHEDULER_SCHEMA_VERSION) {
      throw new TsfxError(
        `scheduler store ${this.path} has schema version ${row.version}, newer than this tsfx reads (${SCHEDULER_SCHEMA_VERSION}): use a newer tsfx`,
      );
    }
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      // Statements with a list of placeholders vary in text: keep the cache bounded.
      if (this.statements.size >= 200) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** A write transaction taken at once (BEGIN IMMEDIATE), so read-then-write never races. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- the scheduler holding this store ---------------------------------------------------------

  getSchedulerJob(): SchedulerJobRow | undefined {
    const row = this.sql('SELECT * FROM scheduler_job WHERE id = 1').get() as Row | undefined;
    return (
      row && {
        pid: row.pid as number,
        hostname: row.hostname as string,
        socket: row.socket as string,
        dagsFolder: row.dags_folder as string,
        startDate: row.start_date as number,
        latestHeartbeat: row.latest_heartbeat as number,
      }
    );
  }

  setSchedulerJob(job: SchedulerJobRow): void {
    this.sql(
      `INSERT OR REPLACE INTO scheduler_job (id, pid, hostname, socket, dags_folder, start_date, latest_heartbeat)
         VALUES (1, ?, ?, ?, ?, ?, ?)`,
    ).run(job.pid, job.hostname, job.socket, job.dagsFolder, job.startDate, job.latestHeartbeat);
  }

  heartbeat(pid: number, now = Date.now()): void {
    this.sql('UPDATE scheduler_job SET latest_heartbeat = ? WHERE pid = ?').run(now, pid);
  }

  clearSchedulerJob(pid: number): void {
    this.sql('DELETE FROM scheduler_job WHERE pid = ?').run(pid);
  }

  // ---- DAGs and their files -----------------------------------------------------------------

  upsertDag(dag: Omit<DagRow, 'isPaused' | 'isActive'>, pausedIfNew: boolean): void {
    this.sql(
      `INSERT INTO dag (dag_id, fileloc, is_paused, is_active, spec, ir, last_parsed_time, next_dagrun, next_dagrun_create_after)
         VALUES (@dagId, @fileloc, @paused, 1, @spec, @ir, @lastParsedTime, @nextDagrun, @nextDagrunCreateAfter)
         ON CONFLICT (dag_id) DO UPDATE SET fileloc = @fileloc, is_active = 1, spec = @spec, ir = @ir,
           last_parsed_time = @lastParsedTime`,
    ).run({
      dagId: dag.dagId,
      fileloc: dag.fileloc,
      paused: pausedIfNew ? 1 : 0,
      spec: JSON.stringify(dag.spec),
      ir: JSON.stringify(dag.ir),
      lastParsedTime: dag.lastParsedTime,
      nextDagrun: dag.nextDagrun,
      nextDagrunCreateAfter: dag.nextDagrunCreateAfter,
    });
  }

  /** DAGs whose file no longer defines them are kept (their runs stay readable) but inactive. */
  deactivateDags(fileloc: string, keep: string[]): void {
    const placeholders = keep.map(() => '?').join(', ');
    this.sql(
      `UPDATE dag SET is_active = 0 WHERE fileloc = ?${keep.length ? ` AND dag_id NOT IN (${placeholders})` : ''}`,
    ).run(fileloc, ...keep);
  }

  deactivateDagsOutside(filelocs: string[]): void {
    const placeholders = filelocs.map(() => '?').join(', ');
    this.sql(
      `UPDATE dag SET is_active = 0${filelocs.length ? ` WHERE fileloc NOT IN (${placeholders})` : ''}`,
    ).run(...filelocs);
  }

  setPaused(dagId: string, paused: boolean): void {
    this.sql('UPDATE dag SET is_paused = ? WHERE dag_id = ?').run(paused ? 1 : 0, dagId);
  }

  setNextDagrun(dagId: string, next: number | null, createAfter: number | null): void {
    this.sql('UPDATE dag SET next_dagrun = ?, next_dagrun_create_after = ? WHERE dag_id = ?').run(
      next,
      createAfter,
      dagId,
    );
  }

  getDag(dagId: string): DagRow | undefined {
    const row = this.sql('SELECT * FROM dag WHERE dag_id = ?').get(dagId) as Row | undefined;
    return row && toDag(row);
  }

  /** DAGs by id (active ones only unless `all`). */
  getDags(options: { all?: boolean } = {}): DagRow[] {
    const rows = this.sql(
      `SELECT * FROM dag ${options.all ? '' : 'WHERE is_active = 1'} ORDER BY dag_id`,
    ).all() as Row[];
    return rows.map(toDag);
  }

  getDagFile(fileloc: string): { mtimeMs: number; size: number } | undefined {
    const row = this.sql('SELECT mtime_ms, size FROM dag_file WHERE fileloc = ?').get(fileloc) as
      { mtime_ms: number; size: number } | undefined;
    return row && { mtimeMs: row.mtime_ms, size: row.size };
  }

  setDagFile(fileloc: string, mtimeMs: number, size: number, parsedTime: number): void {
    this.sql('INSERT OR REPLACE INTO dag_file VALUES (?, ?, ?, ?)').run(
      fileloc,
      mtimeMs,
      size,
      parsedTime,
    );
  }

  /** Forgets files no longer in the dags folder (their DAGs turn inactive, their errors go). */
  forgetDagFilesOutside(filelocs: string[]): void {
    const placeholders = filelocs.map(() => '?').join(', ');
    const where = filelocs.length ? ` WHERE fileloc NOT IN (${placeholders})` : '';
    this.sql(`DELETE FROM dag_file${where}`).run(...filelocs);
    this.sql(
      `DELETE FROM import_error${filelocs.length ? ` WHERE filename NOT IN (${placeholders})` : ''}`,
    ).run(...filelocs);
  }

  // ---- import errors ------------------------------------------------------------------------

  setImportError(filename: string, stackTrace: string, now = Date.now()): void {
    this.sql(
      `INSERT INTO import_error (filename, timestamp, stack_trace) VALUES (?, ?, ?)
         ON CONFLICT (filename) DO UPDATE SET timestamp = excluded.timestamp, stack_trace = excluded.stack_trace`,
    ).run(filename, now, stackTrace);
  }

  clearImportError(filename: string): void {
    this.sql('DELETE FROM import_error WHERE filename = ?').run(filename);
  }

  getImportErrors(): ImportErrorRow[] {
    const rows = this.sql('SELECT * FROM import_error ORDER BY import_error_id').all() as Row[];
    return rows.map((row) => ({
      importErrorId: row.import_error_id as number,
      filename: row.filename as string,
      timestamp: row.timestamp as number,
      stackTrace: row.stack_trace as string,
    }));
  }

  // ---- DAG runs -----------------------------------------------------------------------------

  insertDagRun(run: Omit<DagRunRow, 'id'>): number {
    const result = this.sql(
      `INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start,
           data_interval_end, queued_at, start_date, end_date, external_trigger, conf, fileloc, spec, ir)
         VALUES (@dagId, @runId, @runType, @state, @logicalDate, @dataIntervalStart, @dataIntervalEnd,
           @queuedAt, @startDate, @endDate, @externalTrigger, @conf, @fileloc, @spec, @ir)`,
    ).run({
      ...run,
      externalTrigger: run.externalTrigger ? 1 : 0,
      conf: JSON.stringify(run.conf),
      spec: JSON.stringify(run.spec),
      ir: JSON.stringify(run.ir),
    });
    return Number(result.lastInsertRowid);
  }

  getDagRun(dagId: string, runId: string): DagRunRow | undefined {
    const row = this.sql('SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ?').get(
      dagId,
      runId,
    ) as Row | undefined;
    return row && toDagRun(row);
  }

  /** Runs, oldest first (by logical date, then creation), filtered by DAG and/or states. */
  getDagRuns(filter: { dagId?: string; states?: DagRunState[] } = {}): DagRunRow[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.dagId !== undefined) {
      where.push('dag_id = ?');
      args.push(filter.dagId);
    }
    if (filter.states) {
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      args.push(...filter.states);
    }
    const rows = this.sql(
      `SELECT * FROM dag_run ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY logical_date, id`,
    ).all(...args) as Row[];
    return rows.map(toDagRun);
  }

  /** The newest run of a DAG (by logical date). */
  latestDagRun(dagId: string): DagRunRow | undefined {
    const row = this.sql(
      'SELECT * FROM dag_run WHERE dag_id = ? ORDER BY logical_date DESC, id DESC LIMIT 1',
    ).get(dagId) as Row | undefined;
    return row && toDagRun(row);
  }

  /** The newest scheduled run's data interval end: where the next one starts. */
  latestScheduledRun(dagId: string): DagRunRow | undefined {
    const row = this.sql(
      `SELECT * FROM dag_run WHERE dag_id = ? AND run_type = 'scheduled' ORDER BY logical_date DESC LIMIT 1`,
    ).get(dagId) as Row | undefined;
    return row && toDagRun(row);
  }

  countDagRuns(dagId: string, state: DagRunState): number {
    return (
      this.sql('SELECT COUNT(*) AS n FROM dag_run WHERE dag_id = ? AND state = ?').get(
        dagId,
        state,
      ) as { n: number }
    ).n;
  }

  /** Updates a run's state only if it is still `from` (a compare-and-set); true if it changed. */
  updateDagRunState(
    id: number,
    from: DagRunState,
    changes: { state: DagRunState; startDate?: number; endDate?: number | null },
  ): boolean {
    const sets = ['state = @state'];
    if (changes.startDate !== undefined) sets.push('start_date = @startDate');
    if (changes.endDate !== undefined) sets.push('end_date = @endDate');
    return (
      this.sql(`UPDATE dag_run SET ${sets.join(', ')} WHERE id = @id AND state = @from`).run({
        ...changes,
        id,
        from,
      }).changes === 1
    );
  }

  // ---- task instances -----------------------------------------------------------------------

  insertTaskInstance(ti: {
    dagId: string;
    runId: string;
    taskId: string;
    maxTries: number;
    operator: string;
    upstream: string[];
  }): void {
    this.sql(
      `INSERT INTO task_instance (dag_id, run_id, task_id, max_tries, operator, upstream)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(ti.dagId, ti.runId, ti.taskId, ti.maxTries, ti.operator, JSON.stringify(ti.upstream));
  }

  getTaskInstance(key: TaskKey): TaskInstanceRow | undefined {
    const row = this.sql(
      'SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id = ?',
    ).get(key.dagId, key.runId, key.taskId) as Row | undefined;
    return row && toTaskInstance(row);
  }

  /** A run's task instances, in the order they were created (the DAG's order). */
  getTaskInstances(dagId: string, runId: string): TaskInstanceRow[] {
    const rows = this.sql(
      'SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? ORDER BY rowid',
    ).all(dagId, runId) as Row[];
    return rows.map(toTaskInstance);
  }

  getTaskInstancesInState(states: TaskState[]): TaskInstanceRow[] {
    const rows = this.sql(
      `SELECT * FROM task_instance WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY rowid`,
    ).all(...states) as Row[];
    return rows.map(toTaskInstance);
  }

  /** How many of a run's task instances are in none of `states` (or have no state). */
  countTaskInstancesNotIn(dagId: string, runId: string, states: readonly TaskState[]): number {
    return (
      this.sql(
        `SELECT COUNT(*) AS n FROM task_instance WHERE dag_id = ? AND run_id = ?
           AND (state IS NULL OR state NOT IN (${states.map(() => '?').join(', ')}))`,
      ).get(dagId, runId, ...states) as { n: number }
    ).n;
  }

  countTaskInstancesInState(states: TaskState[]): number {
    return (
      this.sql(
        `SELECT COUNT(*) AS n FROM task_instance WHERE state IN (${states.map(() => '?').join(', ')})`,
      ).get(...states) as { n: number }
    ).n;
  }

  /**
   * Changes a task instance only if its state (and try number, when given) is still what the
   * caller read: a compare-and-set, so that two processes never both move one task. True if it
   * changed.
   */
  updateTaskInstance(
    key: TaskKey,
    expect: { state: TaskState | null; tryNumber?: number },
    changes: Partial<Omit<TaskInstanceRow, 'dagId' | 'runId' | 'taskId' | 'upstream'>>,
  ): boolean {
    const columns: Record<string, string> = {
      state: 'state',
      tryNumber: 'try_number',
      maxTries: 'max_tries',
      operator: 'operator',
      queuedWhen: 'queued_when',
      startDate: 'start_date',
      endDate: 'end_date',
      nextRetryAt: 'next_retry_at',
      pid: 'pid',
      hostname: 'hostname',
      livenessSocket: 'liveness_socket',
      executionId: 'execution_id',
      cached: 'cached',
      error: 'error',
    };
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      sets.push(`${columns[name]} = @${name}`);
      values[name] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
    const stateCheck = expect.state === null ? 'state IS NULL' : 'state = @expectState';
    const tryCheck = expect.tryNumber === undefined ? '' : ' AND try_number = @expectTry';
    return (
      this.sql(
        `UPDATE task_instance SET ${sets.join(', ')}
           WHERE dag_id = @dagId AND run_id = @runId AND task_id = @taskId AND ${stateCheck}${tryCheck}`,
      ).run({
        ...values,
        dagId: key.dagId,
        runId: key.runId,
        taskId: key.taskId,
        expectState: expect.state,
        expectTry: expect.tryNumber,
      }).changes === 1
    );
  }
}

/**
 * Sets `key` to the JSON `text` parsed on first read: a tick reads every DAG and its running
 * runs, and most of them never look at their IR.
 */
function parsedOnRead<T extends object>(target: T, key: keyof T & string, text: string): T {
  const settle = (value: unknown): void => {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value: unknown = JSON.parse(text);
      settle(value);
      return value;
    },
    set: settle,
  });
  return target;
}

function toDag(row: Row): DagRow {
  const dag = {
    dagId: row.dag_id as string,
    fileloc: row.fileloc as string,
    isPaused: row.is_paused === 1,
    isActive: row.is_active === 1,
    spec: JSON.parse(row.spec as string) as DagSpec,
    lastParsedTime: row.last_parsed_time as number,
    nextDagrun: row.next_dagrun as number | null,
    nextDagrunCreateAfter: row.next_dagrun_create_after as number | null,
  } as DagRow;
  return parsedOnRead(dag, 'ir', row.ir as string);
}

function toDagRun(row: Row): DagRunRow {
  const run = {
    id: row.id as number,
    dagId: row.dag_id as string,
    runId: row.run_id as string,
    runType: row.run_type as RunType,
    state: row.state as DagRunState,
    logicalDate: row.logical_date as number,
    dataIntervalStart: row.data_interval_start as number | null,
    dataIntervalEnd: row.data_interval_end as number | null,
    queuedAt: row.queued_at as number,
    startDate: row.start_date as number | null,
    endDate: row.end_date as number | null,
    externalTrigger: row.external_trigger === 1,
    conf: JSON.parse(row.conf as string) as Record<string, unknown>,
    fileloc: row.fileloc as string,
    spec: JSON.parse(row.spec as string) as DagSpec,
  } as DagRunRow;
  return parsedOnRead(run, 'ir', row.ir as string);
}

function toTaskInstance(row: Row): TaskInstanceRow {
  return {
    dagId: row.dag_id as string,
    runId: row.run_id as string,
    taskId: row.task_id as string,
    state: row.state as TaskState | null,
    tryNumber: row.try_number as number,
    maxTries: row.max_tries as number,
    operator: row.operator as string,
    upstream: JSON.parse(row.upstream as string) as string[],
    queuedWhen: row.queued_when as number | null,
    startDate: row.start_date as number | null,
    endDate: row.end_date as number | null,
    nextRetryAt: row.next_retry_at as number | null,
    pid: row.pid as number | null,
    hostname: row.hostname as string | null,
    livenessSocket: row.liveness_socket as string | null,
    executionId: row.execution_id as number | null,
    cached: row.cached === 1,
    error: row.error as string | null,
  };
}
