import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  check,
  DatasetFeatureStatisticsListSchema,
  parsePayload,
  PayloadError,
  SchemaSchema,
  ValidationResultSchema,
} from '@tsfx/protocol';

describe('protocol schemas read proto3 JSON as its writers write it', () => {
  it('fills omitted fields with their proto3 defaults', () => {
    const read = check(DatasetFeatureStatisticsListSchema, {
      datasets: [{ features: [{ name: 'x', numStats: { histograms: [{ buckets: [{}] }] } }] }],
    });
    const dataset = read.datasets[0]!;
    assert.equal(dataset.name, '');
    assert.equal(dataset.numExamples, '0');
    const x = dataset.features[0]!;
    assert.equal(x.type, 'INT');
    assert.deepEqual(x.numStats!.commonStats.numMissing, '0');
    assert.equal(x.numStats!.mean, 0);
    assert.deepEqual(x.numStats!.histograms[0], {
      numNan: '0',
      numUndefined: '0',
      buckets: [{ lowValue: 0, highValue: 0, sampleCount: 0 }],
      type: 'STANDARD',
    });
  });

  it('reads 64-bit integers written as numbers, non-finite doubles as strings, paths as names', () => {
    const read = check(DatasetFeatureStatisticsListSchema, {
      datasets: [
        {
          numExamples: 12,
          features: [
            { path: { step: ['a', 'b'] }, numStats: { min: '-Infinity', max: 'Infinity' } },
            { name: 'n', numStats: { mean: 'NaN' } },
          ],
        },
      ],
    });
    const [ab, n] = read.datasets[0]!.features;
    assert.equal(read.datasets[0]!.numExamples, '12');
    assert.equal(ab!.name, 'a.b');
    assert.equal(ab!.numStats!.min, -Infinity);
    assert.equal(ab!.numStats!.max, Infinity);
    assert.ok(Number.isNaN(n!.numStats!.mean));
    // What was read once reads again the same (NaN included).
    assert.deepEqual(check(DatasetFeatureStatisticsListSchema, read), read);
  });

  it('reads fields under their proto names too, leaving map keys (feature names) alone', () => {
    const read = check(ValidationResultSchema, {
      validation_ok: true,
      metric_validations_per_slice: [
        {
          slice_key: { single_slice_keys: [{ column: 'trip_start_hour', int64_value: 3 }] },
          failures: [{ metric_key: { name: 'auc' }, metricValue: { double_value: 'NaN' } }],
        },
      ],
      missing_slices: [{ feature_values: { trip_start_hour: '3' } }],
      // Both spellings: the JSON name wins, as the proto3 JSON parsers do not promise otherwise.
      rubberStamp: false,
      rubber_stamp: true,
    });
    assert.equal(read.validationOk, true);
    const [perSlice] = read.metricValidationsPerSlice;
    assert.deepEqual(perSlice!.sliceKey.singleSliceKeys, [
      { column: 'trip_start_hour', int64Value: '3' },
    ]);
    assert.equal(perSlice!.failures[0]!.metricKey.name, 'auc');
    assert.ok(Number.isNaN(perSlice!.failures[0]!.metricValue!.doubleValue));
    assert.deepEqual(read.missingSlices[0]!.featureValues, { trip_start_hour: '3' });
    assert.equal(read.rubberStamp, false);
  });

  it('keeps absent optional messages absent (their presence means something)', () => {
    const schema = check(SchemaSchema, { feature: [{ name: 'f', type: 'BYTES' }] });
    assert.deepEqual(schema, { feature: [{ name: 'f', type: 'BYTES' }] });
    assert.deepEqual(check(SchemaSchema, {}), { feature: [] });
  });

  it('names the first wrong field, what it should be and what it is', () => {
    const cases: [() => unknown, string, string][] = [
      [
        () =>
          check(SchemaSchema, { feature: [{ name: 'f', presence: { minFraction: '1' } }] }, 's'),
        's.feature[0].presence.minFraction',
        'tsfx payload: s.feature[0].presence.minFraction should be a finite number, got "1"',
      ],
      [
        () => check(SchemaSchema, { feature: [{ type: 'BYTES' }] }, 's'),
        's.feature[0].name',
        'tsfx payload: s.feature[0].name should be a string, got undefined',
      ],
      [
        () => check(DatasetFeatureStatisticsListSchema, { datasets: [{ numExamples: 1.5 }] }),
        'payload.datasets[0].numExamples',
        'tsfx payload: payload.datasets[0].numExamples should be a 64-bit integer, got number',
      ],
      [
        () =>
          check(DatasetFeatureStatisticsListSchema, {
            datasets: [{ features: [{ numStats: [] }] }],
          }),
        'payload.datasets[0].features[0].numStats',
        'tsfx payload: payload.datasets[0].features[0].numStats should be an object, got an array',
      ],
      [
        () =>
          parsePayload('anomalies', {
            kind: 'anomalies',
            artifact: { id: 1, type: 'ExampleAnomalies', uri: '/a', producer: null },
            splits: [{ name: 'eval', anomalies: { anomalyInfo: { 'a b': { severity: 'BAD' } } } }],
          }),
        'payload.splits[0].anomalies.anomalyInfo["a b"].severity',
        'tsfx payload: payload.splits[0].anomalies.anomalyInfo["a b"].severity should be one of UNKNOWN, WARNING, ERROR, got "BAD"',
      ],
      [
        () => parsePayload('examples', { kind: 'lineage' }),
        'payload.kind',
        'tsfx payload: payload.kind should be "examples", got "lineage"',
      ],
    ];
    for (const [run, path, message] of cases) {
      assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof PayloadError);
        assert.equal(e.path, path);
        assert.equal(e.message, message);
        return true;
      });
    }
  });

  it('checks what the schema cannot say: lineage edges join known nodes', () => {
    const node = { id: 'a1', kind: 'artifact', label: 'Examples', state: 'LIVE', cached: false };
    const payload = {
      kind: 'lineage',
      focus: 'a1',
      nodes: [{ ...node, properties: {} }],
      edges: [{ source: 'a1', target: 'e9', kind: 'input' }],
    };
    assert.throws(
      () => parsePayload('lineage', payload),
      /payload.edges\[0\].target should be a node id, got "e9"/,
    );
  });

  it('puts a training series in step order', () => {
    const point = (step: number) => ({ step, wallTime: 1, value: step / 10 });
    const training = parsePayload('training', {
      kind: 'training',
      artifact: null,
      status: 'running',
      backend: 'wasm',
      progress: { step: 3, numSteps: 9, epoch: 0, examplesPerSecond: null },
      runs: [{ name: 'train', series: [{ tag: 'loss', points: [point(2), point(1), point(3)] }] }],
    });
    assert.deepEqual(
      training.runs[0]!.series[0]!.points.map((p) => p.step),
      [1, 2, 3],
    );
  });
});
