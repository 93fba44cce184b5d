import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Trainer } from '../../../kernel-lib/src/components/Trainer';
import { Evaluator } from '../../../kernel-lib/src/components/Evaluator';
import {
  EVAL_CONFIG_FILE,
  METRICS_FILE,
  PLOTS_FILE,
  VALIDATIONS_FILE,
  check,
  MetricsForSliceSchema,
  sliceKeyName,
  ValidationResultSchema,
  type EvalConfigJson,
} from '@tsfx/protocol';
import { TAXI_EVAL_CONFIG, TRAIN_STEPS } from '../../../notebooks/dags/taxi_pipeline';
import { Transform } from '../../../kernel-lib/src/components/Transform';
import { InteractiveContext } from '../../../kernel-lib/src/interactive/InteractiveContext';
import { loadTf } from '../../../kernel-lib/src/trainer/backend';
import type { TrainingEvent } from '../../../kernel-lib/src/trainer/events';
import type { ProgressUpdate } from '../../../kernel-lib/src/pipeline/Component';
import { readExamples, specColumns } from '../../../kernel-lib/src/trainer/features';
import { loadServingBundle } from '../../../kernel-lib/src/trainer/servingBundle';
import { readRawInput } from '../../../kernel-lib/src/cli/commands/predict';
import { duckdbRows, REPO_ROOT, runCli, TAXI_CSV, tempDir, writeFile } from '../../helpers';
import { runTaxiChain } from '../taxiChain';

const MODULE = join(REPO_ROOT, 'notebooks', 'dags', 'taxi_utils.ts');

describe('Transform and Trainer on the taxi sample, scored by tsfx predict', async () => {
  const root = tempDir();
  const { run, exampleGen, schemaGen } = await runTaxiChain(root, TAXI_CSV);
  const transform = new Transform({
    examples: exampleGen.outputs.examples,
    schema: schemaGen.outputs.schema,
    moduleFile: MODULE,
  });
  await run(transform);
  const trainer = new Trainer({
    examples: transform.outputs.transformed_examples,
    transformGraph: transform.outputs.transform_graph,
    schema: schemaGen.outputs.schema,
    moduleFile: MODULE,
    trainArgs: { numSteps: TRAIN_STEPS },
    evalArgs: { numSteps: 0 },
  });
  // What the Trainer reports while it runs, as a caller's reporter receives it.
  const reported = { updates: [] as ProgressUpdate[], logs: [] as string[], ends: [] as string[] };
  await run(trainer, {
    log: (message) => reported.logs.push(message),
    progress: (update) => reported.updates.push(update),
    end: (outcome) => reported.ends.push('result' in outcome ? outcome.result.state : 'error'),
  });
  const examplesUri = exampleGen.outputs.examples.artifacts[0].uri;
  const transformedUri = transform.outputs.transformed_examples.artifacts[0].uri;
  const modelUri = trainer.outputs.model.artifacts[0].uri;
  const evalCsv = join(root, 'eval.csv');
  let predictAuc = NaN;
  await duckdbRows(
    `COPY (SELECT * FROM '${examplesUri}/Split-eval/data.parquet') TO '${evalCsv}' (HEADER)`,
  );

  it('writes transformed examples per split, in input order, and pre/post-transform statistics', async () => {
    for (const split of ['train', 'eval']) {
      const [raw] = await duckdbRows(
        `SELECT count(*)::INT AS n FROM '${examplesUri}/Split-${split}/data.parquet'`,
      );
      const [done] = await duckdbRows(
        `SELECT count(*)::INT AS n, count(fare_xf)::INT AS fares FROM '${transformedUri}/Split-${split}/data.parquet'`,
      );
      assert.equal(done.n, raw.n);
      assert.equal(done.fares, raw.n, 'every fare is filled, then z-scored');
    }
    const graphUri = transform.outputs.transform_graph.artifacts[0].uri;
    for (const dir of ['pre_transform_stats', 'post_transform_stats']) {
      const stats = JSON.parse(
        readFileSync(join(graphUri, dir, 'Split-train', 'FeatureStats.json'), 'utf8'),
      ) as { datasets: { numExamples: string }[] };
      assert.ok(Number(stats.datasets[0].numExamples) > 9000);
    }
  });

  it('logs per-batch and per-epoch scalars in events.jsonl', () => {
    const events = readFileSync(
      join(trainer.outputs.model_run.artifacts[0].uri, 'events.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainingEvent);
    const batches = events.filter(
      (e): e is Extract<TrainingEvent, { type: 'batch' }> => e.type === 'batch',
    );
    const epochs = events.filter(
      (e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch',
    );
    assert.equal(batches.length, TRAIN_STEPS);
    assert.deepEqual(
      batches.map((b) => b.step),
      Array.from({ length: TRAIN_STEPS }, (_, i) => i + 1),
    );
    assert.ok(epochs.length >= 4);
    for (const e of epochs) {
      assert.ok(e.validation.auc !== null && e.train.loss !== null && e.wallTime > 1.6e9);
    }
    const first = batches[0].train.loss!;
    const last = epochs[epochs.length - 1];
    assert.ok(last.train.loss! < first, 'the loss goes down');
  });

  it('reports every training event as progress: step of numSteps, loss, last validation AUC', () => {
    const events = readFileSync(
      join(trainer.outputs.model_run.artifacts[0].uri, 'events.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainingEvent);
    assert.deepEqual(
      reported.updates.map((u) => u.training),
      events,
    );
    assert.deepEqual(reported.updates[0], {
      step: 0,
      total: TRAIN_STEPS,
      metrics: { loss: null, val_auc: null },
      training: events[0],
    });
    let lastAuc: number | null = null;
    for (const [i, update] of reported.updates.entries()) {
      const event = events[i];
      if (event.type === 'epoch' || event.type === 'end') lastAuc = event.validation.auc;
      assert.equal(update.total, TRAIN_STEPS);
      assert.equal(update.step, event.type === 'start' ? 0 : event.step);
      assert.equal(update.metrics?.val_auc, lastAuc);
      if (event.type === 'batch') assert.equal(update.metrics?.loss, event.train.loss);
    }
    assert.equal(reported.updates[reported.updates.length - 1].step, TRAIN_STEPS);
    assert.ok(
      reported.logs.some((line) => /^epoch 1 step \d+: loss [\d.]+, validation loss/.test(line)),
    );
    assert.deepEqual(reported.ends, ['COMPLETE']);
  });

  it('context.show(model_run) sends the training curves as one bundle (payload, HTML, text)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require('tslab/dist/jupyter') as {
      lastWriteDisplayData: ((m: { data: Record<string, unknown> }) => void) | null;
    };
    const sent: Record<string, unknown>[] = [];
    jupyter.lastWriteDisplayData = (m) => sent.push(m.data);
    const context = new InteractiveContext({
      pipelineRoot: root,
      metadataPath: join(root, 'metadata.sqlite'),
    });
    try {
      await context.show(trainer.outputs.model_run.artifacts[0].id);
    } finally {
      jupyter.lastWriteDisplayData = null;
      context.close();
    }
    assert.equal(sent.length, 1);
    const payload = sent[0]['application/vnd.tsfx.training+json'] as {
      status: string;
      runs: { name: string; series: { tag: string; points: unknown[] }[] }[];
    };
    assert.equal(payload.status, 'done');
    const validation = payload.runs.find((r) => r.name === 'validation');
    assert.ok(validation?.series.some((s) => s.tag === 'auc' && s.points.length >= 1));
    assert.match(String(sent[0]['text/html']), /<svg/);
  });

  it('gives bit-identical features in Transform output, Trainer input and serving (missing and OOV too)', async () => {
    const { tf } = await loadTf('auto');
    const bundle = await loadServingBundle(tf, modelUri);
    const names = specColumns(bundle.manifest.featureSpec, false);
    // Transform's output as DuckDB reads it, the Trainer's reader, and predict's CSV reader + bundle.
    const written = await duckdbRows(
      `SELECT ${names.join(', ')} FROM '${transformedUri}/Split-eval/data.parquet'`,
    );
    const trainerInput = await readExamples(
      [join(transformedUri, 'Split-eval', 'data.parquet')],
      names,
    );
    const served = bundle.transformRaw(await readRawInput(evalCsv, bundle.manifest.rawFeatures));
    assert.equal(served.length, written.length);
    for (let i = 0; i < written.length; i++) {
      for (const name of names) {
        const a = Number(written[i][name]);
        assert.ok(Object.is(trainerInput.columns[name][i], a), `${name} row ${i} trainer`);
        assert.ok(Object.is(served[i][name], a), `${name} row ${i} serving`);
      }
    }
    const rawRows = await readRawInput(evalCsv, bundle.manifest.rawFeatures);
    const missing = rawRows.filter((r) => r.company === null || r.pickup_latitude === null).length;
    assert.ok(missing > 100, 'the eval split has rows with missing values');
    // An unseen company and missing values: scored, to an OOV bucket / the missing bucket.
    const odd = { ...rawRows[0], company: 'Never Seen Cab Co', pickup_latitude: null, fare: null };
    const [t] = bundle.transformRaw([odd]);
    const company = bundle.manifest.featureSpec.categorical.find((c) => c.name === 'company_xf')!;
    const oov = t.company_xf as number;
    assert.ok(oov >= company.numValues - 10 && oov < company.numValues, `OOV id ${oov}`);
    assert.equal(t.pickup_latitude_xf, 10);
    const p = bundle.predictRaw([odd]);
    assert.ok(p[0] >= 0 && p[0] <= 1);
  });

  it('tsfx predict scores raw eval rows in order; AUC >= 0.95 by scikit-learn', () => {
    const out = join(root, 'predictions.csv');
    const result = runCli(['predict', '--model', modelUri, evalCsv, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    const check = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import pandas as pd
from sklearn.metrics import roc_auc_score
d = pd.read_csv(${JSON.stringify(evalCsv)}); p = pd.read_csv(${JSON.stringify(out)})
assert list(p.columns) == ['probability'] and len(p) == len(d)
y = ((d.tips.fillna(0) > 0.2 * d.fare) & d.fare.notna()).astype(int)
print(roc_auc_score(y, p.probability))`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(check.status, 0, check.stderr);
    const auc = Number(check.stdout.trim());
    assert.ok(auc >= 0.95, `eval AUC ${auc}`);
    predictAuc = auc;
    const parquet = runCli([
      'predict',
      '--model',
      modelUri,
      join(examplesUri, 'Split-eval'),
      '--out',
      join(root, 'p2.csv'),
    ]);
    assert.equal(parquet.status, 0, parquet.stderr);
    assert.equal(readFileSync(join(root, 'p2.csv'), 'utf8'), readFileSync(out, 'utf8'));
  });

  it('the Evaluator (taxi EvalConfig) measures the same eval AUC through the serving path, and blesses', async () => {
    const evaluator = new Evaluator({
      examples: exampleGen.outputs.examples,
      model: trainer.outputs.model,
      evalConfig: TAXI_EVAL_CONFIG,
    });
    await run(evaluator);
    const dir = evaluator.outputs.evaluation.artifacts[0].uri;
    const metrics = readFileSync(join(dir, METRICS_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((line) => check(MetricsForSliceSchema, JSON.parse(line)));
    const overall = metrics.find((m) => sliceKeyName(m.sliceKey) === 'Overall')!;
    const auc = overall.metricKeysAndValues.find((e) => e.key.name === 'auc')!.value.doubleValue!;
    assert.ok(auc >= 0.95, `eval AUC ${auc} by the Evaluator`);
    assert.ok(Math.abs(auc - predictAuc) < 1e-9, `Evaluator ${auc} vs tsfx predict ${predictAuc}`);
    assert.ok(metrics.some((m) => sliceKeyName(m.sliceKey) === 'trip_start_hour:3'));
    assert.ok(existsSync(join(dir, PLOTS_FILE)) && existsSync(join(dir, EVAL_CONFIG_FILE)));
    const validation = check(
      ValidationResultSchema,
      JSON.parse(readFileSync(join(dir, VALIDATIONS_FILE), 'utf8')),
    );
    assert.equal(validation.rubberStamp, true, 'no baseline: a rubber stamp');
    const blessing = evaluator.outputs.blessing.artifacts[0];
    const blessed = validation.validationOk;
    assert.ok(existsSync(join(blessing.uri, blessed ? 'BLESSED' : 'NOT_BLESSED')));
    assert.ok(!existsSync(join(blessing.uri, blessed ? 'NOT_BLESSED' : 'BLESSED')));
    assert.equal(blessing.properties.blessed, blessed ? 1 : 0);
    assert.equal(blessing.properties.current_model_id, trainer.outputs.model.artifacts[0].id);
    assert.equal(blessing.properties.baseline_model_id, undefined);
  });

  it('the Evaluator with a baseline: change thresholds decide the blessing', async () => {
    const strict: EvalConfigJson = {
      modelSpecs: [{ labelKey: 'tips_xf' }],
      slicingSpecs: [{}],
      metricsSpecs: [
        {
          thresholds: {
            auc: { changeThreshold: { direction: 'HIGHER_IS_BETTER', absolute: 1e-9 } },
          },
        },
      ],
    };
    const evaluator = new Evaluator({
      examples: exampleGen.outputs.examples,
      model: trainer.outputs.model,
      baselineModel: trainer.outputs.model,
      evalConfig: strict,
    }).withId('StrictEvaluator');
    await run(evaluator);
    const validation = check(
      ValidationResultSchema,
      JSON.parse(
        readFileSync(join(evaluator.outputs.evaluation.artifacts[0].uri, VALIDATIONS_FILE), 'utf8'),
      ),
    );
    // The same model as its own baseline: a change of 0 is not the required improvement.
    assert.equal(validation.validationOk, false);
    assert.equal(validation.rubberStamp, false);
    const [failure] = validation.metricValidationsPerSlice[0].failures;
    assert.deepEqual(failure.metricKey, { name: 'auc', modelName: 'candidate', isDiff: true });
    assert.equal(failure.metricValue?.doubleValue, 0);
    const blessing = evaluator.outputs.blessing.artifacts[0];
    assert.ok(existsSync(join(blessing.uri, 'NOT_BLESSED')));
    assert.equal(blessing.properties.blessed, 0);
    assert.equal(blessing.properties.baseline_model_id, trainer.outputs.model.artifacts[0].id);
  });

  it('tsfx predict scores 250,000 Parquet rows in input order, row i the prediction of row i', async () => {
    // 250,000 rows (Node refuses to spread ~125,000 values into one call), read in DuckDB chunks
    // of 2,048 and scored in batches of 4,096: row i of the file is eval row (i * 7919) mod n, so
    // neighbouring rows differ and a chunk or batch out of place shows.
    const evalParquet = `${examplesUri}/Split-eval/data.parquet`;
    const [{ n }] = await duckdbRows(`SELECT count(*)::INTEGER AS n FROM '${evalParquet}'`);
    const evalRows = Number(n);
    const total = 250_000;
    const big = join(root, 'big.parquet');
    await duckdbRows(
      `COPY (
         SELECT e.* EXCLUDE (file_row_number)
         FROM range(${total}) AS r(i)
         JOIN read_parquet('${evalParquet}', file_row_number = true) AS e
           ON e.file_row_number = (r.i * 7919) % ${evalRows}
         ORDER BY r.i
       ) TO '${big}' (FORMAT parquet, ROW_GROUP_SIZE 30000)`,
    );
    const out = join(root, 'big.csv');
    const result = runCli(['predict', '--model', modelUri, big, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'probability');
    assert.equal(lines.length - 1, total);
    // The eval rows scored in memory, in the order of eval.csv (DuckDB's copy of the eval split,
    // whose order the AUC test above ties to the labels).
    const { tf } = await loadTf('auto');
    const bundle = await loadServingBundle(tf, modelUri);
    const expected = bundle.predictRaw(await readRawInput(evalCsv, bundle.manifest.rawFeatures));
    assert.equal(expected.length, evalRows);
    const wrong: number[] = [];
    for (let i = 0; i < total; i++) {
      if (lines[i + 1] !== String(expected[(i * 7919) % evalRows])) wrong.push(i);
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} rows differ, first ${wrong[0]}`);
    // The pattern can tell rows apart: neighbours almost never share a prediction.
    const distinct = lines.slice(2).filter((line, i) => line !== lines[i + 1]).length;
    assert.ok(distinct > 0.9 * total, `${distinct} rows differ from the row before`);
  });

  it('tsfx predict refuses a bad input file with its file and line', () => {
    const header = readFileSync(evalCsv, 'utf8').split('\n')[0];
    const columns = header.split(',');
    const good = columns.map((c) => (c === 'fare' ? '12.5' : '')).join(',');
    const bad = columns.map((c) => (c === 'fare' ? 'lots' : '')).join(',');
    const file = writeFile(root, 'bad.csv', `${header}\n${good}\n${bad}\n`);
    const result = runCli(['predict', '--model', modelUri, file]);
    assert.notEqual(result.status, 0);
    assert.match(result.lastLine, /bad\.csv:3: field \d+ \(fare\): "lots" is not a FLOAT/);
    const ragged = writeFile(root, 'ragged.csv', `${header}\n1,2\n`);
    const r2 = runCli(['predict', '--model', modelUri, ragged]);
    assert.notEqual(r2.status, 0);
    assert.match(r2.lastLine, /ragged\.csv:2/);
  });
});
