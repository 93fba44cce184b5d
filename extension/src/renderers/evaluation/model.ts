/**
 * The state of an evaluation view, without the DOM (TFMA's slicing browser): the metric shown,
 * the slicing browsed, the column the table is sorted by and its direction, the minimum example
 * count, the slice whose plots are drawn and the threshold of its confusion matrix. And what the
 * view derives from the payload with it: the rows shown, each threshold's pass or fail.
 */
import type { EvaluationPayload, EvaluationSlice, SliceMetric, SlicePlots } from '@tsfx/protocol';

export type SortKey = { column: 'slice' } | { column: 'metric'; metric: string };
export type ThresholdStatus = 'pass' | 'fail' | 'skipped' | null;

/** The metric TFMA's browser opens on, when the evaluation has it. */
const DEFAULT_METRICS = ['auc', 'binary_accuracy', 'example_count'];

export class EvaluationModel {
  metric: string;
  slicing: string;
  sort: SortKey = { column: 'slice' };
  descending = false;
  minExamples = 0;
  plotSlice = 'Overall';
  /** Index into the plotted slice's confusion matrices (their thresholds). */
  thresholdIndex: number | null = null;
  /** The `data-control` of the control that had the keyboard focus, restored after a redraw. */
  focus: string | null = null;

  constructor(payload: EvaluationPayload) {
    this.metric =
      DEFAULT_METRICS.find((m) => payload.metricNames.includes(m)) ?? payload.metricNames[0] ?? '';
    // Browse the first slicing that is not the overall slice (TFMA's browser shows one slicing).
    this.slicing = payload.slicings.find((s) => s.name !== 'Overall')?.name ?? 'Overall';
  }

  /** Sorts by a column; the same column again flips the direction. */
  sortBy(key: SortKey): void {
    const same =
      key.column === this.sort.column &&
      (key.column === 'slice' ||
        (this.sort.column === 'metric' && this.sort.metric === key.metric));
    this.descending = same ? !this.descending : key.column === 'metric';
    this.sort = key;
  }

  /** Sets the minimum example count; a value that is not a number ≥ 0 is ignored. */
  setMinExamples(n: number): boolean {
    if (!Number.isFinite(n) || n < 0) return false;
    this.minExamples = n;
    return true;
  }
}

export const metricOf = (slice: EvaluationSlice, name: string): SliceMetric | undefined =>
  slice.metrics.find((m) => m.name === name);

const compareValues = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a).localeCompare(String(b), 'en', { numeric: true });

/**
 * The slices of the browsed slicing with at least `minExamples` examples, sorted; slices without
 * a value (suppressed, NaN) go last whichever the direction. The overall slice is never filtered.
 */
export function visibleSlices(
  payload: EvaluationPayload,
  model: EvaluationModel,
): EvaluationSlice[] {
  const rows = payload.slices.filter(
    (s) =>
      s.slicing === model.slicing &&
      (s.slicing === 'Overall' || (s.exampleCount ?? 0) >= model.minExamples),
  );
  const sign = model.descending ? -1 : 1;
  const key = model.sort;
  if (key.column === 'slice') {
    return rows
      .map((s, i) => ({ s, i }))
      .sort((a, b) => {
        for (let k = 0; k < a.s.values.length; k++) {
          const c = compareValues(a.s.values[k]!, b.s.values[k]!);
          if (c !== 0) return sign * c;
        }
        return a.i - b.i;
      })
      .map(({ s }) => s);
  }
  const value = (s: EvaluationSlice) => metricOf(s, key.metric)?.candidate ?? null;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y);
  });
}

/**
 * The pass or fail of the thresholds on a metric of a slice, as validations.json says: `value`
 * for the candidate's value threshold, `change` for the change threshold on the diff (`skipped`
 * without a baseline). Null where no threshold applies (or the slice has no metrics).
 */
export function thresholdStatus(
  payload: EvaluationPayload,
  slice: EvaluationSlice,
  metric: string,
): { value: ThresholdStatus; change: ThresholdStatus } {
  const none = { value: null, change: null };
  if (slice.suppressed !== null || payload.validation.missingThresholds) return none;
  const thresholds = payload.thresholds.filter((t) => t.metric === metric);
  if (thresholds.length === 0) return none;
  const failed = (isDiff: boolean) =>
    payload.validation.failures.some(
      (f) => f.slice === slice.name && f.metric === metric && f.isDiff === isDiff,
    );
  const hasValue = thresholds.some((t) => t.value !== null);
  const hasChange = thresholds.some((t) => t.change !== null);
  return {
    value: hasValue ? (failed(false) ? 'fail' : 'pass') : null,
    change: !hasChange
      ? null
      : payload.validation.rubberStamp
        ? 'skipped'
        : failed(true)
          ? 'fail'
          : 'pass',
  };
}

/** The plots of a slice, the candidate's first. */
export function plotsOf(payload: EvaluationPayload, slice: string): SlicePlots[] {
  return payload.plots
    .filter((p) => p.slice === slice)
    .sort((a, b) => Number(a.model === 'baseline') - Number(b.model === 'baseline'));
}

/** The index of the threshold nearest 0.5 (the decision threshold of accuracy), else the middle. */
export function defaultThresholdIndex(thresholds: readonly number[]): number {
  let best = Math.floor(thresholds.length / 2);
  for (let i = 0; i < thresholds.length; i++) {
    if (Math.abs(thresholds[i]! - 0.5) < Math.abs(thresholds[best]! - 0.5)) best = i;
  }
  return best;
}
