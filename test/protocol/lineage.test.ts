import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collapseLineage, repeatCount } from '@tsfx/protocol';
import type { LineageNode, LineagePayload } from '@tsfx/protocol';

const node = (id: string, label: string, state: string): LineageNode => ({
  id,
  kind: id.startsWith('a') ? 'artifact' : 'execution',
  label,
  state,
  cached: state === 'CACHED',
  properties: {},
});

/**
 * Examples a1 written by CsvExampleGen e1 and, from the cache, by e4, e6 and e8 (three reruns of
 * the pipeline); StatisticsGen e2 read it and wrote a2, and e5, e7 (cached) wrote a2 again from a1.
 * e9 is a cached CsvExampleGen that wrote another artifact, a3: not a repeat of e4.
 */
const payload: LineagePayload = {
  kind: 'lineage',
  focus: 'a2',
  nodes: [
    node('a1', 'Examples', 'LIVE'),
    node('a2', 'ExampleStatistics', 'LIVE'),
    node('a3', 'Examples', 'LIVE'),
    node('e1', 'CsvExampleGen', 'COMPLETE'),
    node('e2', 'StatisticsGen', 'COMPLETE'),
    node('e4', 'CsvExampleGen', 'CACHED'),
    node('e5', 'StatisticsGen', 'CACHED'),
    node('e6', 'CsvExampleGen', 'CACHED'),
    node('e7', 'StatisticsGen', 'CACHED'),
    node('e8', 'CsvExampleGen', 'CACHED'),
    node('e9', 'CsvExampleGen', 'CACHED'),
  ],
  edges: [
    { source: 'e1', target: 'a1', kind: 'output' },
    { source: 'a1', target: 'e2', kind: 'input' },
    { source: 'e2', target: 'a2', kind: 'output' },
    { source: 'e4', target: 'a1', kind: 'output' },
    { source: 'a1', target: 'e5', kind: 'input' },
    { source: 'e5', target: 'a2', kind: 'output' },
    { source: 'e6', target: 'a1', kind: 'output' },
    { source: 'a1', target: 'e7', kind: 'input' },
    { source: 'e7', target: 'a2', kind: 'output' },
    { source: 'e8', target: 'a1', kind: 'output' },
    { source: 'e9', target: 'a3', kind: 'output' },
  ],
};

describe('lineage with cached repeats collapsed', () => {
  it('keeps the oldest cached execution of each repeat, with the ids it stands for', () => {
    const graph = collapseLineage(payload);
    assert.deepEqual(
      graph.nodes.map((n) => [n.id, n.ids]),
      [
        ['a1', ['a1']],
        ['a2', ['a2']],
        ['a3', ['a3']],
        ['e1', ['e1']],
        ['e2', ['e2']],
        ['e4', ['e4', 'e6', 'e8']],
        ['e5', ['e5', 'e7']],
        ['e9', ['e9']],
      ],
    );
    assert.equal(repeatCount(graph.nodes.find((n) => n.id === 'e4')!), 3);
    assert.deepEqual(
      graph.edges.map((e) => `${e.source}>${e.target}`),
      ['e1>a1', 'a1>e2', 'e2>a2', 'e4>a1', 'a1>e5', 'e5>a2', 'e9>a3'],
    );
  });

  it('never collapses the focus, nor executions that ran', () => {
    const ran = {
      ...payload,
      nodes: payload.nodes.map((n) =>
        n.id === 'e6' ? node('e6', 'CsvExampleGen', 'COMPLETE') : n,
      ),
    };
    const ids = collapseLineage({ ...ran, focus: 'e8' }).nodes.map((n) => n.ids.join('+'));
    assert.ok(ids.includes('e6') && ids.includes('e8') && ids.includes('e4'), ids.join(' '));
  });
});
