import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers';

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string;
  ename?: string;
  evalue?: string;
}

/**
 * Runs notebooks/notebook.ipynb top to bottom with the tslab kernel (nbclient, as Jupyter would)
 * and checks what each cell showed.
 */
describe('notebooks/notebook.ipynb', () => {
  const out = join(tempDir(), 'executed.ipynb');
  const script = `
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
client = nbclient.NotebookClient(nb, timeout=300, kernel_name='tslab', resources={'metadata': {'path': sys.argv[3]}})
client.execute()
nbformat.write(nb, sys.argv[2])`;
  const run = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      script,
      join(REPO_ROOT, 'notebooks', 'notebook.ipynb'),
      out,
      join(REPO_ROOT, 'notebooks'),
    ],
    {
      encoding: 'utf8',
      // The tslab kernel spec that setup installs into build/jupyter.
      env: {
        ...process.env,
        JUPYTER_PATH: join(REPO_ROOT, 'build', 'jupyter', 'share', 'jupyter'),
      },
    },
  );

  it('runs every cell without an error', () => {
    assert.equal(run.status, 0, `nbclient failed:\n${run.stderr.slice(-3000)}`);
  });

  const notebook =
    run.status === 0
      ? (JSON.parse(readFileSync(out, 'utf8')) as {
          cells: { cell_type: string; outputs?: Output[] }[];
        })
      : null;
  const outputs = (notebook?.cells ?? [])
    .filter((c) => c.cell_type === 'code')
    .flatMap((c) => c.outputs ?? []);
  // nbformat may store a text entry as a list of lines.
  const text = (value: unknown): string =>
    Array.isArray(value) ? value.join('') : String(value ?? '');
  const bundles = (mime: string): Record<string, unknown>[] =>
    outputs
      .filter((o) => o.output_type === 'display_data' && o.data?.[mime] !== undefined)
      .map((o) => o.data!);

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

  it('shows the progress of each run, finished', () => {
    const progress = outputs.filter((o) =>
      /^(CsvExampleGen|StatisticsGen|SchemaGen|ExampleValidator|Transform|Trainer) \[/.test(
        text(o.data?.['text/plain']),
      ),
    );
    assert.equal(progress.length, 6);
    for (const p of progress) {
      assert.match(text(p.data!['text/plain']), /^\w+ \[(done|cached)\] /);
      assert.match(text(p.data!['text/html']), /class="tsfx-progress"/);
    }
  });

  it('shows the transformed examples and one raw example through the transform graph', () => {
    const transformed = bundles('application/vnd.tsfx.examples+json')
      .map((b) => b['application/vnd.tsfx.examples+json'] as { columns: { name: string }[] })
      .find((p) => p.columns.some((c) => c.name === 'fare_xf'));
    assert.ok(transformed, 'the transformed examples were displayed');
    assert.ok(transformed.columns.some((c) => c.name === 'tips_xf'));
    const printed = outputs
      .filter((o) => o.output_type === 'stream')
      .map((o) => text(o.text))
      .find((t) => t.includes('company_xf'));
    assert.ok(printed, 'the transformed raw example was printed');
    for (const name of [
      'trip_miles_xf',
      'pickup_latitude_xf',
      'dropoff_census_tract_xf',
      'tips_xf',
    ])
      assert.match(printed, new RegExp(`${name}: [-\\d.e]+,?\\n`));
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
    // context.show(model_run), after the live display (updated in place to its final state) when
    // the Trainer ran rather than reused an earlier run of this notebook's context.
    const trainerRun = outputs
      .map((o) => text(o.data?.['text/plain']))
      .find((t) => t.startsWith('Trainer ['));
    assert.match(trainerRun ?? '', /^Trainer \[(done|cached)\]/);
    assert.equal(training.length, trainerRun!.startsWith('Trainer [done]') ? 2 : 1);
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
});
