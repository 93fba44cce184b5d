import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlicingSpecJson } from '@tsfx/protocol';
import type { BinaryMetricName } from '../../../kernel-lib/src/evaluation/metrics';

/** What sklearn_metrics.py gives per slice: metric values (null where undefined) and plots. */
export type ExpectedSlice = Record<BinaryMetricName, number | null> & {
  confusion: number[][];
  calibration_plot: number[][];
};

/**
 * Expected metrics per slice from pandas + scikit-learn (test/kernel-lib/evaluation/
 * sklearn_metrics.py) on a table of labels, predictions and slicing features.
 */
export function sklearnMetrics(
  dir: string,
  columns: Record<string, ArrayLike<number | string | null>>,
  specs: SlicingSpecJson[],
  weightColumn?: string,
): Record<string, ExpectedSlice> {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) {
    lines.push(
      names
        .map((name) => {
          const v = columns[name][i];
          return v === null ? '' : typeof v === 'number' ? String(v) : JSON.stringify(v);
        })
        .join(','),
    );
  }
  const csv = join(dir, 'expected-input.csv');
  const specsFile = join(dir, 'expected-specs.json');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  writeFileSync(specsFile, JSON.stringify(specs));
  const script = join(__dirname, 'sklearn_metrics.py');
  const args = [script, csv, specsFile, ...(weightColumn ? [weightColumn] : [])];
  const result = spawnSync('/usr/bin/python3', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, ExpectedSlice>;
}

/** Asserts |actual - expected| <= tolerance × max(1, |expected|); null expects NaN. */
export function assertClose(
  actual: number,
  expected: number | null,
  what: string,
  tolerance = 1e-9,
): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN (undefined), got ${actual}`);
    return;
  }
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance * scale,
    `${what}: ${actual} differs from scikit-learn's ${expected}`,
  );
}
