// The model analysis payloads from real runs: two taxi models (8 and 16 training steps), the
// Evaluator on the second with the first as its baseline, a Pusher. The expected values are read
// from the files the Evaluator wrote (with JSON.parse, not through the view's reader), counted by
// DuckDB, or written here as literals from the EvalConfig.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { artifactFileView, parsePayload, type EvalConfigJson } from '@tsfx/protocol';
import { Evaluator } from '../../../kernel-lib/src/components/Evaluator';
import { Pusher } from '../../../kernel-lib/src/components/Pusher';
import { blessingPayload, pushedModelPayload } from '../../../kernel-lib/src/display/blessingView';
import {
  evaluationHtml,
  evaluationPayload,
  evaluationText,
  MAX_PLOT_SLICES,
} from '../../../kernel-lib/src/display/evaluationView';
import { evaluationHistoryPayload } from '../../../kernel-lib/src/display/evaluationHistoryView';
import { TsfxError } from '../../../kernel-lib/src/errors';
import { duckdbRows, tempDir, writeFile } from '../../helpers';
import { trainTaxiModels } from '../serving/taxiModels';
import { assertSelfContained } from './golden';
import { folderReader } from '../../protocol/files/folderReader';

const CONFIG: EvalConfigJson = {
  modelSpecs: [{ labelKey: 'tips_xf' }],
  slicingSpecs: [
    {},
    { featureKeys: ['trip_start_hour'] },
    { featureKeys: ['trip_start_day', 'trip_start_hour'] },
  ],
  metricsSpecs: [
    {
      metrics: [
        {
          className: 'BinaryAccuracy',
          threshold: {
            valueThreshold: { lowerBound: 0.6 },
            changeThreshold: { direction: 'HIGHER_IS_BETTER', absolute: -1e-10 },
          },
        },
      ],
      thresholds: { auc: { valueThreshold: { lowerBound: 0.99 } } },
    },
  ],
  options: { minSliceSize: 10 },
};

/** An EvalConfig every model passes: the overall slice, accuracy ≥ 0. */
const LENIENT: EvalConfigJson = {
  modelSpecs: [{ labelKey: 'tips_xf' }],
  slicingSpecs: [{}],
  metricsSpecs: [{ thresholds: { binary_accuracy: { valueThreshold: { lowerBound: 0 } } } }],
};

type RawLine = {
  sliceKey?: { singleSliceKeys?: { column: string }[] };
  metricKeysAndValues?: {
    key: { name: string; modelName?: string; isDiff?: boolean };
    value: { doubleValue?: number | string };
  }[];
  metrics?: { __ERROR__?: { debugMessage: string } };
  plotKeysAndValues?: {
    key: { modelName?: string };
    value: { confusionMatrixAtThresholds: { matrices: Record<string, number>[] } };
  }[];
};

const jsonLines = (path: string): RawLine[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RawLine);

const rawValue = (line: RawLine, name: string, modelName: string, isDiff = false) => {
  const e = line.metricKeysAndValues!.find(
    (x) =>
      x.key.name === name && x.key.modelName === modelName && (x.key.isDiff ?? false) === isDiff,
  );
  assert.ok(e, `${name} ${modelName} ${isDiff}`);
  const v = Number(e.value.doubleValue);
  return Number.isFinite(v) ? v : null;
};

const columnsOf = (line: RawLine) => (line.sliceKey?.singleSliceKeys ?? []).map((k) => k.column);

describe('model analysis payloads from a real Evaluator and Pusher run', async () => {
  const root = tempDir();
  const { chain, trainers, models } = await trainTaxiModels(root, [8, 16]);
  const evaluator = new Evaluator({
    examples: chain.exampleGen.outputs.examples,
    model: trainers[1]!.outputs.model,
    baselineModel: trainers[0]!.outputs.model,
    evalConfig: CONFIG,
  });
  await chain.run(evaluator);
  const evaluation = evaluator.outputs.evaluation.artifacts[0]!;
  const blessingArtifact = evaluator.outputs.blessing.artifacts[0]!;
  const payload = evaluationPayload(evaluation, evaluator.id);
  const lines = jsonLines(join(evaluation.uri, 'metrics.jsonl'));
  const validations = JSON.parse(
    readFileSync(join(evaluation.uri, 'validations.json'), 'utf8'),
  ) as {
    validationOk?: boolean;
    metricValidationsPerSlice?: { failures: { message: string }[] }[];
  };
  const context = (producer: string) => ({ store: chain.store, producer });

  it('is a valid evaluation payload (the protocol validator) naming the artifact and models', () => {
    parsePayload('evaluation', payload);
    assert.deepEqual(payload.artifact, {
      id: evaluation.id,
      type: 'ModelEvaluation',
      uri: evaluation.uri,
      producer: 'Evaluator',
    });
    assert.equal(payload.candidate, models[1]!.uri);
    assert.equal(payload.baseline, models[0]!.uri);
  });

  it('opened from the file browser, metrics.jsonl gives the same payload (plots, validations, config beside it)', async () => {
    const path = join(evaluation.uri, 'metrics.jsonl');
    const view = await artifactFileView(path, readFileSync(path, 'utf8'), folderReader('/'));
    assert.equal(view.kind, 'evaluation');
    // The path tells the artifact's folder and producer, not its id (that is in the store).
    assert.deepEqual(view.payload, {
      ...payload,
      artifact: { id: null, type: 'ModelEvaluation', uri: evaluation.uri, producer: 'Evaluator' },
    });
    // The class-name threshold (BinaryAccuracy) and the named one (auc), as the config says.
    assert.deepEqual(
      view.payload.thresholds.map((t) => t.metric),
      ['auc', 'binary_accuracy'],
    );
    assert.ok(view.payload.plots.length > 0 && view.payload.validation.failures.length > 0);
  });

  it('has every slice of metrics.jsonl, in order, the overall count equal to DuckDB', async () => {
    assert.equal(payload.slices.length, lines.length);
    assert.equal(payload.slices[0]!.name, 'Overall');
    const examples = chain.exampleGen.outputs.examples.artifacts[0]!.uri;
    const [{ n }] = await duckdbRows(
      `SELECT count(*)::INT AS n FROM '${examples}/Split-eval/data.parquet'`,
    );
    assert.equal(payload.slices[0]!.exampleCount, n);
    const [{ hours }] = await duckdbRows(
      `SELECT count(DISTINCT trip_start_hour)::INT AS hours FROM '${examples}/Split-eval/data.parquet'`,
    );
    assert.deepEqual(
      payload.slicings.map((s) => [s.name, s.slices]),
      [
        ['Overall', 1],
        ['trip_start_hour', hours],
        ['trip_start_day_X_trip_start_hour', lines.filter((l) => columnsOf(l).length === 2).length],
      ],
    );
  });

  it('carries candidate, baseline and diff of every metric as the file says', () => {
    let compared = 0;
    lines.forEach((line, i) => {
      const slice = payload.slices[i]!;
      if (!line.metricKeysAndValues) {
        assert.equal(slice.suppressed, line.metrics!.__ERROR__!.debugMessage);
        assert.equal(slice.exampleCount, null);
        return;
      }
      assert.equal(slice.suppressed, null);
      for (const m of slice.metrics) {
        assert.equal(m.candidate, rawValue(line, m.name, 'candidate'), `${slice.name} ${m.name}`);
        assert.equal(m.baseline, rawValue(line, m.name, 'baseline'), `${slice.name} ${m.name}`);
        assert.equal(m.diff, rawValue(line, m.name, 'candidate', true), `${slice.name} ${m.name}`);
        compared++;
      }
    });
    assert.equal(payload.metricNames.length, 11);
    assert.ok(compared >= 25 * 11, `${compared} values compared`);
    assert.ok(
      payload.slices.some((s) => s.suppressed !== null),
      'minSliceSize suppressed some',
    );
  });

  it('carries the thresholds of the EvalConfig and the failures of validations.json', () => {
    assert.deepEqual(payload.thresholds, [
      { metric: 'auc', value: { lowerBound: 0.99, upperBound: null }, change: null },
      {
        metric: 'binary_accuracy',
        value: { lowerBound: 0.6, upperBound: null },
        change: { absolute: -1e-10, relative: null, direction: 'HIGHER_IS_BETTER' },
      },
    ]);
    const messages = (validations.metricValidationsPerSlice ?? []).flatMap((s) =>
      s.failures.map((f) => f.message),
    );
    assert.ok(messages.length > 0, 'an AUC of 0.99 fails on a model trained 16 steps');
    assert.deepEqual(
      payload.validation.failures.map((f) => f.message),
      messages,
    );
    assert.equal(payload.validation.ok, false);
    assert.equal(payload.validation.rubberStamp, false);
    const overallAuc = payload.validation.failures.find(
      (f) => f.slice === 'Overall' && f.metric === 'auc',
    );
    assert.ok(overallAuc);
    assert.equal(overallAuc.value, rawValue(lines[0]!, 'auc', 'candidate'));
  });

  it('carries the plots of the overall slice and the hours, and names the slicing left out', () => {
    const dayHour = payload.slicings[2]!;
    assert.ok(1 + payload.slicings[1]!.slices + dayHour.slices > MAX_PLOT_SLICES);
    assert.deepEqual(payload.plotsOmitted, [{ slicing: dayHour.name, slices: dayHour.slices }]);
    const plotted = new Set(payload.plots.map((p) => p.slice));
    const unsuppressedHours = payload.slices.filter(
      (s) => s.slicing === 'trip_start_hour' && s.suppressed === null,
    );
    assert.equal(plotted.size, 1 + unsuppressedHours.length);
    const rawPlots = jsonLines(join(evaluation.uri, 'plots.jsonl'));
    for (const model of ['candidate', 'baseline']) {
      const matrices = rawPlots[0]!.plotKeysAndValues!.find((p) => p.key.modelName === model)!.value
        .confusionMatrixAtThresholds.matrices;
      const overall = payload.plots.find((p) => p.slice === 'Overall' && p.model === model)!;
      assert.deepEqual(
        overall.confusion.thresholds,
        matrices.map((m) => m.threshold),
      );
      assert.deepEqual(
        overall.confusion.truePositives,
        matrices.map((m) => m.truePositives ?? 0),
      );
    }
  });

  it('text and HTML fallbacks say the verdict and list the failures', () => {
    const text = evaluationText(payload);
    assert.match(text, new RegExp(`${lines.length} slices`));
    assert.match(text, /validation FAILED \(\d+ failures?\)/);
    const html = evaluationHtml(payload);
    assertSelfContained(html);
    assert.ok(html.includes('auc'));
    assert.equal(html.match(/<li /g)?.length, payload.validation.failures.length);
  });

  it('the blessing: not blessed, its models, and the failed thresholds', () => {
    const blessing = blessingPayload(blessingArtifact, context(evaluator.id));
    parsePayload('blessing', blessing);
    assert.equal(blessing.blessed, false);
    assert.ok(existsSync(join(blessingArtifact.uri, 'NOT_BLESSED')));
    assert.deepEqual(blessing.model, { id: models[1]!.id, uri: models[1]!.uri });
    assert.deepEqual(blessing.baseline, { id: models[0]!.id, uri: models[0]!.uri });
    assert.equal(blessing.evaluation?.uri, evaluation.uri);
    assert.deepEqual(
      blessing.failures.map((f) => f.message),
      payload.validation.failures.map((f) => f.message),
    );
  });

  it('pushed models: not pushed when not blessed; pushed with its version and model', async () => {
    const serving = join(root, 'serving');
    const refused = new Pusher({
      model: trainers[1]!.outputs.model,
      modelBlessing: evaluator.outputs.blessing,
      pushDestination: { filesystem: { baseDirectory: serving } },
    }).withId('RefusedPusher');
    await chain.run(refused);
    const notPushed = pushedModelPayload(
      refused.outputs.pushed_model.artifacts[0]!,
      context(refused.id),
    );
    parsePayload('pushed-model', notPushed);
    assert.equal(notPushed.pushed, false);
    assert.equal(notPushed.destination, null);
    assert.equal(notPushed.version, null);
    assert.deepEqual(notPushed.model, { id: models[1]!.id, uri: models[1]!.uri });

    const lenient = new Evaluator({
      examples: chain.exampleGen.outputs.examples,
      model: trainers[0]!.outputs.model,
      evalConfig: LENIENT,
    }).withId('LenientEvaluator');
    await chain.run(lenient);
    const pusher = new Pusher({
      model: trainers[0]!.outputs.model,
      modelBlessing: lenient.outputs.blessing,
      pushDestination: { filesystem: { baseDirectory: serving } },
    });
    await chain.run(pusher);
    const pushed = pushedModelPayload(
      pusher.outputs.pushed_model.artifacts[0]!,
      context(pusher.id),
    );
    assert.equal(pushed.pushed, true);
    assert.ok(pushed.version !== null && /^\d+$/.test(pushed.version));
    assert.equal(pushed.destination, join(serving, pushed.version));
    assert.ok(existsSync(pushed.destination));
    assert.deepEqual(pushed.model, { id: models[0]!.id, uri: models[0]!.uri });
    assert.equal(pushed.blessing?.uri, lenient.outputs.blessing.artifacts[0]!.uri);

    const blessed = blessingPayload(lenient.outputs.blessing.artifacts[0]!, context(lenient.id));
    assert.equal(blessed.blessed, true);
    assert.equal(blessed.baseline, null);
    assert.equal(blessed.rubberStamp, true);
    assert.deepEqual(blessed.failures, []);
  });

  it('the history: the pipeline evaluations oldest first, with their overall metrics', () => {
    const history = evaluationHistoryPayload(chain.store, { pipeline: 'p' });
    parsePayload('evaluation-history', history);
    assert.deepEqual(
      history.evaluations.map((e) => e.artifact.producer),
      ['Evaluator', 'LenientEvaluator'],
    );
    assert.deepEqual(
      history.evaluations.map((e) => e.model?.id),
      [models[1]!.id, models[0]!.id],
    );
    assert.deepEqual(
      history.evaluations.map((e) => e.blessed),
      [false, true],
    );
    const auc = history.evaluations[0]!.metrics.find((m) => m.name === 'auc')!.value;
    assert.equal(auc, rawValue(lines[0]!, 'auc', 'candidate'));
    const other = evaluationHistoryPayload(chain.store, { pipeline: 'no-such-pipeline' });
    assert.deepEqual(other.evaluations, []);
  });

  it('a bad metrics.jsonl line is refused naming file and line', () => {
    const dir = tempDir();
    writeFile(dir, 'metrics.jsonl', '{"sliceKey":{}}\n{"metricKeysAndValues": 3}\n');
    assert.throws(
      () => evaluationPayload({ ...evaluation, uri: dir }, null),
      (e: unknown) =>
        e instanceof TsfxError && e.message.startsWith(`${join(dir, 'metrics.jsonl')}:2: `),
    );
  });
});
