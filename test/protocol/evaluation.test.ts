import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  check,
  EvalConfigSchema,
  MetricsForSliceSchema,
  PayloadError,
  sliceKeyName,
  ValidationResultSchema,
} from '@tsfx/protocol';

describe("TFMA's messages in proto3 JSON", () => {
  it('names slices as TFMA does, decoding base64 bytes as UTF-8', () => {
    const read = check(MetricsForSliceSchema, {
      sliceKey: {
        singleSliceKeys: [
          { column: 'company', bytesValue: 'Q8Op' },
          { column: 'trip_start_hour', int64Value: '3' },
        ],
      },
    });
    assert.equal(sliceKeyName(read.sliceKey), 'company_X_trip_start_hour:Cé_X_3');
    assert.equal(sliceKeyName(check(MetricsForSliceSchema, {}).sliceKey), 'Overall');
  });

  it('reads a ValidationResult with proto3 defaults', () => {
    const read = check(ValidationResultSchema, { rubberStamp: true });
    assert.equal(read.validationOk, false);
    assert.equal(read.missingThresholds, false);
    assert.deepEqual(read.metricValidationsPerSlice, []);
  });

  it('refuses an EvalConfig field it does not know, naming its path and the fields it knows', () => {
    assert.throws(
      () =>
        check(EvalConfigSchema, { options: { minSliceSize: 5, minSliceSise: 5 } }, 'evalConfig'),
      (e: Error) =>
        e instanceof PayloadError &&
        e.message.includes(
          'evalConfig.options.minSliceSise should be one of the fields includeDefaultMetrics, computeConfidenceIntervals, minSliceSize',
        ),
    );
    assert.throws(
      () => check(EvalConfigSchema, { slicingSpecs: [[]] }, 'evalConfig'),
      /evalConfig\.slicingSpecs\[0\] should be an object, got an array/,
    );
    const read = check(EvalConfigSchema, {});
    assert.deepEqual(read.options, { computeConfidenceIntervals: false });
  });
});
