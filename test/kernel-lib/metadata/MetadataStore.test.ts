import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { Client } from 'pg';
import { tempDir, whileWriteLocked } from '../../helpers';
import { startPostgres, type PostgresServer } from '../../servers/postgresServer';

function execution(store: MetadataStore, componentId: string): number {
  return store.createExecution({
    pipeline: 'p',
    runId: 'r1',
    componentId,
    componentType: componentId,
    parameters: { k: 1 },
    cacheKey: null,
  });
}

/**
 * The store's behaviour, run against each backend: `location()` names a new, empty store (a SQLite
 * file, or a PostgreSQL database of a real server started for this file).
 */
function storeSuite(backend: string, location: () => string): void {
  describe(`MetadataStore on ${backend}`, () => {
    it('stores artifacts with types, states and properties, and finds them by type', () => {
      const store = new MetadataStore(location());
      const a = store.createArtifact('Examples', '/x/1', 'PENDING');
      const b = store.createArtifact('Schema', '/x/2', 'LIVE', { n: 3, ok: true });
      store.updateArtifact(a, { state: 'LIVE', properties: { split_names: '["train"]' } });
      assert.deepEqual(
        store.getArtifacts({ type: 'Examples' }).map((x) => [x.id, x.state, x.properties]),
        [[a, 'LIVE', { split_names: '["train"]' }]],
      );
      assert.deepEqual(store.getArtifact(b)?.properties, { n: 3, ok: true });
      assert.equal(store.getArtifacts({ state: 'LIVE' }).length, 2);
      store.close();
    });

    it('records executions by component with state, times, parameters and error', () => {
      const store = new MetadataStore(location());
      const e1 = execution(store, 'A');
      const e2 = execution(store, 'B');
      store.finishExecution(e1, 'COMPLETE');
      store.finishExecution(e2, 'FAILED', 'boom');
      const [a] = store.getExecutions({ componentId: 'A' });
      assert.equal(a.id, e1);
      assert.equal(a.state, 'COMPLETE');
      assert.deepEqual(a.parameters, { k: 1 });
      assert.ok(a.endTime !== null && a.endTime >= a.startTime);
      assert.equal(store.getExecution(e2)?.error, 'boom');
      assert.deepEqual(
        store.getExecutions({ state: 'FAILED' }).map((e) => e.componentId),
        ['B'],
      );
      store.close();
    });

    it('rolls a transaction back whole when it throws', () => {
      const store = new MetadataStore(location());
      assert.throws(() =>
        store.transaction(() => {
          store.createArtifact('Examples', '/x/1', 'LIVE');
          throw new Error('abort');
        }),
      );
      assert.equal(store.getArtifacts().length, 0);
      store.close();
    });

    it('walks lineage upstream and downstream through events', () => {
      const store = new MetadataStore(location());
      // gen -> examples -> stats -> statistics -> schemaGen -> schema; examples also -> other
      const gen = execution(store, 'Gen');
      const examples = store.createArtifact('Examples', '/e', 'LIVE');
      store.addEvent(gen, examples, 'OUTPUT', 'examples');
      const stats = execution(store, 'Stats');
      store.addEvent(stats, examples, 'INPUT', 'examples');
      const statistics = store.createArtifact('ExampleStatistics', '/s', 'LIVE');
      store.addEvent(stats, statistics, 'OUTPUT', 'statistics');
      const schemaGen = execution(store, 'SchemaGen');
      store.addEvent(schemaGen, statistics, 'INPUT', 'statistics');
      const schema = store.createArtifact('Schema', '/sc', 'LIVE');
      store.addEvent(schemaGen, schema, 'OUTPUT', 'schema');
      const unrelated = store.createArtifact('Model', '/m', 'LIVE');

      const up = store.getLineage(schema, 'upstream');
      assert.deepEqual(
        up.artifacts.map((a) => a.id),
        [examples, statistics, schema],
      );
      assert.deepEqual(
        up.executions.map((e) => e.componentId),
        ['Gen', 'Stats', 'SchemaGen'],
      );
      const down = store.getLineage(examples, 'downstream');
      assert.deepEqual(
        down.artifacts.map((a) => a.id),
        [examples, statistics, schema],
      );
      assert.ok(!down.artifacts.some((a) => a.id === unrelated));
      const both = store.getLineage(statistics);
      assert.equal(both.artifacts.length, 3);
      assert.equal(both.executions.length, 3);
      assert.equal(both.events.length, 5);
      assert.equal(store.getProducer(statistics)?.componentId, 'Stats');
      store.close();
    });

    it('persists across reopening', () => {
      const path = location();
      const first = new MetadataStore(path);
      const id = first.createArtifact('Examples', '/e', 'LIVE');
      first.close();
      const second = new MetadataStore(path);
      assert.equal(second.getArtifact(id)?.uri, '/e');
      second.close();
    });

    it('lists artifacts oldest first', () => {
      const store = new MetadataStore(location());
      const ids = [1, 2, 3].map((i) => store.createArtifact('Examples', `/x/${i}`, 'LIVE'));
      assert.deepEqual(
        store.getArtifacts({ type: 'Examples' }).map((a) => a.id),
        ids,
      );
      store.close();
    });

    describe('findArtifacts: the latest artifact of a type, by properties, in a context', () => {
      function producedIn(
        store: MetadataStore,
        pipeline: string,
        componentId: string,
        key: string,
        type: string,
        properties: Record<string, string | number | boolean | null>,
        state: 'LIVE' | 'ABANDONED' = 'LIVE',
      ): number {
        const execution = store.createExecution({
          pipeline,
          runId: 'r',
          componentId,
          componentType: componentId,
          parameters: {},
          cacheKey: null,
        });
        const artifact = store.createArtifact(
          type,
          `/${pipeline}/${componentId}/${execution}`,
          state,
          properties,
        );
        store.addEvent(execution, artifact, 'OUTPUT', key);
        store.attribute(store.context('pipeline', pipeline), artifact);
        return artifact;
      }

      it('returns the newest first, filtered by type, state, context, producer and properties', () => {
        const store = new MetadataStore(location());
        const blessedOld = producedIn(store, 'taxi', 'Evaluator', 'blessing', 'ModelBlessing', {
          blessed: true,
        });
        const notBlessed = producedIn(store, 'taxi', 'Evaluator', 'blessing', 'ModelBlessing', {
          blessed: false,
        });
        const blessedNew = producedIn(store, 'taxi', 'Evaluator', 'blessing', 'ModelBlessing', {
          blessed: true,
        });
        producedIn(
          store,
          'taxi',
          'Evaluator',
          'blessing',
          'ModelBlessing',
          { blessed: true },
          'ABANDONED',
        );
        producedIn(store, 'other', 'Evaluator', 'blessing', 'ModelBlessing', { blessed: true });
        const query = {
          type: 'ModelBlessing',
          state: 'LIVE' as const,
          context: { type: 'pipeline' as const, name: 'taxi' },
        };
        assert.deepEqual(
          store.findArtifacts({ ...query, properties: { blessed: true } }).map((a) => a.id),
          [blessedNew, blessedOld],
        );
        assert.equal(
          store.latestArtifact({ ...query, properties: { blessed: true } })?.id,
          blessedNew,
        );
        assert.equal(
          store.latestArtifact({ ...query, properties: { blessed: false } })?.id,
          notBlessed,
        );
        assert.equal(store.findArtifacts({ ...query, limit: 2 }).length, 2);
        assert.equal(
          store.latestArtifact({
            ...query,
            producer: { componentId: 'Evaluator', outputKey: 'other' },
          }),
          undefined,
        );
        assert.equal(
          store.latestArtifact({
            ...query,
            producer: { componentId: 'Evaluator', outputKey: 'blessing' },
          })?.id,
          blessedNew,
        );
        assert.equal(
          store.latestArtifact({ ...query, producer: { componentId: 'Trainer' } }),
          undefined,
        );
        store.close();
      });

      it('compares property values with their JSON type: "1", 1, true and null differ', () => {
        const store = new MetadataStore(location());
        const text = store.createArtifact('Model', '/a', 'LIVE', { v: '1' });
        const number = store.createArtifact('Model', '/b', 'LIVE', { v: 1 });
        const bool = store.createArtifact('Model', '/c', 'LIVE', { v: true });
        const nil = store.createArtifact('Model', '/d', 'LIVE', { v: null });
        store.createArtifact('Model', '/e', 'LIVE', {});
        const ids = (v: string | number | boolean | null) =>
          store.findArtifacts({ properties: { v } }).map((a) => a.id);
        assert.deepEqual(ids('1'), [text]);
        assert.deepEqual(ids(1), [number]);
        assert.deepEqual(ids(true), [bool]);
        assert.deepEqual(ids(null), [nil]);
        assert.deepEqual(ids(false), []);
        store.close();
      });
    });

    it("finds a run's outputs: the newest successful execution of a component in that context", () => {
      const store = new MetadataStore(location());
      const run = store.context('pipeline_run', 'p/r1');
      const run2 = store.context('pipeline_run', 'p/r2');
      const output = (context: number, state: 'COMPLETE' | 'FAILED'): number => {
        const e = execution(store, 'Gen');
        const a = store.createArtifact(
          'Examples',
          `/e/${e}`,
          state === 'COMPLETE' ? 'LIVE' : 'ABANDONED',
        );
        store.addEvent(e, a, 'OUTPUT', 'examples');
        store.finishExecution(e, state);
        store.associate(context, e);
        return a;
      };
      const first = output(run, 'COMPLETE');
      output(run2, 'COMPLETE');
      output(run, 'FAILED');
      assert.deepEqual(
        store.getContextOutputs(run, 'Gen', 'examples').map((a) => a.id),
        [first],
      );
      assert.deepEqual(store.getContextOutputs(run, 'Gen', 'other'), []);
      assert.deepEqual(store.getContextOutputs(run, 'Other', 'examples'), []);
      store.close();
    });

    it('keeps context properties, merging new ones', () => {
      const store = new MetadataStore(location());
      const id = store.context('pipeline_run', 'p/r1');
      assert.equal(store.context('pipeline_run', 'p/r1'), id, 'one context per type and name');
      store.setContextProperties(id, { pipeline_ir: '{}', run_id: 'r1' });
      store.setContextProperties(id, { run_id: 'r1b' });
      assert.deepEqual(store.getContext('pipeline_run', 'p/r1')?.properties, {
        pipeline_ir: '{}',
        run_id: 'r1b',
      });
      assert.equal(store.getContext('pipeline', 'p/r1'), undefined);
      store.close();
    });
  });
}

storeSuite('SQLite', () => join(tempDir(), 'm.sqlite'));

/** Databases made ahead (creating one is asynchronous; the suite's tests are not). */
const postgresDatabases: string[] = [];
let postgres: PostgresServer | null = null;
before(async () => {
  const server = (postgres = await startPostgres());
  const admin = new Client({ connectionString: server.url('postgres') });
  await admin.connect();
  try {
    for (let i = 0; i < 16; i++) {
      await admin.query(`CREATE DATABASE store_${i}`);
      postgresDatabases.push(server.url(`store_${i}`));
    }
  } finally {
    await admin.end();
  }
});
after(() => postgres?.stop());
storeSuite('PostgreSQL', () => {
  const url = postgresDatabases.shift();
  if (!url) throw new Error('no PostgreSQL database left: make more in before()');
  return url;
});

describe('MetadataStore on SQLite: schema versions', () => {
  // The tables of schema version 1 as tsfx 0.1 created them (copied here, not imported).
  const VERSION_1 = `
      CREATE TABLE schema_version (version INTEGER NOT NULL);
      INSERT INTO schema_version VALUES (1);
      CREATE TABLE artifact_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY, type_id INTEGER NOT NULL REFERENCES artifact_types(id),
        uri TEXT NOT NULL, state TEXT NOT NULL, properties TEXT NOT NULL DEFAULT '{}',
        create_time INTEGER NOT NULL, update_time INTEGER NOT NULL);
      CREATE TABLE executions (
        id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, run_id TEXT NOT NULL,
        component_id TEXT NOT NULL, component_type TEXT NOT NULL, state TEXT NOT NULL,
        start_time INTEGER NOT NULL, end_time INTEGER, parameters TEXT NOT NULL DEFAULT '{}',
        cache_key TEXT, cached_from INTEGER REFERENCES executions(id), error TEXT, pid INTEGER);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY, artifact_id INTEGER NOT NULL REFERENCES artifacts(id),
        execution_id INTEGER NOT NULL REFERENCES executions(id), type TEXT NOT NULL,
        key TEXT NOT NULL, time INTEGER NOT NULL);
      CREATE TABLE contexts (
        id INTEGER PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,
        create_time INTEGER NOT NULL, UNIQUE(type, name));
      CREATE TABLE attributions (
        context_id INTEGER NOT NULL REFERENCES contexts(id),
        artifact_id INTEGER NOT NULL REFERENCES artifacts(id), PRIMARY KEY (context_id, artifact_id));
      CREATE TABLE associations (
        context_id INTEGER NOT NULL REFERENCES contexts(id),
        execution_id INTEGER NOT NULL REFERENCES executions(id), PRIMARY KEY (context_id, execution_id));
      INSERT INTO artifact_types (id, name) VALUES (1, 'Examples');
      INSERT INTO artifacts VALUES (1, 1, '/old/1', 'LIVE', '{"n":3}', 5, 6);
      INSERT INTO executions VALUES (1, 'p', 'r', 'Gen', 'Gen', 'RUNNING', 5, NULL, '{}', NULL, NULL, NULL, 4242);
      INSERT INTO contexts VALUES (1, 'pipeline', 'p', 5);
      INSERT INTO attributions VALUES (1, 1);`;

  it('upgrades a version 1 store in place, keeping its records', () => {
    const path = join(tempDir(), 'm.sqlite');
    const old = new Database(path);
    old.exec(VERSION_1);
    old.close();
    const store = new MetadataStore(path);
    assert.equal(store.schemaVersion, 2);
    assert.deepEqual(store.getArtifact(1)?.properties, { n: 3 });
    const [running] = store.getExecutions({ state: 'RUNNING' });
    assert.equal(running.pid, 4242);
    assert.equal(running.livenessSocket, null);
    assert.deepEqual(store.getContext('pipeline', 'p')?.properties, {});
    assert.equal(
      store.latestArtifact({ type: 'Examples', context: { type: 'pipeline', name: 'p' } })?.id,
      1,
    );
    store.close();
    // Opening it again does not upgrade twice.
    const again = new MetadataStore(path);
    assert.equal(again.schemaVersion, 2);
    again.close();
  });

  it('opens a current store while another connection holds the write lock', () => {
    const path = join(tempDir(), 'm.sqlite');
    new MetadataStore(path).close();
    whileWriteLocked(path, () => {
      // Without waiting out the busy timeout (10 s) and failing with "database is locked".
      const store = new MetadataStore(path);
      assert.equal(store.schemaVersion, 2);
      store.close();
    });
  });

  it('refuses a store of a newer version than it reads', () => {
    const path = join(tempDir(), 'm.sqlite');
    new MetadataStore(path).close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    assert.throws(
      () => new MetadataStore(path),
      /has schema version 99, newer than this tsfx reads \(2\)/,
    );
  });
});
