/**
 * A chart's geometry: its size and margins, the x and y ranges of its lines, the scales from
 * values to pixels, and round tick values.
 */
import type { Line } from './lines.js';
import type { XAxis } from './model.js';

export const WIDTH = 360;
export const HEIGHT = 220;
/** Margins: room for the tick labels and the axis titles. */
export const M = { left: 62, right: 14, top: 10, bottom: 40 };
export const PLOT_W = WIDTH - M.left - M.right;
export const PLOT_H = HEIGHT - M.top - M.bottom;

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

/** The y range: the raw values' range with 5% to spare (a constant line gets some room). */
export function yDomain(lines: readonly Line[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) {
    for (const p of l.points) {
      if (p.value < lo) lo = p.value;
      if (p.value > hi) hi = p.value;
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-12) {
    const d = Math.abs(lo) * 0.1 || 0.5;
    return [lo - d, hi + d];
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

export interface ChartScales {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Pixel x of an x value. */
  sx(x: number): number;
  /** Pixel y of a metric value. */
  sy(y: number): number;
}

export function chartScales(axis: XAxis, numSteps: number, lines: readonly Line[]): ChartScales {
  const [x0, x1] = xDomain(axis, numSteps, lines);
  const [y0, y1] = yDomain(lines);
  return {
    x0,
    x1,
    y0,
    y1,
    sx: (x) => M.left + ((x - x0) / (x1 - x0)) * PLOT_W,
    sy: (y) => M.top + (1 - (y - y0) / (y1 - y0)) * PLOT_H,
  };
}
