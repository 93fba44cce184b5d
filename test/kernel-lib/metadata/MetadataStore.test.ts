import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { tempDir } from '../../helpers';

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

describe('MetadataStore', () => {
  it('stores artifacts with types, states and properties, and finds them by type', () => {
    const store = new MetadataStore(join(tempDir(), 'm.sqlite'));
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
    const store = new MetadataStore(join(tempDir(), 'm.sqlite'));
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
    const store = new MetadataStore(join(tempDir(), 'm.sqlite'));
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
    const store = new MetadataStore(join(tempDir(), 'm.sqlite'));
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
    const path = join(tempDir(), 'm.sqlite');
    const first = new MetadataStore(path);
    const id = first.createArtifact('Examples', '/e', 'LIVE');
    first.close();
    const second = new MetadataStore(path);
    assert.equal(second.getArtifact(id)?.uri, '/e');
    second.close();
  });
});
