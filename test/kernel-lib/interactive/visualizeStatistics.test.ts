// TFDV's visualize_statistics(lhs, rhs, lhs_name, rhs_name, allowlist_features,
// denylist_features) as InteractiveContext.visualizeStatistics, and the feature lists on show():
// one display of two named datasets (one split of each artifact), the features kept, and one
// clear error for what cannot be compared.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatisticsPayload } from '@tsfx/protocol';
import { CsvExampleGen } from '../../../kernel-lib/src/components/CsvExampleGen';
import { StatisticsGen } from '../../../kernel-lib/src/components/StatisticsGen';
import { InteractiveContext } from '../../../kernel-lib/src/interactive/InteractiveContext';
import { TAXI_CSV, tempDir } from '../../helpers';

// At the top level: the folder outlives the suite's tests.
const root = tempDir();

interface Message {
  data: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tslabJupyter = require('tslab/dist/jupyter') as {
  lastWriteDisplayData: ((m: Message) => void) | null;
};

const MIME = 'application/vnd.tsfx.statistics+json';

describe('InteractiveContext.visualizeStatistics', () => {
  let sent: Message[] = [];
  let context: InteractiveContext;
  let examples: CsvExampleGen;
  let stats: StatisticsGen;

  before(async () => {
    tslabJupyter.lastWriteDisplayData = (message) => sent.push(message);
    context = new InteractiveContext({ pipelineRoot: root });
    examples = new CsvExampleGen({ inputBase: TAXI_CSV });
    stats = new StatisticsGen({ examples: examples.outputs.examples });
    await context.run(examples);
    await context.run(stats);
  });
  after(() => {
    tslabJupyter.lastWriteDisplayData = null;
    context.close();
  });

  const lastPayload = (): StatisticsPayload => sent.at(-1)!.data[MIME] as StatisticsPayload;
  const featureNames = (p: StatisticsPayload, d: number) =>
    p.datasets[d]!.features.map((f) => f.name);

  it('shows lhs against rhs, one split each, under their names, with the features allowed', () => {
    sent = [];
    context.visualizeStatistics(stats.outputs.statistics, stats.outputs.statistics, {
      lhsSplit: 'eval',
      rhsSplit: 'train',
      lhsName: 'new data',
      rhsName: 'baseline',
      allowlistFeatures: ['fare', 'payment_type', 'trip_miles'],
      denylistFeatures: ['trip_miles'],
    });
    assert.equal(sent.length, 1, 'one display');
    assert.deepEqual(Object.keys(sent[0]!.data).sort(), [MIME, 'text/html', 'text/plain']);
    const payload = lastPayload();
    assert.deepEqual(
      payload.datasets.map((d) => [d.name, Number(d.numExamples)]),
      [
        ['new data', 5000],
        ['baseline', 10000],
      ],
    );
    assert.deepEqual(featureNames(payload, 0), ['fare', 'payment_type']);
    assert.deepEqual(featureNames(payload, 1), ['fare', 'payment_type']);
    // The static view names both and shows the drift of each feature between them.
    const html = String(sent[0]!.data['text/html']);
    assert.match(html, /new data \(5,000 examples\)/);
    assert.match(html, /title="drift new data vs baseline">L∞ \d\.\d{3} · JS \d\.\d{3}</);
    assert.doesNotMatch(html, /trip_miles/);
  });

  it('defaults: the train split of each, named by artifact id and split', () => {
    sent = [];
    context.visualizeStatistics(stats.outputs.statistics);
    const payload = lastPayload();
    const id = stats.outputs.statistics.artifacts[0]!.id;
    assert.deepEqual(
      payload.datasets.map((d) => d.name),
      [`#${id} train`],
    );
    assert.equal(featureNames(payload, 0).length, 18);
  });

  it('show() takes the same feature lists', async () => {
    sent = [];
    await context.show(stats.outputs.statistics, { denylistFeatures: ['company'] });
    const payload = lastPayload();
    assert.deepEqual(
      payload.datasets.map((d) => d.name),
      ['train', 'eval'],
    );
    assert.equal(featureNames(payload, 0).length, 17);
    assert.ok(!featureNames(payload, 0).includes('company'));
  });

  it('names what it cannot do: an unknown feature or split, an artifact of another type', async () => {
    assert.throws(
      () =>
        context.visualizeStatistics(stats.outputs.statistics, undefined, {
          allowlistFeatures: ['fare', 'nope'],
        }),
      /^TsfxError: allowlistFeatures: no feature named "nope"$/,
    );
    await assert.rejects(
      context.show(stats.outputs.statistics, { denylistFeatures: ['nope'] }),
      /denylistFeatures: no feature named "nope"/,
    );
    assert.throws(
      () => context.visualizeStatistics(stats.outputs.statistics, undefined, { lhsSplit: 'test' }),
      /split: ExampleStatistics \d+ has no split "test" \(it has train, eval\)/,
    );
    assert.throws(
      () => context.visualizeStatistics(examples.outputs.examples),
      /compares one ExampleStatistics artifact with another, not Examples/,
    );
  });
});
