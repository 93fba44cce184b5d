import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChannel, parsePipelineIr, pipelineEdges, type PipelineIr } from '@tsfx/protocol';

/** A small IR, written out: gen -> stats -> schema, with an optional input. */
const IR: PipelineIr = {
  irVersion: 1,
  name: 'p',
  pipelineRoot: '/root',
  metadataPath: '/root/metadata.sqlite',
  enableCache: true,
  components: [
    {
      id: 'Gen',
      type: 'CsvExampleGen',
      parameters: { inputBase: '/data', splits: [{ name: 'train', hashBuckets: 2 }] },
      inputs: {},
      outputs: { examples: 'Examples' },
      moduleFiles: [],
    },
    {
      id: 'Stats.v2',
      type: 'StatisticsGen',
      parameters: {},
      inputs: { examples: { channel: 'Gen.examples', optional: false } },
      outputs: { statistics: 'ExampleStatistics' },
      moduleFiles: [],
    },
    {
      id: 'Schema',
      type: 'SchemaGen',
      parameters: { inferFeatureShape: false },
      inputs: {
        statistics: { channel: 'Stats.v2.statistics', optional: false },
        baseline: { channel: 'Gen.examples', optional: true },
      },
      outputs: { schema: 'Schema' },
      moduleFiles: [{ path: '/code/module.ts', sha256: 'a'.repeat(64) }],
    },
  ],
};

const broken = (change: (ir: PipelineIr) => void): unknown => {
  const copy = JSON.parse(JSON.stringify(IR)) as PipelineIr;
  change(copy);
  return copy;
};

describe('pipeline IR schema (protocol/src/api/pipeline.ts)', () => {
  it('reads a valid IR unchanged, and lists its edges', () => {
    assert.deepEqual(parsePipelineIr(JSON.parse(JSON.stringify(IR))), IR);
    assert.deepEqual(pipelineEdges(IR), [
      { from: 'Gen', output: 'examples', to: 'Stats.v2', input: 'examples', optional: false },
      {
        from: 'Stats.v2',
        output: 'statistics',
        to: 'Schema',
        input: 'statistics',
        optional: false,
      },
      { from: 'Gen', output: 'examples', to: 'Schema', input: 'baseline', optional: true },
    ]);
  });

  it('splits a channel at its last dot (ids may hold dots, keys may not)', () => {
    assert.deepEqual(parseChannel('Stats.v2.statistics'), {
      producer: 'Stats.v2',
      key: 'statistics',
    });
    assert.equal(parseChannel('Gen'), null);
    assert.equal(parseChannel('Gen.'), null);
    assert.equal(parseChannel('.examples'), null);
  });

  it('refuses a broken IR, naming the place of the first problem', () => {
    const cases: [(ir: PipelineIr) => void, string][] = [
      [
        (x) => x.components.reverse(),
        'components[0].inputs.statistics.channel: Stats.v2.statistics is not an output of a component listed before Schema',
      ],
      [
        (x) => (x.components[1].inputs.examples.channel = 'Gen.missing'),
        'components[1].inputs.examples.channel: Gen.missing is not an output of a component listed before Stats.v2',
      ],
      [
        (x) => (x.components[1].inputs.examples.channel = 'Gen'),
        'components[1].inputs.examples.channel: expected a channel "<producer id>.<output key>", got "Gen"',
      ],
      [(x) => (x.components[2].id = 'Gen'), 'components[2].id: a second component with id "Gen"'],
      [(x) => ((x as { irVersion: number }).irVersion = 2), 'irVersion: expected 1, got 2'],
      [
        (x) => delete (x.components[0] as Partial<PipelineIr['components'][0]>).outputs,
        'components[0].outputs: missing',
      ],
      [
        (x) => (x.components[2].moduleFiles[0].sha256 = 'abc'),
        'components[2].moduleFiles[0].sha256: expected a SHA-256 in hex, got "abc"',
      ],
      [
        (x) => (x.components[0].outputs = { 'bad.key': 'Examples' }),
        'components[0].outputs["bad.key"]: expected a key: an identifier without dots, got "bad.key"',
      ],
    ];
    for (const [change, message] of cases) {
      assert.throws(
        () => parsePipelineIr(broken(change)),
        (error: Error) => error.message === message || assert.fail(error.message),
      );
    }
  });
});
