// TFDV's visualize_statistics(lhs, rhs, lhs_name, rhs_name, allowlist_features,
// denylist_features) as InteractiveContext.visualizeStatistics, and the feature lists on show():
// one display of two named datasets (one split of each artifact), the features kept, and one
// clear error for what cannot be compared.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExamplesPayload, StatisticsPayload } from '@tsfx/protocol';
import { ImportSchemaGen } from '../../../kernel-lib/src/components/ImportSchemaGen';
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

  it('show([a, b]) compares two statistics artifacts in ONE view, split by split', async () => {
    // A second ExampleStatistics artifact of the same examples (the cache off: a new artifact).
    const again = new StatisticsGen({ examples: examples.outputs.examples });
    await context.run(again, { enableCache: false });
    const a = stats.outputs.statistics.artifacts[0]!.id;
    const b = again.outputs.statistics.artifacts[0]!.id;
    assert.notEqual(a, b);
    sent = [];
    await context.show([stats.outputs.statistics, again.outputs.statistics]);
    assert.equal(sent.length, 1, 'one display');
    const payload = lastPayload();
    assert.deepEqual(
      payload.artifacts.map((x) => x.id),
      [a, b],
    );
    assert.deepEqual(
      payload.datasets.map((d) => [d.name, Number(d.numExamples)]),
      [
        [`#${a} train`, 10000],
        [`#${b} train`, 10000],
        [`#${a} eval`, 5000],
        [`#${b} eval`, 5000],
      ],
    );
    // The drift shown is between the same split of the two artifacts: equal data, no drift.
    const html = String(sent[0]!.data['text/html']);
    assert.match(
      html,
      new RegExp(`title="drift #${a} train vs #${b} train">L∞ 0\\.000 · JS 0\\.000<`),
    );
  });

  it("a schema's time domains go with the statistics and the examples", async () => {
    // TFDV marks Unix times in the schema: time_domain { integer_format: UNIX_SECONDS }.
    const file = join(root, 'timed-schema.json');
    writeFileSync(
      file,
      JSON.stringify({
        feature: [
          {
            name: 'trip_start_timestamp',
            type: 'INT',
            timeDomain: { integerFormat: 'UNIX_SECONDS' },
          },
          { name: 'trip_start_hour', type: 'INT', timeDomain: { stringFormat: '%H' } },
          { name: 'fare', type: 'FLOAT' },
        ],
      }),
    );
    const imported = new ImportSchemaGen({ schemaFile: file });
    await context.run(imported);
    sent = [];
    await context.show(stats.outputs.statistics, { schema: imported.outputs.schema });
    assert.deepEqual(lastPayload().timeFormats, { trip_start_timestamp: 'UNIX_SECONDS' });
    context.visualizeStatistics(stats.outputs.statistics, undefined, {
      schema: imported.outputs.schema,
    });
    assert.deepEqual(lastPayload().timeFormats, { trip_start_timestamp: 'UNIX_SECONDS' });
    await context.show(examples.outputs.examples, { schema: imported.outputs.schema });
    const shown = sent.at(-1)!.data['application/vnd.tsfx.examples+json'] as ExamplesPayload;
    assert.deepEqual(shown.timeFormats, { trip_start_timestamp: 'UNIX_SECONDS' });
    // The static fallback writes the times as dates too: the sample's first row starts at
    // 1380593700 (data.csv), datetime.fromtimestamp(1380593700, UTC) in Python.
    const fallback = String(sent.at(-1)!.data['text/html']);
    assert.match(fallback, /<td>2013-10-01 02:15:00 UTC<\/td>/);
    assert.doesNotMatch(fallback, /<td>1380593700<\/td>/);
    // Without a schema, no time formats (the views fall back on the feature's name).
    await context.show(stats.outputs.statistics);
    assert.equal(lastPayload().timeFormats, undefined);
    await assert.rejects(
      context.show(stats.outputs.statistics, { schema: stats.outputs.statistics }),
      /^TsfxError: schema: expected a Schema artifact, not ExampleStatistics$/,
    );
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
