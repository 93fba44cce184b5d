/**
 * A chart's geometry: its size and margins, the x and y ranges of its lines (fit to the data,
 * fit to the 5th–95th percentiles when outliers are ignored, or a zoomed box), the scales from
 * values to pixels (linear or log y) and back, and round tick values.
 */
import type { Line } from './lines.js';
import type { XAxis } from './model.js';

export const WIDTH = 360;
export const HEIGHT = 220;
/** Margins: room for the tick labels and the axis titles. */
export const M = { left: 62, right: 14, top: 10, bottom: 40 };
export const PLOT_W = WIDTH - M.left - M.right;
export const PLOT_H = HEIGHT - M.top - M.bottom;

/** A chart's drawn size: a card's, or a full-size card's (a whole row). */
export interface Frame {
  width: number;
  height: number;
}

export const CARD: Frame = { width: WIDTH, height: HEIGHT };
export const FULL_SIZE: Frame = { width: 2 * WIDTH + 40, height: Math.round(HEIGHT * 1.5) };

function niceStep(span: number, count: number): number {
  const raw = span / count;
  const base = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / base;
  return base * (ratio >= 7.5 ? 10 : ratio >= 3.5 ? 5 : ratio >= 1.5 ? 2 : 1);
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

/**
 * About `count` round values from `lo` to `hi`: steps of 1, 2 or 5 times a power of ten, of
 * whole seconds, minutes or hours for `time`, at least 1 for `integers`.
 */
export function ticks(
  lo: number,
  hi: number,
  count: number,
  time: boolean,
  integers = false,
): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  let step = niceStep(span, count);
  if (integers) step = Math.max(step, 1);
  if (time && span >= 2) {
    step = TIME_STEPS.find((t) => span / t <= count) ?? niceStep(span / 3600, count) * 3600;
  }
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  // `+ 0` turns -0 (from ceil of a tiny negative) into 0.
  for (let k = first; k * step <= hi + step * 1e-9; k++) out.push(k * step + 0);
  return out;
}

/**
 * Ticks of a log axis from `lo` to `hi` (both > 0): the powers of ten inside, with 2 and 5 times
 * them while that gives fewer than `count` ticks; a range within one decade gets linear ticks.
 */
export function logTicks(lo: number, hi: number, count: number): number[] {
  const first = Math.ceil(Math.log10(lo) - 1e-9);
  const last = Math.floor(Math.log10(hi) + 1e-9);
  if (last - first < 1) {
    return ticks(lo, hi, count, false)
      .filter((t) => t > 0)
      .map((t) => Number(t.toPrecision(12)));
  }
  const inside = (t: number) => t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9);
  for (const mantissas of [[1, 2, 5], [1]]) {
    const out: number[] = [];
    for (let e = first - 1; e <= last; e++) {
      for (const m of mantissas) {
        const t = Number((m * 10 ** e).toPrecision(12));
        if (inside(t)) out.push(t);
      }
    }
    if (out.length <= count || mantissas.length === 1) return out;
  }
  return [];
}

/**
 * The x range: by step from 0 to the planned number of steps (or further), so that a running
 * training fills the chart as it goes; by time the lines' range (relative time from 0).
 */
export function xDomain(axis: XAxis, numSteps: number, lines: readonly Line[]): [number, number] {
  if (axis === 'step') {
    let max = Math.max(1, numSteps);
    for (const l of lines) max = Math.max(max, l.xs[l.xs.length - 1]!);
    return [0, max];
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) {
    lo = Math.min(lo, l.xs[0]!);
    hi = Math.max(hi, l.xs[l.xs.length - 1]!);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (axis === 'relative') lo = Math.min(lo, 0);
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/**
 * The `p`-quantile of ascending `sorted` values, interpolated between the two nearest ranks
 * (position `(n - 1) p`, as d3.quantile and numpy's default "linear" method).
 */
export function quantile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = (n - 1) * p;
  const i = Math.floor(at);
  const below = sorted[i]!;
  const above = sorted[Math.min(n - 1, i + 1)]!;
  return below + (above - below) * (at - i);
}

/** How a chart's y range is chosen. */
export interface YScaling {
  /** TensorBoard's "ignore outliers in chart scaling": the 5th–95th percentiles, widened. */
  ignoreOutliers: boolean;
  /** A log y axis: only values > 0 count (and are drawn). */
  log: boolean;
}

/** The share of the outlier-free range added below and above it (TensorBoard widens it too). */
export const OUTLIER_PADDING = 0.2;

/**
 * The y range of `values` ignoring outliers: from the 5th to the 95th percentile, widened by
 * OUTLIER_PADDING of that span on each side (a constant range gets some room).
 */
export function outlierFreeDomain(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const lo = quantile(sorted, 0.05);
  const hi = quantile(sorted, 0.95);
  const span = hi - lo;
  if (!(span > 1e-12)) {
    const d = Math.abs(lo) * 0.1 || 0.5;
    return [lo - d, hi + d];
  }
  return [lo - span * OUTLIER_PADDING, hi + span * OUTLIER_PADDING];
}

/** The values a y range is fit to: every raw value (on a log axis, those > 0), finite. */
function yValues(lines: readonly Line[], log: boolean): number[] {
  const out: number[] = [];
  for (const l of lines) {
    for (const p of l.points) {
      if (Number.isFinite(p.value) && (!log || p.value > 0)) out.push(p.value);
    }
  }
  return out;
}

/**
 * The y range: the raw values' range with 5% to spare (a constant line gets some room), or
 * without outliers (see outlierFreeDomain). On a log axis the same in log10 of the values,
 * returned as values (> 0).
 */
export function yDomain(
  lines: readonly Line[],
  scaling: YScaling = { ignoreOutliers: false, log: false },
): [number, number] {
  const raw = yValues(lines, scaling.log);
  if (raw.length === 0) return scaling.log ? [0.1, 10] : [0, 1];
  const values = scaling.log ? raw.map(Math.log10) : raw;
  let lo: number;
  let hi: number;
  if (scaling.ignoreOutliers) {
    [lo, hi] = outlierFreeDomain(values);
  } else {
    lo = Math.min(...values);
    hi = Math.max(...values);
    if (hi - lo < 1e-12) {
      const d = Math.abs(lo) * 0.1 || 0.5;
      [lo, hi] = [lo - d, hi + d];
    } else {
      const pad = (hi - lo) * 0.05;
      [lo, hi] = [lo - pad, hi + pad];
    }
  }
  return scaling.log ? [10 ** lo, 10 ** hi] : [lo, hi];
}

/** A zoomed box, in data units (x in the chart's axis, y in metric values). */
export interface Zoom {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface ChartScales {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  log: boolean;
  frame: Frame;
  plotW: number;
  plotH: number;
  /** Pixel x of an x value. */
  sx(x: number): number;
  /** Pixel y of a metric value (NaN for a value a log axis cannot show). */
  sy(y: number): number;
  /** The x value at pixel x. */
  ix(px: number): number;
  /** The metric value at pixel y. */
  iy(py: number): number;
}

export interface ChartOptions extends YScaling {
  frame: Frame;
  zoom: Zoom | undefined;
}

export function chartScales(
  axis: XAxis,
  numSteps: number,
  lines: readonly Line[],
  options: ChartOptions = { frame: CARD, zoom: undefined, ignoreOutliers: false, log: false },
): ChartScales {
  const { frame, zoom, log } = options;
  const [x0, x1] = zoom ? [zoom.x0, zoom.x1] : xDomain(axis, numSteps, lines);
  const [y0, y1] = zoom ? [zoom.y0, zoom.y1] : yDomain(lines, options);
  const plotW = frame.width - M.left - M.right;
  const plotH = frame.height - M.top - M.bottom;
  const ty = log ? (y: number) => (y > 0 ? Math.log10(y) : NaN) : (y: number) => y;
  const [t0, t1] = [ty(y0), ty(y1)];
  return {
    x0,
    x1,
    y0,
    y1,
    log,
    frame,
    plotW,
    plotH,
    sx: (x) => M.left + ((x - x0) / (x1 - x0)) * plotW,
    sy: (y) => M.top + (1 - (ty(y) - t0) / (t1 - t0)) * plotH,
    ix: (px) => x0 + ((px - M.left) / plotW) * (x1 - x0),
    iy: (py) => {
      const t = t0 + (1 - (py - M.top) / plotH) * (t1 - t0);
      return log ? 10 ** t : t;
    },
  };
}
