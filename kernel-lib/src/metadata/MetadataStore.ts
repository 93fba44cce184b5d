import { TsfxError } from '../errors';
import { isPostgresUrl, PostgresConnection, postgresSchema } from './sql/postgresConnection';
import type { SqlConnection, SqlValue } from './sql/sqlConnection';
import { SqliteConnection } from './sql/sqliteConnection';
import type {
  ArtifactQuery,
  ArtifactRecord,
  ArtifactState,
  ContextRecord,
  ContextType,
  EventRecord,
  EventType,
  ExecutionRecord,
  ExecutionState,
  LineageGraph,
  Properties,
  PropertyValue,
} from './types';

/** Version 2 added context properties (a run's pipeline IR) and executions' liveness sockets. */
export const SCHEMA_VERSION = 2;

// Tables mirror ML Metadata's: types, artifacts, executions, events, contexts and the links of
// artifacts (attributions) and executions (associations) to contexts.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS artifact_types (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS artifacts (
  id INTEGER PRIMARY KEY, type_id INTEGER NOT NULL REFERENCES artifact_types(id),
  uri TEXT NOT NULL, state TEXT NOT NULL, properties TEXT NOT NULL DEFAULT '{}',
  create_time INTEGER NOT NULL, update_time INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS artifacts_by_type ON artifacts(type_id);
CREATE TABLE IF NOT EXISTS executions (
  id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, run_id TEXT NOT NULL,
  component_id TEXT NOT NULL, component_type TEXT NOT NULL, state TEXT NOT NULL,
  start_time INTEGER NOT NULL, end_time INTEGER, parameters TEXT NOT NULL DEFAULT '{}',
  cache_key TEXT, cached_from INTEGER REFERENCES executions(id), error TEXT, pid INTEGER,
  liveness_socket TEXT);
CREATE INDEX IF NOT EXISTS executions_by_component ON executions(pipeline, component_id);
CREATE INDEX IF NOT EXISTS executions_by_cache_key ON executions(cache_key);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, artifact_id INTEGER NOT NULL REFERENCES artifacts(id),
  execution_id INTEGER NOT NULL REFERENCES executions(id), type TEXT NOT NULL,
  key TEXT NOT NULL, time INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_artifact ON events(artifact_id);
CREATE INDEX IF NOT EXISTS events_by_execution ON events(execution_id);
CREATE TABLE IF NOT EXISTS contexts (
  id INTEGER PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,
  create_time INTEGER NOT NULL, properties TEXT NOT NULL DEFAULT '{}', UNIQUE(type, name));
CREATE TABLE IF NOT EXISTS attributions (
  context_id INTEGER NOT NULL REFERENCES contexts(id),
  artifact_id INTEGER NOT NULL REFERENCES artifacts(id), PRIMARY KEY (context_id, artifact_id));
CREATE TABLE IF NOT EXISTS associations (
  context_id INTEGER NOT NULL REFERENCES contexts(id),
  execution_id INTEGER NOT NULL REFERENCES executions(id), PRIMARY KEY (context_id, execution_id));
`;

/** In-place upgrades of an older store: `UPGRADES[v]` takes a version-v store to v + 1. */
const UPGRADES: Record<number, string> = {
  1: `ALTER TABLE contexts ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE executions ADD COLUMN liveness_socket TEXT;`,
};

interface ArtifactRow {
  id: number;
  type: string;
  uri: string;
  state: string;
  properties: string;
  create_time: number;
  update_time: number;
}

interface ExecutionRow {
  id: number;
  pipeline: string;
  run_id: string;
  component_id: string;
  component_type: string;
  state: string;
  start_time: number;
  end_time: number | null;
  parameters: string;
  cache_key: string | null;
  cached_from: number | null;
  error: string | null;
  pid: number | null;
  liveness_socket: string | null;
}

interface ContextRow {
  id: number;
  type: string;
  name: string;
  properties: string;
  create_time: number;
}

interface EventRow {
  artifact_id: number;
  execution_id: number;
  type: string;
  key: string;
  time: number;
}

const ARTIFACT_COLUMNS = `a.id, t.name AS type, a.uri, a.state, a.properties, a.create_time, a.update_time`;

export interface NewExecution {
  pipeline: string;
  runId: string;
  componentId: string;
  componentType: string;
  parameters: Record<string, unknown>;
  cacheKey: string | null;
  state?: ExecutionState;
  cachedFrom?: number | null;
  /** The Unix socket this process listens on while it lives (see orchestration/liveness.ts). */
  livenessSocket?: string | null;
}

/**
 * The metadata store, which records every artifact, execution and lineage edge: one SQLite file
 * (WAL mode), the embedded default, or a PostgreSQL database (`postgres://…`) for writers on
 * several hosts, with the same schema and statements. Writes that must land together go through
 * `transaction`.
 */
export class MetadataStore {
  private readonly db: SqlConnection;

  /** `path`: a SQLite file (`:memory:` for none), or a `postgres://` URL. */
  constructor(readonly path: string) {
    this.db = isPostgresUrl(path) ? new PostgresConnection(path) : new SqliteConnection(path);
    try {
      // Every task process opens the store: a current one is only read, not write-locked (a busy
      // store would keep the task waiting).
      if (this.storedVersion() !== SCHEMA_VERSION)
        this.db.transaction(() => this.createOrUpgrade());
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** The store's schema version, or null before its tables exist (createOrUpgrade then says more). */
  private storedVersion(): number | null {
    try {
      return (
        this.db.get<{ version: number }>('SELECT version FROM schema_version')?.version ?? null
      );
    } catch {
      return null;
    }
  }

  /** Creates the tables of a new store, or upgrades an older one in place (one transaction). */
  private createOrUpgrade(): void {
    this.db.exec(this.db.dialect === 'postgres' ? postgresSchema(SCHEMA) : SCHEMA);
    const row = this.db.get<{ version: number }>('SELECT version FROM schema_version');
    if (!row) {
      this.db.run('INSERT INTO schema_version VALUES (?)', SCHEMA_VERSION);
      return;
    }
    if (row.version > SCHEMA_VERSION) {
      throw new TsfxError(
        `metadata store ${this.path} has schema version ${row.version}, newer than this tsfx reads (${SCHEMA_VERSION}): use a newer tsfx`,
      );
    }
    for (let version = row.version; version < SCHEMA_VERSION; version++) {
      this.db.exec(UPGRADES[version]);
    }
    this.db.run('UPDATE schema_version SET version = ?', SCHEMA_VERSION);
  }

  /** The schema version of the open store (after any upgrade). */
  get schemaVersion(): number {
    return this.db.get<{ version: number }>('SELECT version FROM schema_version')!.version;
  }

  close(): void {
    this.db.close();
  }

  /** A write transaction taken at once: one writer at a time (see each connection). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  // ---- contexts -------------------------------------------------------------------------------

  /**
   * The id of the context of this type and name, created if new. ML Metadata's context types:
   * `pipeline` (every execution and artifact of a pipeline, named by the pipeline) and
   * `pipeline_run` (one run, named `<pipeline>/<run id>`).
   */
  context(type: ContextType, name: string): number {
    this.db.run(
      'INSERT OR IGNORE INTO contexts (type, name, create_time) VALUES (?, ?, ?)',
      type,
      name,
      Date.now(),
    );
    return this.db.get<{ id: number }>(
      'SELECT id FROM contexts WHERE type = ? AND name = ?',
      type,
      name,
    )!.id;
  }

  getContext(type: ContextType, name: string): ContextRecord | undefined {
    const row = this.db.get<ContextRow>(
      'SELECT * FROM contexts WHERE type = ? AND name = ?',
      type,
      name,
    );
    return row && toContext(row);
  }

  /** Sets properties of a context (others it has are kept). */
  setContextProperties(id: number, properties: Properties): void {
    const row = this.db.get<{ properties: string }>(
      'SELECT properties FROM contexts WHERE id = ?',
      id,
    );
    if (!row) throw new Error(`no context ${id}`);
    const merged = { ...(JSON.parse(row.properties) as Properties), ...properties };
    this.db.run('UPDATE contexts SET properties = ? WHERE id = ?', JSON.stringify(merged), id);
  }

  attribute(contextId: number, artifactId: number): void {
    this.db.run(
      'INSERT OR IGNORE INTO attributions (context_id, artifact_id) VALUES (?, ?)',
      contextId,
      artifactId,
    );
  }

  associate(contextId: number, executionId: number): void {
    this.db.run(
      'INSERT OR IGNORE INTO associations (context_id, execution_id) VALUES (?, ?)',
      contextId,
      executionId,
    );
  }

  // ---- artifacts ------------------------------------------------------------------------------

  createArtifact(
    type: string,
    uri: string,
    state: ArtifactState,
    properties: Properties = {},
  ): number {
    this.db.run('INSERT OR IGNORE INTO artifact_types (name) VALUES (?)', type);
    const typeId = this.db.get<{ id: number }>(
      'SELECT id FROM artifact_types WHERE name = ?',
      type,
    )!.id;
    const now = Date.now();
    return this.db.insert(
      'INSERT INTO artifacts (type_id, uri, state, properties, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?)',
      typeId,
      uri,
      state,
      JSON.stringify(properties),
      now,
      now,
    );
  }

  updateArtifact(
    id: number,
    changes: { state?: ArtifactState; properties?: Properties; uri?: string },
  ): void {
    const current = this.getArtifact(id);
    if (!current) throw new Error(`no artifact ${id}`);
    this.db.run(
      'UPDATE artifacts SET state = ?, properties = ?, uri = ?, update_time = ? WHERE id = ?',
      changes.state ?? current.state,
      JSON.stringify(changes.properties ?? current.properties),
      changes.uri ?? current.uri,
      Date.now(),
      id,
    );
  }

  getArtifact(id: number): ArtifactRecord | undefined {
    const row = this.db.get<ArtifactRow>(
      `SELECT ${ARTIFACT_COLUMNS} FROM artifacts a JOIN artifact_types t ON t.id = a.type_id WHERE a.id = ?`,
      id,
    );
    return row && toArtifact(row);
  }

  /** Artifacts in the order they were created (oldest first), optionally of one type and/or state. */
  getArtifacts(filter: { type?: string; state?: ArtifactState } = {}): ArtifactRecord[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.type) {
      where.push('t.name = ?');
      args.push(filter.type);
    }
    if (filter.state) {
      where.push('a.state = ?');
      args.push(filter.state);
    }
    const rows = this.db.all<ArtifactRow>(
      `SELECT ${ARTIFACT_COLUMNS} FROM artifacts a JOIN artifact_types t ON t.id = a.type_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id`,
      ...args,
    );
    return rows.map(toArtifact);
  }

  /**
   * Artifacts that match every field of `query`, newest first (by artifact id, descending): "the
   * latest LIVE artifact of type T with property P in context C" is
   * `findArtifacts({ type: T, state: 'LIVE', properties: P, context: C, limit: 1 })[0]`.
   * `producer` keeps the artifacts a component output (wrote, or reused from cache) under a key.
   */
  findArtifacts(query: ArtifactQuery): ArtifactRecord[] {
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (query.type !== undefined) {
      where.push('t.name = ?');
      args.push(query.type);
    }
    if (query.state !== undefined) {
      where.push('a.state = ?');
      args.push(query.state);
    }
    for (const [key, value] of Object.entries(query.properties ?? {})) {
      const [clause, ...values] = propertyCondition(this.db.dialect, key, value);
      where.push(clause);
      args.push(...values);
    }
    if (query.context) {
      where.push(`a.id IN (SELECT c.artifact_id FROM attributions c JOIN contexts x ON x.id = c.context_id
        WHERE x.type = ? AND x.name = ?)`);
      args.push(query.context.type, query.context.name);
    }
    if (query.producer) {
      where.push(`a.id IN (SELECT e.artifact_id FROM events e JOIN executions x ON x.id = e.execution_id
        WHERE e.type = 'OUTPUT' AND x.component_id = ?${query.producer.outputKey !== undefined ? ' AND e.key = ?' : ''})`);
      args.push(query.producer.componentId);
      if (query.producer.outputKey !== undefined) args.push(query.producer.outputKey);
    }
    const limit = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
    const rows = this.db.all<ArtifactRow>(
      `SELECT ${ARTIFACT_COLUMNS} FROM artifacts a JOIN artifact_types t ON t.id = a.type_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC${limit}`,
      ...args,
    );
    return rows.map(toArtifact);
  }

  /** The newest artifact matching `query` (see `findArtifacts`), if any. */
  latestArtifact(query: Omit<ArtifactQuery, 'limit'>): ArtifactRecord | undefined {
    return this.findArtifacts({ ...query, limit: 1 })[0];
  }

  /**
   * The LIVE artifacts a component output under `outputKey` in its newest successful (`COMPLETE`
   * or `CACHED`) execution associated with a context (a pipeline run); empty if it has none.
   */
  getContextOutputs(contextId: number, componentId: string, outputKey: string): ArtifactRecord[] {
    const execution = this.latestContextExecution(contextId, componentId);
    if (!execution) return [];
    return (this.getOutputs(execution.id).get(outputKey) ?? []).filter((a) => a.state === 'LIVE');
  }

  /** A component's newest successful (`COMPLETE` or `CACHED`) execution in a context, if any. */
  latestContextExecution(contextId: number, componentId: string): ExecutionRecord | undefined {
    const row = this.db.get<ExecutionRow>(
      `SELECT x.* FROM executions x JOIN associations s ON s.execution_id = x.id
         WHERE s.context_id = ? AND x.component_id = ? AND x.state IN ('COMPLETE', 'CACHED')
         ORDER BY x.id DESC LIMIT 1`,
      contextId,
      componentId,
    );
    return row && toExecution(row);
  }

  // ---- executions -----------------------------------------------------------------------------

  createExecution(e: NewExecution): number {
    return this.db.insert(
      `INSERT INTO executions (pipeline, run_id, component_id, component_type, state, start_time,
           parameters, cache_key, cached_from, pid, liveness_socket)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.pipeline,
      e.runId,
      e.componentId,
      e.componentType,
      e.state ?? 'RUNNING',
      Date.now(),
      JSON.stringify(e.parameters),
      e.cacheKey,
      e.cachedFrom ?? null,
      process.pid,
      e.livenessSocket ?? null,
    );
  }

  finishExecution(id: number, state: ExecutionState, error: string | null = null): void {
    this.db.run(
      'UPDATE executions SET state = ?, end_time = ?, error = ? WHERE id = ?',
      state,
      Date.now(),
      error,
      id,
    );
  }

  getExecution(id: number): ExecutionRecord | undefined {
    const row = this.db.get<ExecutionRow>('SELECT * FROM executions WHERE id = ?', id);
    return row && toExecution(row);
  }

  /** Executions, oldest first, optionally of one component (and pipeline) and/or state. */
  getExecutions(
    filter: { pipeline?: string; componentId?: string; state?: ExecutionState } = {},
  ): ExecutionRecord[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.pipeline) {
      where.push('pipeline = ?');
      args.push(filter.pipeline);
    }
    if (filter.componentId) {
      where.push('component_id = ?');
      args.push(filter.componentId);
    }
    if (filter.state) {
      where.push('state = ?');
      args.push(filter.state);
    }
    const rows = this.db.all<ExecutionRow>(
      `SELECT * FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      ...args,
    );
    return rows.map(toExecution);
  }

  /** The newest successful (non-cached) execution with this cache key. */
  findExecutionByCacheKey(
    pipeline: string,
    componentId: string,
    cacheKey: string,
  ): ExecutionRecord | undefined {
    const row = this.db.get<ExecutionRow>(
      `SELECT * FROM executions WHERE pipeline = ? AND component_id = ? AND cache_key = ?
         AND state = 'COMPLETE' ORDER BY id DESC LIMIT 1`,
      pipeline,
      componentId,
      cacheKey,
    );
    return row && toExecution(row);
  }

  // ---- events and lineage ---------------------------------------------------------------------

  addEvent(executionId: number, artifactId: number, type: EventType, key: string): void {
    this.db.run(
      'INSERT INTO events (artifact_id, execution_id, type, key, time) VALUES (?, ?, ?, ?, ?)',
      artifactId,
      executionId,
      type,
      key,
      Date.now(),
    );
  }

  getEvents(filter: { executionId?: number; artifactId?: number }): EventRecord[] {
    const rows = (
      filter.executionId !== undefined
        ? this.db.all('SELECT * FROM events WHERE execution_id = ? ORDER BY id', filter.executionId)
        : this.db.all(
            'SELECT * FROM events WHERE artifact_id = ? ORDER BY id',
            filter.artifactId ?? null,
          )
    ) as EventRow[];
    return rows.map(toEvent);
  }

  /** Output artifacts of an execution, by output key. */
  getOutputs(executionId: number): Map<string, ArtifactRecord[]> {
    const outputs = new Map<string, ArtifactRecord[]>();
    for (const event of this.getEvents({ executionId })) {
      if (event.type !== 'OUTPUT') continue;
      const artifact = this.getArtifact(event.artifactId);
      if (!artifact) continue;
      const list = outputs.get(event.key) ?? [];
      list.push(artifact);
      outputs.set(event.key, list);
    }
    return outputs;
  }

  /** Artifacts an execution declared as outputs but has not published (still PENDING). */
  getPendingOutputs(executionId: number): ArtifactRecord[] {
    return this.getEvents({ executionId })
      .filter((e) => e.type === 'PENDING_OUTPUT')
      .map((e) => this.getArtifact(e.artifactId))
      .filter((a): a is ArtifactRecord => a !== undefined && a.state === 'PENDING');
  }

  /** The first execution that wrote this artifact (not a cached reuse of it). */
  getProducer(artifactId: number): ExecutionRecord | undefined {
    const row = this.db.get<ExecutionRow>(
      `SELECT x.* FROM events e JOIN executions x ON x.id = e.execution_id
         WHERE e.artifact_id = ? AND e.type = 'OUTPUT' AND x.cached_from IS NULL ORDER BY x.id LIMIT 1`,
      artifactId,
    );
    return row && toExecution(row);
  }

  /**
   * The lineage of an artifact both ways: upstream (the executions that wrote it, their inputs,
   * and so on) and downstream (the executions that read it, their outputs, and so on).
   */
  getLineage(
    artifactId: number,
    direction: 'upstream' | 'downstream' | 'both' = 'both',
  ): LineageGraph {
    const artifacts = new Map<number, ArtifactRecord>();
    const executions = new Map<number, ExecutionRecord>();
    const events = new Map<string, EventRecord>();
    const start = this.getArtifact(artifactId);
    if (!start) return { artifacts: [], executions: [], events: [] };
    artifacts.set(start.id, start);
    const walk = (up: boolean): void => {
      const queue = [start.id];
      const seen = new Set<number>(queue);
      while (queue.length > 0) {
        const current = queue.shift()!;
        for (const event of this.getEvents({ artifactId: current })) {
          if (event.type !== (up ? 'OUTPUT' : 'INPUT')) continue;
          events.set(`${event.executionId}:${event.artifactId}:${event.type}:${event.key}`, event);
          if (!executions.has(event.executionId)) {
            const execution = this.getExecution(event.executionId);
            if (execution) executions.set(execution.id, execution);
          }
          for (const other of this.getEvents({ executionId: event.executionId })) {
            if (other.type !== (up ? 'INPUT' : 'OUTPUT')) continue;
            events.set(
              `${other.executionId}:${other.artifactId}:${other.type}:${other.key}`,
              other,
            );
            if (seen.has(other.artifactId)) continue;
            seen.add(other.artifactId);
            const artifact = this.getArtifact(other.artifactId);
            if (artifact) artifacts.set(artifact.id, artifact);
            queue.push(other.artifactId);
          }
        }
      }
    };
    if (direction !== 'downstream') walk(true);
    if (direction !== 'upstream') walk(false);
    return {
      artifacts: [...artifacts.values()].sort((a, b) => a.id - b.id),
      executions: [...executions.values()].sort((a, b) => a.id - b.id),
      events: [...events.values()],
    };
  }
}

function toArtifact(row: ArtifactRow): ArtifactRecord {
  return {
    id: row.id,
    type: row.type,
    uri: row.uri,
    state: row.state as ArtifactState,
    properties: JSON.parse(row.properties) as Properties,
    createTime: row.create_time,
    updateTime: row.update_time,
  };
}

function toExecution(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    pipeline: row.pipeline,
    runId: row.run_id,
    componentId: row.component_id,
    componentType: row.component_type,
    state: row.state as ExecutionState,
    startTime: row.start_time,
    endTime: row.end_time,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    cacheKey: row.cache_key,
    cachedFrom: row.cached_from,
    error: row.error,
    pid: row.pid,
    livenessSocket: row.liveness_socket,
  };
}

function toContext(row: ContextRow): ContextRecord {
  return {
    id: row.id,
    type: row.type as ContextType,
    name: row.name,
    properties: JSON.parse(row.properties) as Properties,
    createTime: row.create_time,
  };
}

/**
 * A condition on one property (stored in a JSON column) that also compares the JSON type, so that
 * `"1"`, `1` and `true` are three different values: `[clause, ...bound values]`.
 */
function propertyCondition(
  dialect: SqlConnection['dialect'],
  key: string,
  value: PropertyValue,
): [string, ...SqlValue[]] {
  if (key.includes('"')) throw new TsfxError(`property name ${key} holds a double quote`);
  if (dialect === 'postgres') return postgresPropertyCondition(key, value);
  const path = `$."${key}"`;
  if (value === null) return [`json_type(a.properties, ?) = 'null'`, path];
  if (typeof value === 'boolean') return [`json_type(a.properties, ?) = ?`, path, String(value)];
  const types = typeof value === 'number' ? `('integer', 'real')` : `('text')`;
  return [
    `json_type(a.properties, ?) IN ${types} AND json_extract(a.properties, ?) = ?`,
    path,
    path,
    value,
  ];
}

function toEvent(row: EventRow): EventRecord {
  return {
    artifactId: row.artifact_id,
    executionId: row.execution_id,
    type: row.type as EventType,
    key: row.key,
    time: row.time,
  };
}

/** `propertyCondition` with PostgreSQL's jsonb operators (the column holds JSON text). */
function postgresPropertyCondition(key: string, value: PropertyValue): [string, ...SqlValue[]] {
  const field = `(a.properties::jsonb -> ?)`;
  if (value === null) return [`jsonb_typeof${field} = 'null'`, key];
  if (typeof value === 'boolean')
    return [`jsonb_typeof${field} = 'boolean' AND ${field} = ?::jsonb`, key, key, String(value)];
  if (typeof value === 'number') {
    return [
      `jsonb_typeof${field} = 'number' AND ${field} = ?::jsonb`,
      key,
      key,
      JSON.stringify(value),
    ];
  }
  return [`jsonb_typeof${field} = 'string' AND (a.properties::jsonb ->> ?) = ?`, key, key, value];
}
