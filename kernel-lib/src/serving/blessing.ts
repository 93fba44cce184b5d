import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as v from 'valibot';
import {
  BLESSED_FILE,
  NOT_BLESSED_FILE,
  sliceKeyName,
  ValidationResultSchema,
  VALIDATIONS_FILE,
  type ValidationFailure,
} from '@tsfx/protocol';
import type { ArtifactRecord } from '../metadata/types';

export type BlessingVerdict = { blessed: true } | { blessed: false; reason: string };

/**
 * Whether a ModelBlessing lets `model` be pushed. Blessed means all of: the `blessed` property
 * is 1, a `BLESSED` file and no `NOT_BLESSED` file is in its folder (TFX writes both the property
 * and the file; a disagreement is treated as not blessed), and, when the blessing names the model
 * it judged (`current_model_id`), that model is `model`.
 */
export function checkBlessing(blessing: ArtifactRecord, model: ArtifactRecord): BlessingVerdict {
  const property = blessing.properties.blessed;
  const blessedFile = existsSync(join(blessing.uri, BLESSED_FILE));
  const notBlessedFile = existsSync(join(blessing.uri, NOT_BLESSED_FILE));
  if (property !== 1 || !blessedFile || notBlessedFile) {
    if (property === 1 || blessedFile) {
      return {
        blessed: false,
        reason:
          `blessing ${blessing.id} contradicts itself (blessed = ${String(property)}, ` +
          `${blessedFile ? '' : 'no '}${BLESSED_FILE} file, ` +
          `${notBlessedFile ? '' : 'no '}${NOT_BLESSED_FILE} file)`,
      };
    }
    return {
      blessed: false,
      reason: `model ${model.id} was not blessed (blessing ${blessing.id}): ${failedThresholds(blessing)}`,
    };
  }
  const judged = blessing.properties.current_model_id;
  if (judged !== undefined && judged !== null && Number(judged) !== model.id) {
    return {
      blessed: false,
      reason: `blessing ${blessing.id} is for model ${String(judged)}, not for model ${model.id}`,
    };
  }
  return { blessed: true };
}

/**
 * The thresholds that failed, in one line. Read from TFMA's ValidationResult in the Evaluator's
 * `evaluation` output of the same execution (TFX's layout puts it at
 * `<root>/<Evaluator id>/evaluation/<execution id>/validations.json`, beside
 * `<root>/<Evaluator id>/blessing/<execution id>/`), else from the blessing's `failures` property.
 */
export function failedThresholds(blessing: ArtifactRecord): string {
  const path = join(
    dirname(dirname(blessing.uri)),
    'evaluation',
    basename(blessing.uri),
    VALIDATIONS_FILE,
  );
  if (existsSync(path)) {
    try {
      const failures = describeValidationFailures(JSON.parse(readFileSync(path, 'utf8')));
      if (failures.length > 0) return failures.join('; ');
    } catch {
      // Unreadable: fall back to what the blessing says.
    }
  }
  const described = blessing.properties.failures;
  if (typeof described === 'string' && described !== '') return described;
  return `no failed threshold recorded (no ${VALIDATIONS_FILE} beside the blessing, no failures property)`;
}

/** `slice: metric = value (threshold: message)` for each failure of a TFMA ValidationResult. */
export function describeValidationFailures(json: unknown): string[] {
  const result = v.parse(ValidationResultSchema, json);
  return result.metricValidationsPerSlice.flatMap(({ sliceKey, failures }) =>
    failures.map((failure) => {
      const value = failure.metricValue?.doubleValue;
      const detail = [thresholdText(failure.metricThreshold), failure.message]
        .filter(Boolean)
        .join(': ');
      return (
        `${sliceKeyName(sliceKey)}: ${failure.metricKey.name ?? '?'} = ${value ?? '?'}` +
        (detail ? ` (${detail})` : '')
      );
    }),
  );
}

function thresholdText({ valueThreshold, changeThreshold }: ValidationFailure['metricThreshold']) {
  const parts: string[] = [];
  if (valueThreshold?.lowerBound !== undefined)
    parts.push(`lower bound ${valueThreshold.lowerBound}`);
  if (valueThreshold?.upperBound !== undefined)
    parts.push(`upper bound ${valueThreshold.upperBound}`);
  if (changeThreshold) {
    const { absolute, relative, direction } = changeThreshold;
    const kinds = [
      absolute !== undefined ? `absolute ${absolute}` : '',
      relative !== undefined ? `relative ${relative}` : '',
    ].filter(Boolean);
    parts.push(`change vs baseline ${kinds.join(', ')} ${direction}`);
  }
  return parts.join(', ');
}
