/** How the training view writes steps, times and metric values. */
import { formatCount } from '@tsfx/protocol';

import type { XAxis } from './model.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `42s`, `3m 20s`, `1h 05m` (TensorBoard's relative time, shortened). */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const t = Math.abs(seconds);
  if (t < 10) return `${sign}${Number(t.toFixed(t < 1 ? 2 : 1))}s`;
  if (t < 60) return `${sign}${Math.round(t)}s`;
  const whole = Math.round(t);
  if (whole < 3600) return `${sign}${Math.floor(whole / 60)}m ${pad2(whole % 60)}s`;
  return `${sign}${Math.floor(whole / 3600)}h ${pad2(Math.floor((whole % 3600) / 60))}m`;
}

/** Local wall-clock time of a Unix timestamp in seconds, `HH:MM:SS`. */
export function formatClock(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** A y tick: as many decimals as the tick step needs. */
export function formatTick(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

/** A metric value in the tooltip: 4 significant digits. */
export function formatMetric(v: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-4)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

/** An x tick in the axis' unit: a step, a duration or a clock time. */
export function formatX(x: number, axis: XAxis): string {
  if (axis === 'step') return formatCount(x);
  if (axis === 'relative') return formatDuration(x);
  return formatClock(x);
}
