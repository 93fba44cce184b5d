import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BLESSED_FILE, NOT_BLESSED_FILE, VALIDATIONS_FILE } from '@tsfx/protocol';
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A proto3 JSON field under its proto name or its lowerCamelCase JSON name (writers use either). */
function field(message: Json | undefined, name: string): Json | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return undefined;
  if (name in message) return message[name];
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return message[camel];
}

function list(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

/** `slice: metric = value (threshold)` for each failure of a TFMA ValidationResult. */
export function describeValidationFailures(result: Json): string[] {
  const lines: string[] = [];
  for (const perSlice of list(field(result, 'metric_validations_per_slice'))) {
    const slice = sliceName(field(perSlice, 'slice_key'));
    for (const failure of list(field(perSlice, 'failures'))) {
      const metric = field(field(failure, 'metric_key'), 'name') ?? '?';
      const value = metricValue(field(failure, 'metric_value'));
      const threshold = thresholdText(field(failure, 'metric_threshold'));
      const message = field(failure, 'message');
      const detail = [threshold, typeof message === 'string' && message ? message : '']
        .filter(Boolean)
        .join(': ');
      lines.push(`${slice}: ${String(metric)} = ${value}${detail ? ` (${detail})` : ''}`);
    }
  }
  return lines;
}

function sliceName(sliceKey: Json | undefined): string {
  const keys = list(field(sliceKey, 'single_slice_keys'));
  if (keys.length === 0) return 'Overall';
  return keys
    .map((key) => {
      const column = field(key, 'column');
      const bytes = field(key, 'bytes_value');
      // proto3 JSON writes bytes as base64.
      const value =
        typeof bytes === 'string'
          ? Buffer.from(bytes, 'base64').toString('utf8')
          : (field(key, 'int64_value') ?? field(key, 'float_value'));
      return `${String(column)}:${String(value)}`;
    })
    .join(',');
}

function metricValue(value: Json | undefined): string {
  const number = field(value, 'double_value');
  // google.protobuf.DoubleValue is written as the bare number, or as {value: n} by some writers.
  const plain = typeof number === 'object' ? field(number, 'value') : number;
  return plain === undefined || plain === null ? '?' : String(plain);
}

function thresholdText(threshold: Json | undefined): string {
  const parts: string[] = [];
  const bound = field(threshold, 'value_threshold');
  const lower = field(bound, 'lower_bound');
  const upper = field(bound, 'upper_bound');
  if (lower !== undefined) parts.push(`lower bound ${unwrap(lower)}`);
  if (upper !== undefined) parts.push(`upper bound ${unwrap(upper)}`);
  const change = field(threshold, 'change_threshold');
  if (change !== undefined) {
    const direction = field(change, 'direction');
    const absolute = field(change, 'absolute');
    const relative = field(change, 'relative');
    const kinds = [
      absolute !== undefined ? `absolute ${unwrap(absolute)}` : '',
      relative !== undefined ? `relative ${unwrap(relative)}` : '',
    ].filter(Boolean);
    parts.push(`change vs baseline ${kinds.join(', ')}${direction ? ` ${String(direction)}` : ''}`);
  }
  return parts.join(', ');
}

function unwrap(value: Json): string {
  return String(typeof value === 'object' && value !== null ? field(value, 'value') : value);
}
