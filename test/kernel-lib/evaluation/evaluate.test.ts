import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  check,
  MetricsForSliceSchema,
  PlotsForSliceSchema,
  sliceKeyName,
  ValidationResultSchema,
  type EvalConfigJson,
  type MetricsForSlice,
  type SlicingSpecJson,
} from '@tsfx/protocol';
import { parseEvalConfig } from '../../../kernel-lib/src/components/Evaluator';
import { tInterval } from '../../../kernel-lib/src/evaluation/bootstrap';
import {
  evaluate,
  smallSliceMessage,
  type EvaluationResult,
} from '../../../kernel-lib/src/evaluation/evaluate';
import { BINARY_METRIC_NAMES } from '../../../kernel-lib/src/evaluation/metrics';
import {
  passesChangeThreshold,
  passesValueThreshold,
} from '../../../kernel-lib/src/evaluation/thresholds';
import { TsfxError } from '../../../kernel-lib/src/errors';
import type {
  LoadedTransformGraph,
  RawColumns,
  RawRow,
} from '../../../kernel-lib/src/transform/graph';
import type { ServingBundle } from '../../../kernel-lib/src/trainer/servingBundle';
import { duckdbRows, tempDir } from '../../helpers';
import { assertClose, sklearnMetrics } from './sklearn';

const ROWS = 6000;

/** Raw examples: hour and day (INT), company (STRING, some missing, one non-ASCII), x, label y. */
async function examplesParquet(dir: string): Promise<string> {
  const file = join(dir, 'examples.parquet');
  await duckdbRows(`COPY (
    SELECT (i * 7) % 24 AS hour, 1 + (i * 13) % 7 AS day,
      CASE WHEN i % 11 = 0 THEN NULL WHEN i % 3 = 0 THEN 'A' WHEN i % 3 = 1 THEN 'B' ELSE 'Cé' END AS company,
      (hash(i) % 10000) / 10000.0 AS x,
      CASE WHEN (hash(i * 31 + 7) % 1000) / 1000.0 < 0.15 + 0.6 * ((hash(i) % 10000) / 10000.0) THEN 1 ELSE 0 END AS y
    FROM range(${ROWS}) t(i) ORDER BY i) TO '${file}' (FORMAT parquet)`);
  return file;
}

/** A graph whose one output `y_xf` is the raw label `y` (a label computed by the transform). */
const GRAPH: LoadedTransformGraph = {
  graph: {
    format: 'tsfx.transform_graph',
    version: 1,
    rawFeatures: [{ name: 'y', type: 'INT' }],
    nodes: [{ op: 'input', feature: 'y', type: 'INT' }],
    outputs: [{ name: 'y_xf', node: 0, type: 'INT' }],
    analyzedRows: 0,
  },
  vocabularies: {},
};

/** A model fixture: a fixed function of x and hour (rounded, so that predictions tie). */
function fixtureModel(weight: number): { bundle: ServingBundle; score(row: RawRow): number } {
  const score = (row: RawRow) =>
    Math.fround(
      Math.round(
        1000 /
          (1 +
            Math.exp(
              -(weight * ((row.x as number) - 0.5) + 0.3 * (((row.hour as number) % 5) - 2)),
            )),
      ) / 1000,
    );
  const bundle = {
    manifest: {
      format: 'tsfx.serving_bundle',
      version: 1,
      featureSpec: { dense: [], categorical: [], numIds: 0, label: 'y_xf' },
      rawFeatures: [
        { name: 'x', type: 'FLOAT' },
        { name: 'hour', type: 'INT' },
      ],
      output: 'probability',
    },
    graph: GRAPH,
    predictRaw: (rows: readonly RawRow[]) => Float32Array.from(rows, score),
    predictColumns: (columns: RawColumns, numRows: number) =>
      Float32Array.from({ length: numRows }, (_, i) =>
        score({ x: columns.x[i], hour: columns.hour[i] }),
      ),
  } as unknown as ServingBundle;
  return { bundle, score };
}

const SPECS: SlicingSpecJson[] = [
  {},
  { featureKeys: ['hour'] },
  { featureKeys: ['day', 'hour'] },
  { featureKeys: ['hour'], featureValues: { company: 'A' } },
  { featureKeys: ['company'] },
  { featureValues: { day: '3' } },
];

function config(extra: Partial<EvalConfigJson> = {}, labelKey = 'y_xf'): EvalConfigJson {
  return { modelSpecs: [{ labelKey }], slicingSpecs: SPECS, ...extra };
}

const valueOf = (slice: MetricsForSlice, name: string, extra: Record<string, unknown> = {}) => {
  const entry = slice.metricKeysAndValues.find(
    (e) =>
      e.key.name === name &&
      e.key.modelName === extra.modelName &&
      e.key.isDiff === (extra.isDiff ?? false),
  );
  assert.ok(entry, `no ${name} ${JSON.stringify(extra)}`);
  return entry.value.doubleValue!;
};

const bySlice = (result: EvaluationResult) =>
  new Map(
    result.metrics.map((m) => {
      const read = check(MetricsForSliceSchema, m);
      return [sliceKeyName(read.sliceKey), read];
    }),
  );

describe('evaluate(): per-slice metrics and plots equal pandas + scikit-learn', async () => {
  const dir = tempDir();
  const file = await examplesParquet(dir);
  const rows = (await duckdbRows(`SELECT * FROM '${file}'`)).map((r) => ({
    ...r,
    hour: Number(r.hour),
    day: Number(r.day),
    x: Number(r.x),
    y: Number(r.y),
  })) as RawRow[];
  const candidate = fixtureModel(4);
  const baseline = fixtureModel(2);
  const predictions = Float32Array.from(rows, candidate.score);
  const run = (evalConfig: EvalConfigJson, withBaseline = false) =>
    evaluate({
      files: [file],
      config: parseEvalConfig(evalConfig),
      candidate: candidate.bundle,
      baseline: withBaseline ? baseline.bundle : undefined,
    });
  const expected = sklearnMetrics(
    dir,
    {
      label: rows.map((r) => r.y as number),
      prediction: predictions,
      hour: rows.map((r) => r.hour as number),
      day: rows.map((r) => r.day as number),
      company: rows.map((r) => r.company),
    },
    SPECS,
  );
  const result = await run(config());

  it('finds every slice scikit-learn finds (crosses, featureValues, strings, missing values)', () => {
    const slices = bySlice(result);
    assert.deepEqual([...slices.keys()].sort(), Object.keys(expected).sort());
    assert.equal(result.numExamples, ROWS);
    assert.ok(slices.has('day_X_hour:1_X_0'));
    assert.ok(slices.has('company_X_hour:A_X_3'), 'featureValues join the key, sorted by column');
    assert.ok(slices.has('company:Cé'), 'UTF-8 text as base64 bytes');
    assert.ok(slices.has('day:3'));
    const first = result.metrics[0].sliceKey?.singleSliceKeys ?? [];
    assert.equal(first.length, 0, 'the overall slice comes first');
  });

  it('every metric of every slice equals scikit-learn on the same predictions', () => {
    for (const [name, slice] of bySlice(result)) {
      for (const metric of BINARY_METRIC_NAMES) {
        assertClose(valueOf(slice, metric), expected[name][metric], `${name} ${metric}`);
      }
    }
  });

  it('plots of every slice: confusion matrices at 102 thresholds and 102 calibration buckets', () => {
    for (const line of result.plots) {
      const plots = check(PlotsForSliceSchema, line);
      const want = expected[sliceKeyName(plots.sliceKey)];
      const [{ key, value }] = plots.plotKeysAndValues;
      assert.deepEqual(key, {});
      const matrices = value.confusionMatrixAtThresholds!.matrices;
      assert.equal(matrices.length, 102);
      matrices.forEach((m, i) => {
        const [t, tp, fp, tn, fn, precision, recall] = want.confusion[i];
        assert.deepEqual(
          [m.threshold, m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives],
          [t, tp, fp, tn, fn],
        );
        assertClose(m.precision, precision, 'precision');
        assertClose(m.recall, recall, 'recall');
      });
      const buckets = value.calibrationHistogramBuckets!.buckets;
      assert.equal(buckets[0].lowerThresholdInclusive, -Infinity);
      buckets.forEach((b, i) => {
        assert.equal(b.numWeightedExamples, want.calibration_plot[i][0]);
        assert.equal(b.totalWeightedLabel, want.calibration_plot[i][1]);
        assertClose(
          b.totalWeightedRefinedPrediction,
          want.calibration_plot[i][2],
          'prediction sum',
        );
      });
    }
  });

  it('a raw label column gives the same metrics as the transform output', async () => {
    const raw = await run(config({ slicingSpecs: [{}] }, 'y'));
    const [overall] = raw.metrics.map((m) => check(MetricsForSliceSchema, m));
    for (const metric of BINARY_METRIC_NAMES) {
      assertClose(valueOf(overall, metric), expected.Overall[metric], metric);
    }
  });

  it('with a baseline: candidate, baseline and diff (candidate − baseline) per slice', async () => {
    const both = await run(config(), true);
    const basePredictions = Float32Array.from(rows, baseline.score);
    const expectedBase = sklearnMetrics(
      dir,
      {
        label: rows.map((r) => r.y as number),
        prediction: basePredictions,
        hour: rows.map((r) => r.hour as number),
        day: rows.map((r) => r.day as number),
        company: rows.map((r) => r.company),
      },
      SPECS,
    );
    for (const [name, slice] of bySlice(both)) {
      for (const metric of BINARY_METRIC_NAMES) {
        const c = valueOf(slice, metric, { modelName: 'candidate' });
        const b = valueOf(slice, metric, { modelName: 'baseline' });
        assertClose(c, expected[name][metric], `${name} candidate ${metric}`);
        assertClose(b, expectedBase[name][metric], `${name} baseline ${metric}`);
        if (!Number.isNaN(c - b)) {
          assert.equal(valueOf(slice, metric, { modelName: 'candidate', isDiff: true }), c - b);
        }
      }
      assert.equal(slice.metricKeysAndValues.length, BINARY_METRIC_NAMES.length * 3);
    }
    const plots = check(PlotsForSliceSchema, both.plots[0]);
    assert.deepEqual(
      plots.plotKeysAndValues.map((p) => p.key.modelName),
      ['candidate', 'baseline'],
    );
  });

  it("minSliceSize suppresses small slices (never the overall slice) with TFMA's message", async () => {
    const counts = Object.entries(expected).filter(([name]) => name.startsWith('day_X_hour:'));
    const sizes = counts.map(([, v]) => v.example_count!);
    const min = Math.max(...sizes);
    assert.ok(Math.min(...sizes) < min, 'the fixture has cross slices of different sizes');
    const small = await run(config({ options: { minSliceSize: min } }));
    const message =
      'Example count for this slice key is lower than the minimum required value: ' +
      `${min}. No data is aggregated for this slice.`;
    assert.equal(smallSliceMessage(min), message);
    for (const line of small.metrics) {
      const read = check(MetricsForSliceSchema, line);
      const name = sliceKeyName(read.sliceKey);
      if (expected[name].example_count! < min) {
        assert.deepEqual(read.metrics, { __ERROR__: { debugMessage: message } }, name);
        assert.equal(read.metricKeysAndValues.length, 0);
      } else {
        assert.equal(read.metricKeysAndValues.length, BINARY_METRIC_NAMES.length, name);
      }
    }
    const huge = await run(config({ options: { minSliceSize: ROWS + 1 } }));
    const overall = check(MetricsForSliceSchema, huge.metrics[0]);
    assert.equal(valueOf(overall, 'example_count'), ROWS, 'the overall slice is never suppressed');
    assert.ok(
      huge.metrics
        .slice(1)
        .every((m) => m.metrics?.__ERROR__?.debugMessage?.includes(`${ROWS + 1}`)),
    );
    const plots = check(PlotsForSliceSchema, huge.plots[1]);
    assert.deepEqual(plots.plots, { __ERROR__: { debugMessage: smallSliceMessage(ROWS + 1) } });
  });

  it('Poisson-bootstrap confidence intervals: 19 degrees of freedom, point estimates unchanged', async () => {
    const withIntervals = await run(
      config({ slicingSpecs: [{}], options: { computeConfidenceIntervals: true } }),
      true,
    );
    const [overall] = withIntervals.metrics.map((m) => check(MetricsForSliceSchema, m));
    for (const entry of overall.metricKeysAndValues) {
      const name = entry.key.name;
      if (name === 'example_count' || name === 'weighted_example_count') {
        assert.equal(entry.confidenceInterval, undefined, name);
        continue;
      }
      const ci = entry.confidenceInterval!;
      assert.equal(ci.degreesOfFreedom, '19');
      assert.ok(ci.lowerBound!.doubleValue! <= ci.upperBound!.doubleValue!, name);
      // The label's mean is the same for both models in every replicate: its diff does not vary.
      const fixed = entry.key.isDiff && name === 'mean_label';
      assert.equal(ci.standardError!.doubleValue! > 0, !fixed, `${name} ${entry.key.modelName}`);
    }
    const auc = valueOf(overall, 'auc', { modelName: 'candidate' });
    assertClose(auc, expected.Overall.auc, 'point estimate');
    // The t-interval itself, on hand-checked numbers: 1..20 (mean 10.5, sd √35).
    const t = tInterval(Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(t.mean, 10.5);
    assertClose(t.standardError, 5.916079783099616, 'sd');
    assertClose(t.lower, -1.8824972938259155, 'lower');
    assertClose(t.upper, 22.882497293825914, 'upper');
  });

  describe('thresholds (TFMA semantics), checked on every slice', () => {
    const overallOnly = (thresholds: EvalConfigJson['metricsSpecs']) =>
      config({ slicingSpecs: [{}], metricsSpecs: thresholds });
    const validate = async (metricsSpecs: EvalConfigJson['metricsSpecs'], withBaseline: boolean) =>
      check(
        ValidationResultSchema,
        (await run(overallOnly(metricsSpecs), withBaseline)).validation,
      );
    const auc = expected.Overall.auc!;

    it('value thresholds: both bounds inclusive', async () => {
      const at = (bounds: { lowerBound?: number; upperBound?: number }) =>
        validate([{ thresholds: { example_count: { valueThreshold: bounds } } }], false);
      assert.equal((await at({ lowerBound: ROWS, upperBound: ROWS })).validationOk, true);
      assert.equal((await at({ lowerBound: ROWS + 1 })).validationOk, false);
      const upper = await at({ upperBound: ROWS - 1 });
      assert.equal(upper.validationOk, false);
      const [failure] = upper.metricValidationsPerSlice[0].failures;
      assert.deepEqual(failure.metricKey, { name: 'example_count', isDiff: false });
      assert.deepEqual(failure.metricThreshold, { valueThreshold: { upperBound: ROWS - 1 } });
      assert.equal(failure.metricValue?.doubleValue, ROWS);
      assert.match(
        failure.message,
        /example_count 6000 on slice Overall is outside \[-inf, 5999\]/,
      );
      assert.deepEqual(upper.metricValidationsPerSlice[0].sliceKey, { singleSliceKeys: [] });
    });

    it('a metric class with a threshold (TFX taxi style) and every slice checked', async () => {
      const run2 = await run(
        config({
          metricsSpecs: [
            {
              metrics: [
                { className: 'ExampleCount' },
                { className: 'AUC', threshold: { valueThreshold: { lowerBound: auc } } },
              ],
            },
          ],
        }),
      );
      const validation = check(ValidationResultSchema, run2.validation);
      assert.equal(validation.validationOk, false);
      const failing = validation.metricValidationsPerSlice.map((s) => sliceKeyName(s.sliceKey));
      const below = Object.entries(expected)
        .filter(([, v]) => !((v.auc ?? NaN) >= auc))
        .map(([name]) => name);
      assert.deepEqual(failing.sort(), below.sort());
      assert.ok(!failing.includes('Overall'), 'auc >= lowerBound passes at equality');
      assert.equal(
        validation.validationDetails.slicingDetails[0].numMatchingSlices,
        Object.keys(expected).length,
      );
    });

    it('perSliceThresholds: checked on the slices of their specs only', async () => {
      // The overall AUC exactly (inclusive bound): the hours below it would fail an all-slice one.
      const perSlice = (slicingSpecs: SlicingSpecJson[]) =>
        run(
          config({
            metricsSpecs: [
              {
                metrics: [
                  {
                    className: 'AUC',
                    perSliceThresholds: [
                      { slicingSpecs, threshold: { valueThreshold: { lowerBound: auc } } },
                    ],
                  },
                ],
              },
            ],
          }),
        ).then((r) => check(ValidationResultSchema, r.validation));
      const overall = await perSlice([{}]);
      assert.equal(overall.validationOk, true);
      const hours = Object.entries(expected)
        .filter(([name, v]) => /^hour:\d+$/.test(name) && !((v.auc ?? NaN) >= auc))
        .map(([name]) => name);
      assert.ok(hours.length > 0, 'some hour is below the overall AUC');
      const byHour = await perSlice([{ featureKeys: ['hour'] }]);
      assert.deepEqual(
        byHour.metricValidationsPerSlice.map((s) => sliceKeyName(s.sliceKey)).sort(),
        hours.sort(),
      );
      assert.match(
        byHour.metricValidationsPerSlice[0].failures[0].message,
        /^auc [\d.]+ on slice hour:\d+ is outside \[/,
      );
      // A spec with featureValues picks that slice alone: day 3 (and no day × hour cell).
      const day3 = await perSlice([{ featureValues: { day: '3' } }]);
      const day3Fails = !((expected['day:3'].auc ?? NaN) >= auc);
      assert.deepEqual(
        day3.metricValidationsPerSlice.map((s) => sliceKeyName(s.sliceKey)),
        day3Fails ? ['day:3'] : [],
      );
      assert.throws(
        () =>
          parseEvalConfig(
            config({
              metricsSpecs: [
                {
                  metrics: [
                    {
                      className: 'AUC',
                      perSliceThresholds: [{ threshold: { valueThreshold: { lowerBound: 0.5 } } }],
                    },
                  ],
                },
              ],
            }),
          ),
        /evalConfig\.metricsSpecs\[0\]\.metrics\[0\]\.perSliceThresholds\[0\]\.slicingSpecs: give the slices this threshold is for/,
      );
    });

    it('change thresholds: absolute and relative, each direction, on candidate − baseline', async () => {
      const both = bySlice(await run(overallOnly([]), true)).get('Overall')!;
      const c = valueOf(both, 'auc', { modelName: 'candidate' });
      const b = valueOf(both, 'auc', { modelName: 'baseline' });
      const diff = c - b;
      const ratio = diff / b;
      assert.ok(diff > 0.01, 'the candidate is better than the baseline');
      const cases: [Record<string, unknown>, boolean][] = [
        [{ direction: 'HIGHER_IS_BETTER', absolute: diff }, true],
        [{ direction: 'HIGHER_IS_BETTER', absolute: diff + 1e-9 }, false],
        [{ direction: 'LOWER_IS_BETTER', absolute: diff }, true],
        [{ direction: 'LOWER_IS_BETTER', absolute: diff - 1e-9 }, false],
        [{ direction: 'HIGHER_IS_BETTER', relative: ratio - 1e-9 }, true],
        [{ direction: 'HIGHER_IS_BETTER', relative: ratio + 1e-9 }, false],
        [{ direction: 'LOWER_IS_BETTER', relative: ratio + 1e-9 }, true],
        [{ direction: 'LOWER_IS_BETTER', relative: ratio - 1e-9 }, false],
        // Both must pass.
        [{ direction: 'HIGHER_IS_BETTER', absolute: 0, relative: ratio + 1e-9 }, false],
      ];
      for (const [changeThreshold, ok] of cases) {
        const validation = await validate([{ thresholds: { auc: { changeThreshold } } }], true);
        assert.equal(validation.validationOk, ok, JSON.stringify(changeThreshold));
        assert.equal(validation.rubberStamp, false);
        if (!ok) {
          const [failure] = validation.metricValidationsPerSlice[0].failures;
          assert.deepEqual(failure.metricKey, {
            name: 'auc',
            modelName: 'candidate',
            isDiff: true,
          });
          assert.equal(failure.metricValue?.doubleValue, diff);
          assert.match(failure.message, /auc changed by .* on slice Overall/);
        }
      }
    });

    it('without a baseline change thresholds are skipped (rubber stamp), value thresholds checked', async () => {
      const change = { changeThreshold: { direction: 'HIGHER_IS_BETTER', absolute: 1 } } as const;
      const stamped = await validate([{ thresholds: { auc: change } }], false);
      assert.equal(stamped.validationOk, true);
      assert.equal(stamped.rubberStamp, true);
      const value = await validate(
        [{ thresholds: { auc: { ...change, valueThreshold: { lowerBound: auc + 1e-9 } } } }],
        false,
      );
      assert.equal(value.validationOk, false);
      assert.equal(value.rubberStamp, true);
      const withBaseline = await validate([{ thresholds: { auc: change } }], true);
      assert.equal(withBaseline.validationOk, false);
    });

    it('no threshold: not validated (validation_ok false, missing_thresholds)', async () => {
      const none = await validate([], false);
      assert.equal(none.validationOk, false);
      assert.equal(none.missingThresholds, true);
    });

    it('the threshold predicates on literals', () => {
      assert.ok(passesValueThreshold(0.7, { lowerBound: 0.7 }));
      assert.ok(!passesValueThreshold(0.6999, { lowerBound: 0.7 }));
      assert.ok(passesValueThreshold(0.7, { upperBound: 0.7 }));
      assert.ok(!passesValueThreshold(NaN, {}));
      const higher = { direction: 'HIGHER_IS_BETTER', absolute: -0.01 } as const;
      assert.ok(passesChangeThreshold(-0.01, 0.8, higher));
      assert.ok(!passesChangeThreshold(-0.02, 0.8, higher));
      const lower = { direction: 'LOWER_IS_BETTER', relative: 0.1 } as const;
      assert.ok(passesChangeThreshold(0.05, 0.5, lower)); // +10%
      assert.ok(!passesChangeThreshold(0.06, 0.5, lower)); // +12%
      assert.ok(!passesChangeThreshold(0.01, 0, lower), 'a zero baseline gives a NaN ratio');
    });
  });

  it('refuses a bad EvalConfig naming the field', () => {
    const refused = (evalConfig: unknown, pattern: RegExp) =>
      assert.throws(
        () => parseEvalConfig(evalConfig),
        (e: Error) => e instanceof TsfxError && pattern.test(e.message),
      );
    refused(
      { modelSpecs: [{ labelKey: 'y' }], slicingSpecs: [{ featureKey: ['hour'] }] },
      /^Evaluator: evalConfig\.slicingSpecs\[0\]\.featureKey should be one of the fields featureKeys, featureValues/,
    );
    refused({ modelSpecs: [{}] }, /evalConfig\.modelSpecs\[0\]\.labelKey is required/);
    refused(
      { modelSpecs: [{ labelKey: 'y' }], metricsSpecs: [{ thresholds: { aucc: {} } }] },
      /evalConfig\.metricsSpecs\[0\]\.thresholds\["aucc"\]: no metric "aucc"/,
    );
    refused(
      {
        modelSpecs: [{ labelKey: 'y' }],
        metricsSpecs: [{ thresholds: { auc: { changeThreshold: { absolute: 0 } } } }],
      },
      /thresholds\["auc"\]\.changeThreshold\.direction: HIGHER_IS_BETTER or LOWER_IS_BETTER/,
    );
    refused(
      { modelSpecs: [{ labelKey: 'y' }], options: { minSliceSize: -1 } },
      /evalConfig\.options\.minSliceSize should be >= 0/,
    );
    refused(
      {
        modelSpecs: [{ labelKey: 'y' }],
        metricsSpecs: [{ thresholds: { auc: { valueThreshold: { lowerBound: 'high' } } } }],
      },
      /thresholds\["auc"\]\.valueThreshold\.lowerBound should be a finite number/,
    );
    refused(
      { modelSpecs: [{ labelKey: 'y' }], metricsSpecs: [{ metrics: [{ className: 'F1' }] }] },
      /metrics\[0\]\.className: no metric class "F1"/,
    );
  });

  it('refuses a label that is not 0/1 and a feature that is nowhere', async () => {
    await assert.rejects(
      run(config({ slicingSpecs: [{}] }, 'x')),
      /label x is 0\.\d+ in example \d+: binary classification metrics need 0 or 1/,
    );
    await assert.rejects(
      run(config({ slicingSpecs: [{ featureKeys: ['nowhere'] }] })),
      /slicing feature nowhere is neither a column of the examples .* nor an output of the model's transform graph/,
    );
  });
});
