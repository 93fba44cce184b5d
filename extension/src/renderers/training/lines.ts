/**
 * What a chart draws: the runs and their colours, the metric tags, and per tag a line per
 * visible run (TensorBoard's debiased smoothing, x values in the chosen axis); the reduction of
 * long curves to a few points per pixel column, and the nearest-point lookup of the hover.
 */
import type { ScalarPoint, TrainingPayload } from '@tsfx/protocol';
import type { TrainingModel, XAxis } from './model.js';
import { comparisonRunInfos } from './comparison.js';

/**
 * TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's moments,
 * `last_i = w * last_{i-1} + (1 - w) * v_i` with `last_{-1} = 0`, and
 * `smoothed_i = last_i / (1 - w^(i+1))`. With w = 0 the values are returned unchanged.
 */
export function smoothDebiased(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let last = 0;
  let debias = 1;
  return values.map((v) => {
    last = w * last + (1 - w) * v;
    debias *= w;
    return w === 0 ? v : last / (1 - debias);
  });
}

/**
 * Indices of the points to draw so that each pixel column keeps its first, lowest, highest and
 * last point (in order): the drawn line looks the same as with every point. `xs` must be sorted.
 */
export function columnSample(xs: readonly number[], ys: readonly number[]): number[] {
  const keep: number[] = [];
  let i = 0;
  while (i < xs.length) {
    const column = Math.floor(xs[i]!);
    let j = i;
    let lo = i;
    let hi = i;
    while (j + 1 < xs.length && Math.floor(xs[j + 1]!) === column) {
      j += 1;
      if (ys[j]! < ys[lo]!) lo = j;
      if (ys[j]! > ys[hi]!) hi = j;
    }
    const picked = [...new Set([i, lo, hi, j])].sort((a, b) => a - b);
    keep.push(...picked);
    i = j + 1;
  }
  return keep;
}

/** Index of the element of sorted `xs` nearest to `x`. */
export function nearestIndex(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1]! - x) <= Math.abs(xs[lo]! - x)) return lo - 1;
  return lo;
}

const KNOWN_TAGS = ['loss', 'accuracy', 'auc'];
/**
 * Colour slots (the `.tsfx-ds-<n>` theme colours) of the runs tsfx writes, three distinct hues in
 * both themes (brand blue, warn orange, accent green); other runs get the rest.
 */
const RUN_COLOURS: Readonly<Record<string, number>> = { train: 2, train_epoch: 0, validation: 1 };

export interface RunInfo {
  name: string;
  colour: number;
}

export function runInfos(payload: TrainingPayload): RunInfo[] {
  if (payload.modelRuns) return comparisonRunInfos(payload);
  let next = 3;
  return payload.runs.map((run) => {
    const known = RUN_COLOURS[run.name];
    if (known !== undefined) return { name: run.name, colour: known };
    const colour = next % 6;
    next += 1;
    return { name: run.name, colour };
  });
}

/** The tags charted: loss, accuracy and auc first (even before they have points), then others. */
export function tagsOf(payload: TrainingPayload): string[] {
  const found = new Set(payload.runs.flatMap((r) => r.series.map((sr) => sr.tag)));
  return [...KNOWN_TAGS, ...[...found].filter((t) => !KNOWN_TAGS.includes(t))];
}

/**
 * Seconds of the first point of any run: the origin of relative time. (TensorBoard counts from
 * each run's first point; here the runs are parts of one training, so they share the origin and
 * the validation curve lines up with the batches it follows.)
 */
function trainingStart(payload: TrainingPayload): number {
  let start = Infinity;
  for (const run of payload.runs) {
    for (const sr of run.series)
      for (const p of sr.points) if (p.wallTime < start) start = p.wallTime;
  }
  return start;
}

export interface Line {
  run: RunInfo;
  points: readonly ScalarPoint[];
  xs: number[];
  smoothed: number[];
  /** Wall time of the training's first point. */
  start: number;
}

function xOf(p: ScalarPoint, axis: XAxis, start: number): number {
  return axis === 'step' ? p.step : axis === 'relative' ? p.wallTime - start : p.wallTime;
}

/** The line of `run` for `tag` (undefined without points), in x order. */
function lineOf(
  payload: TrainingPayload,
  tag: string,
  run: RunInfo,
  model: TrainingModel,
  start: number,
): Line | undefined {
  const points = payload.runs
    .find((r) => r.name === run.name)
    ?.series.find((sr) => sr.tag === tag)?.points;
  if (!points || points.length === 0) return undefined;
  // Smoothing runs in step order, like TensorBoard.
  const smoothed = smoothDebiased(
    points.map((p) => p.value),
    model.smoothing,
  );
  const xs = points.map((p) => xOf(p, model.xAxis, start));
  if (xs.every((x, i) => i === 0 || x >= xs[i - 1]!)) return { run, points, xs, smoothed, start };
  // Wall times need not grow with the step: draw and look up in x order.
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  return {
    run,
    points: order.map((i) => points[i]!),
    xs: order.map((i) => xs[i]!),
    smoothed: order.map((i) => smoothed[i]!),
    start,
  };
}

/** The lines of the chart of `tag`: one per run shown that has points for it. */
export function linesOf(
  payload: TrainingPayload,
  tag: string,
  runs: readonly RunInfo[],
  model: TrainingModel,
): Line[] {
  const lines: Line[] = [];
  const start = trainingStart(payload);
  for (const run of runs) {
    if (!model.showsRun(run.name)) continue;
    const line = lineOf(payload, tag, run, model, start);
    if (line) lines.push(line);
  }
  return lines;
}
