import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TAXI_COMPONENTS, tempDir } from '../helpers';
import { executeNotebook, notebookEnvironment } from './notebookRun';

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string;
  ename?: string;
  evalue?: string;
}

interface Cell {
  cell_type: string;
  outputs?: Output[];
}

// nbformat may store a text entry as a list of lines.
const text = (value: unknown): string =>
  Array.isArray(value) ? value.join('') : String(value ?? '');

/** The outputs of an executed notebook, and what they show. */
function outputsOf(path: string | null) {
  const notebook = path ? (JSON.parse(readFileSync(path, 'utf8')) as { cells: Cell[] }) : null;
  const outputs = (notebook?.cells ?? [])
    .filter((c) => c.cell_type === 'code')
    .flatMap((c) => c.outputs ?? []);
  const bundles = (mime: string): Record<string, unknown>[] =>
    outputs
      .filter((o) => o.output_type === 'display_data' && o.data?.[mime] !== undefined)
      .map((o) => o.data!);
  /** How each component's run ended (its progress line's final state), by component id. */
  const progress = new Map(
    outputs
      .map((o) => /^(\w+) \[(done|cached|failed)\] /.exec(text(o.data?.['text/plain'])))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  /** What cells printed and the values they ended with (tslab prints both to stdout). */
  const printed = outputs.filter((o) => o.output_type === 'stream').map((o) => text(o.text));
  return { notebook, outputs, bundles, progress, printed };
}

/** The taxi pipeline's components as the notebook runs them: a curated schema imported after validation. */
const COMPONENTS = TAXI_COMPONENTS.flatMap((id) =>
  id === 'ExampleValidator' ? [id, 'ImportSchemaGen'] : [id],
);

/**
 * Runs notebooks/notebook.ipynb top to bottom with the tslab kernel (nbclient, as Jupyter would)
 * into a fresh folder, so that every component runs, and checks what each cell showed; then once
 * more into the same folder.
 */
describe('notebooks/notebook.ipynb', () => {
  const dir = tempDir();
  const env = notebookEnvironment(dir);
  const out = join(dir, 'executed.ipynb');
  const run = executeNotebook(out, env);

  it('runs every cell without an error', () => {
    assert.equal(run.status, 0, `nbclient failed:\n${run.stderr.slice(-3000)}`);
  });

  const { notebook, outputs, bundles, progress, printed } = outputsOf(
    run.status === 0 ? out : null,
  );

  it('has no error outputs and no stderr', () => {
    assert.ok(notebook, 'the notebook ran');
    assert.deepEqual(
      outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
      [],
    );
    assert.deepEqual(
      outputs
        .filter((o) => o.output_type === 'stream' && (o as { name?: string }).name === 'stderr')
        .map((o) => o.text),
      [],
    );
  });

  it('compares the eval split with the train split in one view, as visualize_statistics', () => {
    const compared = bundles('application/vnd.tsfx.statistics+json')[1]?.[
      'application/vnd.tsfx.statistics+json'
    ] as { datasets: { name: string; numExamples: string }[] } | undefined;
    assert.deepEqual(
      compared?.datasets.map((d) => d.name),
      ['EVAL_DATASET', 'TRAIN_DATASET'],
    );
    // The sample's 15,000 rows split 1:2 (eval:train), as CsvExampleGen's default hash buckets.
    const [evalRows, trainRows] = compared!.datasets.map((d) => Number(d.numExamples));
    assert.equal(evalRows + trainRows, 15000);
    assert.ok(trainRows > 1.8 * evalRows && trainRows < 2.2 * evalRows, `${evalRows}:${trainRows}`);
  });

  it("shows the examples' timestamps as dates given the curated schema's time domain", () => {
    const withSchema = bundles('application/vnd.tsfx.examples+json')
      .map(
        (b) => b['application/vnd.tsfx.examples+json'] as { timeFormats?: Record<string, string> },
      )
      .filter((p) => p.timeFormats !== undefined);
    assert.deepEqual(
      withSchema.map((p) => p.timeFormats),
      [{ trip_start_timestamp: 'UNIX_SECONDS' }],
    );
  });

  it('shows the examples as one bundle: tsfx JSON, HTML fallback and text', () => {
    const [bundle] = bundles('application/vnd.tsfx.examples+json');
    assert.ok(bundle, 'an examples bundle was displayed');
    const payload = bundle['application/vnd.tsfx.examples+json'] as {
      kind: string;
      columns: { name: string; type: string }[];
      splits: { name: string; numRows: number; sampleRows: unknown[][] }[];
    };
    assert.equal(payload.kind, 'examples');
    assert.equal(payload.columns.length, 18);
    assert.deepEqual(
      payload.splits.map((s) => s.name),
      ['train', 'eval'],
    );
    assert.equal(payload.splits[0].numRows + payload.splits[1].numRows, 15000);
    assert.equal(payload.splits[0].sampleRows.length, 10);
    assert.equal(payload.splits[0].sampleRows[0].length, 18);
    const html = text(bundle['text/html']);
    assert.match(html, /<table>/);
    assert.match(html, /Split train: first 10 of \d+ rows/);
    assert.match(html, /fare \(FLOAT\)/);
  });

  it('shows the statistics of train and eval, the schema and the anomalies', () => {
    const [statistics] = bundles('application/vnd.tsfx.statistics+json');
    assert.ok(statistics, 'a statistics bundle was displayed');
    const stats = statistics['application/vnd.tsfx.statistics+json'] as {
      datasets: { name: string; numExamples: string; features: { name: string }[] }[];
    };
    assert.deepEqual(
      stats.datasets.map((d) => d.name),
      ['train', 'eval'],
    );
    assert.equal(
      stats.datasets.reduce((a, d) => a + Number(d.numExamples), 0),
      15000,
    );
    assert.equal(stats.datasets[0].features.length, 18);
    assert.match(text(statistics['text/html']), /tsfx-statistics-fallback/);

    const [schema] = bundles('application/vnd.tsfx.schema+json');
    assert.ok(schema, 'a schema bundle was displayed');
    const schemaPayload = schema['application/vnd.tsfx.schema+json'] as {
      schema: { feature: { name: string }[] };
    };
    assert.equal(schemaPayload.schema.feature.length, 18);

    const [anomalies] = bundles('application/vnd.tsfx.anomalies+json');
    assert.ok(anomalies, 'an anomalies bundle was displayed');
    const splits = (
      anomalies['application/vnd.tsfx.anomalies+json'] as {
        splits: { name: string; anomalies: { anomalyInfo: Record<string, unknown> } }[];
      }
    ).splits;
    assert.deepEqual(
      splits.map((s) => [s.name, Object.keys(s.anomalies.anomalyInfo)]),
      [
        ['train', []],
        ['eval', ['company']],
      ],
    );
    assert.match(text(anomalies['text/html']), /No anomalies found/);
  });

  it('runs every component in its fresh folder: each progress line ends done', () => {
    assert.deepEqual(
      COMPONENTS.map((id) => [id, progress.get(id)]),
      COMPONENTS.map((id) => [id, 'done']),
    );
    // One progress line per component run, each finished.
    const lines = outputs
      .filter((o) => text(o.data?.['text/html']).includes('class="tsfx-progress"'))
      .map((o) => text(o.data!['text/plain']));
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      COMPONENTS,
    );
    for (const line of lines) assert.match(line, /^\w+ \[done\] /);
  });

  it('shows the transformed examples and one raw example through the transform graph', () => {
    const transformed = bundles('application/vnd.tsfx.examples+json')
      .map((b) => b['application/vnd.tsfx.examples+json'] as { columns: { name: string }[] })
      .find((p) => p.columns.some((c) => c.name === 'fare_xf'));
    assert.ok(transformed, 'the transformed examples were displayed');
    assert.ok(transformed.columns.some((c) => c.name === 'tips_xf'));
    const example = printed.find((t) => t.includes('company_xf'));
    assert.ok(example, 'the transformed raw example was printed');
    for (const name of [
      'trip_miles_xf',
      'pickup_latitude_xf',
      'dropoff_census_tract_xf',
      'tips_xf',
    ])
      assert.match(example, new RegExp(`${name}: [-\\d.e]+,?\\n`));
  });

  it('trains with live curves, shows the run and scores the raw example through the served model', () => {
    const training = bundles('application/vnd.tsfx.training+json').map(
      (b) =>
        b['application/vnd.tsfx.training+json'] as {
          status: string;
          progress: { step: number; numSteps: number };
          runs: { name: string; series: { tag: string; points: { value: number }[] }[] }[];
        },
    );
    // The live display, updated in place while the Trainer ran (to its final state), then
    // context.show(model_run).
    assert.equal(progress.get('Trainer'), 'done');
    assert.equal(training.length, 2);
    for (const payload of training) {
      assert.equal(payload.status, 'done');
      assert.equal(payload.progress.step, payload.progress.numSteps);
      const auc = payload.runs
        .find((r) => r.name === 'validation')
        ?.series.find((s) => s.tag === 'auc')?.points;
      assert.ok(auc && auc.length >= 2, 'validation AUC per epoch');
      assert.ok(auc[auc.length - 1].value >= 0.94, `validation AUC ${auc[auc.length - 1].value}`);
    }
    const scored = outputs
      .map((o) => text(o.text ?? o.data?.['text/plain']))
      .find((t) => t.includes('P(tip > 20% of the fare)'));
    assert.ok(scored, 'the served model scored the raw example');
    const probability = Number(/= ([\d.]+)/.exec(scored)?.[1]);
    assert.ok(probability >= 0 && probability <= 1, scored);
  });

  it('shows the lineage of the examples', () => {
    const [bundle] = bundles('application/vnd.tsfx.lineage+json');
    assert.ok(bundle, 'a lineage bundle was displayed');
    const payload = bundle['application/vnd.tsfx.lineage+json'] as {
      nodes: { kind: string; label: string }[];
      edges: unknown[];
    };
    assert.ok(payload.nodes.some((n) => n.kind === 'execution' && n.label === 'CsvExampleGen'));
    assert.ok(payload.nodes.some((n) => n.kind === 'artifact' && n.label === 'Examples'));
    assert.ok(payload.nodes.some((n) => n.kind === 'execution' && n.label === 'Trainer'));
    assert.ok(payload.edges.length >= 1);
  });

  it('Part 4: resolves no baseline on a first run, evaluates per hour and blesses (a rubber stamp)', () => {
    assert.ok(printed.some((t) => t.includes('no blessed model yet: no baseline')));
    const table = outputs
      .map((o) => text(o.data?.['text/html']))
      .find((h) => h.includes('metrics.jsonl: the candidate model per slice'));
    assert.ok(table, 'the metrics table was displayed');
    // The overall slice and the 24 hours, each with its example count.
    const rows = [...table.matchAll(/<tr><td>([^<]+)<\/td><td>(\d+)<\/td>/g)];
    assert.equal(rows[0][1], 'Overall');
    assert.equal(rows.length, 25);
    assert.equal(
      rows.slice(1).reduce((sum, r) => sum + Number(r[2]), 0),
      Number(rows[0][2]),
    );
    const verdict = printed.find((t) => t.includes('validation_ok:'));
    assert.match(
      verdict ?? '',
      /^validation_ok: true, rubber stamp: true\nBLESSED: model \d+ \(no baseline\)\n$/,
    );
    // Every artifact of Parts 2 to 4 in its own view, and the pipeline's evaluation history.
    for (const kind of [
      'transform-graph',
      'model',
      'evaluation',
      'blessing',
      'evaluation-history',
    ]) {
      assert.equal(bundles(`application/vnd.tsfx.${kind}+json`).length, 1, kind);
    }
  });

  it('Part 5: pushes the blessed model, serves it with tsfx serve, predicts raw trips, stops it', () => {
    assert.ok(printed.some((t) => /pushed version \d+ to .*serving_model/.test(t)));
    assert.equal(bundles('application/vnd.tsfx.pushed-model+json').length, 1);
    const served = printed.find((t) => t.startsWith('tsfx serve, version'));
    const match =
      /^tsfx serve, version (\d+): P\(tip > 20% of the fare\) = ([\d.]+), ([\d.]+), ([\d.]+)\n$/.exec(
        served ?? '',
      );
    assert.ok(match, served);
    for (const p of match.slice(2).map(Number)) assert.ok(p >= 0 && p <= 1, served);
    assert.ok(printed.some((t) => t.includes('tsfx serve stopped (exit 0)')));
  });

  it("reads the scheduled pipeline's latest artifacts and shows its statistics", () => {
    const listed = printed.find((t) => t.includes('StatisticsGen: statistics #'));
    assert.match(listed ?? '', /CsvExampleGen: examples #\d+/);
    const statistics = bundles('application/vnd.tsfx.statistics+json');
    assert.equal(
      statistics.length,
      3,
      "the notebook's statistics, the eval/train comparison, then the scheduled run's",
    );
    const scheduled = statistics[2]['application/vnd.tsfx.statistics+json'] as {
      datasets: { name: string; numExamples: string }[];
    };
    assert.deepEqual(
      scheduled.datasets.map((d) => d.name),
      ['train', 'eval'],
    );
    assert.equal(
      scheduled.datasets.reduce((a, d) => a + Number(d.numExamples), 0),
      15000,
    );
  });

  describe('run again into the same folder', () => {
    const again = join(dir, 'again.ipynb');
    const rerun = run.status === 0 ? executeNotebook(again, env) : null;
    const second = outputsOf(rerun?.status === 0 ? again : null);

    it("reuses the cached components and compares the model with the first run's", () => {
      assert.equal(rerun?.status, 0, `nbclient failed:\n${rerun?.stderr.slice(-3000)}`);
      assert.deepEqual(
        COMPONENTS.map((id) => [id, second.progress.get(id)]),
        COMPONENTS.map((id) => [
          id,
          // A Resolver resolves again on every run; with a baseline now, the Evaluator's inputs
          // changed, and so did the Pusher's blessing.
          ['latest_blessed_model_resolver', 'Evaluator', 'Pusher'].includes(id) ? 'done' : 'cached',
        ]),
      );
      // No live training display: only context.show(model_run).
      assert.equal(second.bundles('application/vnd.tsfx.training+json').length, 1);
      const model = /BLESSED: model (\d+)/.exec(printed.find((t) => t.includes('BLESSED')) ?? '');
      assert.ok(model);
      assert.ok(
        second.printed.some((t) =>
          t.includes(`baseline: Model ${model[1]}, the latest blessed model`),
        ),
      );
      assert.match(
        second.printed.find((t) => t.includes('validation_ok:')) ?? '',
        new RegExp(
          `^validation_ok: true, rubber stamp: false\nBLESSED: model ${model[1]} against baseline model ${model[1]}\n$`,
        ),
      );
    });
  });
});
