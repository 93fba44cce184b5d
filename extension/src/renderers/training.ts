/**
 * Training: TensorBoard's scalars dashboard for one training run. One chart per metric tag
 * (loss, accuracy, auc, then any other tag) with the runs overlaid (`train` per batch,
 * `train_epoch` and `validation` per epoch), and:
 *
 * - smoothing: TensorBoard's debiased exponential moving average (see `smoothDebiased`), the raw
 *   curve drawn faint behind the smoothed one;
 * - the x axis by step, relative time (since the training's first point) or wall time;
 * - hover: a vertical rule at the nearest step with each run's smoothed and raw value there;
 * - legend entries that hide and show runs;
 * - a status line: running / done / failed, a progress bar, step / numSteps, epoch, examples/s
 *   and backend.
 *
 * While training runs the kernel updates the same output in place and JupyterLab calls the same
 * renderer again: the smoothing, x axis, hidden runs (and the hover position) are kept per host
 * element, so they survive the redraws. Long curves are reduced to at most four points per pixel
 * column (first, minimum, maximum, last) after smoothing, so drawing stays fast.
 */
import { TRAINING_MIME_TYPE } from '@tsfx/protocol';
import type { ScalarPoint, TrainingPayload } from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, r1, s, uniqueId, tableHead, viewHeader } from '../dom.js';
import { formatCount } from '@tsfx/protocol';
import { artifactLine } from '../artifact.js';

// ---------------------------------------------------------------------------------------------
// Smoothing and downsampling

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

// ---------------------------------------------------------------------------------------------
// Scales, ticks and formats

export type XAxis = 'step' | 'relative' | 'wall';
const X_AXES: readonly { value: XAxis; label: string }[] = [
  { value: 'step', label: 'Step' },
  { value: 'relative', label: 'Relative' },
  { value: 'wall', label: 'Wall' },
];

function niceStep(span: number, count: number): number {
  const raw = span / count;
  const base = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / base;
  return base * (ratio >= 7.5 ? 10 : ratio >= 3.5 ? 5 : ratio >= 1.5 ? 2 : 1);
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

function ticks(lo: number, hi: number, count: number, time: boolean, integers = false): number[] {
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

function formatTick(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

/** A metric value in the tooltip: 4 significant digits. */
export function formatMetric(v: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-4)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

// ---------------------------------------------------------------------------------------------
// Model of what a chart draws

const KNOWN_TAGS = ['loss', 'accuracy', 'auc'];
/** Colour slots (the `.tsfx-ds-<n>` theme colours) of the runs tsfx writes; others get the rest. */
const RUN_COLOURS: Readonly<Record<string, number>> = { train: 3, train_epoch: 0, validation: 1 };
const RUN_TITLES: Readonly<Record<string, string>> = {
  train: 'training metrics of each batch',
  train_epoch: 'training metrics of each epoch',
  validation: 'metrics on the eval split after each epoch',
};

interface RunInfo {
  name: string;
  colour: number;
}

function runInfos(payload: TrainingPayload): RunInfo[] {
  let next = 2;
  return payload.runs.map((run) => {
    const known = RUN_COLOURS[run.name];
    if (known !== undefined) return { name: run.name, colour: known };
    const colour = next % 6;
    next = next === 2 ? 4 : next + 1;
    return { name: run.name, colour };
  });
}

function tagsOf(payload: TrainingPayload): string[] {
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

interface Line {
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

function linesOf(
  payload: TrainingPayload,
  tag: string,
  runs: readonly RunInfo[],
  state: ViewState,
): Line[] {
  const lines: Line[] = [];
  const start = trainingStart(payload);
  for (const run of runs) {
    if (state.hidden.has(run.name)) continue;
    const points = payload.runs
      .find((r) => r.name === run.name)
      ?.series.find((sr) => sr.tag === tag)?.points;
    if (!points || points.length === 0) continue;
    // Smoothing runs in step order, like TensorBoard.
    const smoothed = smoothDebiased(
      points.map((p) => p.value),
      state.smoothing,
    );
    const xs = points.map((p) => xOf(p, state.xAxis, start));
    if (xs.every((x, i) => i === 0 || x >= xs[i - 1]!)) {
      lines.push({ run, points, xs, smoothed, start });
      continue;
    }
    // Wall times need not grow with the step: draw and look up in x order.
    const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
    lines.push({
      run,
      points: order.map((i) => points[i]!),
      xs: order.map((i) => xs[i]!),
      smoothed: order.map((i) => smoothed[i]!),
      start,
    });
  }
  return lines;
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

// ---------------------------------------------------------------------------------------------
// View state, kept per host element across re-renders of the same output

export interface ViewState {
  smoothing: number;
  xAxis: XAxis;
  hidden: Set<string>;
  /** Per tag, the x (in the current axis) the hover rule is at. */
  hover: Map<string, number>;
  /** The control that had the keyboard focus, restored after a live update. */
  focus: string | null;
}

export const DEFAULT_SMOOTHING = 0.6;
const states = new WeakMap<HTMLElement, ViewState>();

/** The state of the view drawn into `host` (created with the defaults on first use). */
export function trainingViewState(host: HTMLElement): ViewState {
  let state = states.get(host);
  if (!state) {
    state = {
      smoothing: DEFAULT_SMOOTHING,
      xAxis: 'step',
      hidden: new Set(),
      hover: new Map(),
      focus: null,
    };
    states.set(host, state);
  }
  return state;
}

// ---------------------------------------------------------------------------------------------
// Drawing

const WIDTH = 360;
const HEIGHT = 220;
const M = { left: 50, right: 14, top: 10, bottom: 28 };
const PLOT_W = WIDTH - M.left - M.right;
const PLOT_H = HEIGHT - M.top - M.bottom;

interface ChartContext {
  doc: Document;
  payload: TrainingPayload;
  runs: readonly RunInfo[];
  state: ViewState;
}

function xDomain(ctx: ChartContext, lines: readonly Line[]): [number, number] {
  const { payload, state } = ctx;
  if (state.xAxis === 'step') {
    let max = Math.max(1, payload.progress.numSteps);
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
  if (state.xAxis === 'relative') lo = Math.min(lo, 0);
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

function yDomain(lines: readonly Line[]): [number, number] {
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

function pathOf(px: readonly number[], py: readonly number[]): string {
  const keep = columnSample(px, py);
  let d = '';
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    d += `${k === 0 ? 'M' : 'L'}${r1(px[i]!)},${r1(py[i]!)}`;
  }
  return d;
}

function formatX(x: number, axis: XAxis): string {
  if (axis === 'step') return formatCount(x);
  if (axis === 'relative') return formatDuration(x);
  return formatClock(x);
}

function chart(ctx: ChartContext, tag: string): HTMLElement {
  const { doc, payload, state } = ctx;
  const lines = linesOf(payload, tag, ctx.runs, state);
  const [x0, x1] = xDomain(ctx, lines);
  const [y0, y1] = yDomain(lines);
  const sx = (x: number): number => M.left + ((x - x0) / (x1 - x0)) * PLOT_W;
  const sy = (y: number): number => M.top + (1 - (y - y0) / (y1 - y0)) * PLOT_H;
  const time = state.xAxis !== 'step';

  const svg = s(doc, 'svg', {
    class: 'tsfx-training-svg',
    width: WIDTH,
    height: HEIGHT,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${tag} by ${state.xAxis === 'step' ? 'step' : state.xAxis === 'relative' ? 'relative time' : 'wall time'}`,
  });

  // Grid and axes.
  const grid = s(doc, 'g', { class: 'tsfx-training-grid' });
  const axes = s(doc, 'g', { class: 'tsfx-training-axis' });
  const yTicks = ticks(y0, y1, 5, false);
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : Math.abs(y1 - y0) || 1;
  for (const t of yTicks) {
    const y = r1(sy(t));
    grid.append(s(doc, 'line', { x1: M.left, x2: WIDTH - M.right, y1: y, y2: y }));
    axes.append(
      s(
        doc,
        'text',
        { x: M.left - 5, y, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        formatTick(t, yStep),
      ),
    );
  }
  const xTicks = ticks(x0, x1, 5, time, state.xAxis === 'step');
  for (const t of xTicks) {
    const x = r1(sx(t));
    grid.append(s(doc, 'line', { x1: x, x2: x, y1: M.top, y2: HEIGHT - M.bottom }));
    axes.append(
      s(
        doc,
        'text',
        { x, y: HEIGHT - M.bottom + 14, 'text-anchor': 'middle' },
        formatX(t, state.xAxis),
      ),
    );
  }
  svg.append(
    grid,
    s(doc, 'rect', {
      class: 'tsfx-training-frame',
      x: M.left,
      y: M.top,
      width: PLOT_W,
      height: PLOT_H,
    }),
    axes,
  );

  // Curves: the raw values faint, the smoothed values on top.
  const curves = s(doc, 'g', { class: 'tsfx-training-curves' });
  for (const line of lines) {
    const px = line.xs.map(sx);
    const g = s(doc, 'g', {
      class: `tsfx-training-line tsfx-ds-${line.run.colour}`,
      'data-run': line.run.name,
    });
    if (state.smoothing > 0) {
      g.append(
        s(doc, 'path', {
          class: 'tsfx-training-raw',
          d: pathOf(
            px,
            line.points.map((p) => sy(p.value)),
          ),
        }),
      );
    }
    g.append(
      s(doc, 'path', {
        class: 'tsfx-training-smoothed',
        d: pathOf(px, line.smoothed.map(sy)),
      }),
    );
    // A lone point (the first validation) would not show as a line.
    if (line.points.length === 1) {
      g.append(
        s(doc, 'circle', {
          class: 'tsfx-training-dot',
          cx: r1(px[0]!),
          cy: r1(sy(line.smoothed[0]!)),
          r: 2.5,
        }),
      );
    }
    curves.append(g);
  }
  svg.append(curves);

  if (lines.length === 0) {
    const anyRun = payload.runs.some((r) => r.series.some((sr) => sr.tag === tag));
    svg.append(
      s(
        doc,
        'text',
        {
          class: 'tsfx-training-empty',
          x: M.left + PLOT_W / 2,
          y: M.top + PLOT_H / 2,
          'text-anchor': 'middle',
        },
        anyRun ? 'all runs hidden' : 'no data yet',
      ),
    );
  }

  // Hover: a rule at the nearest step, a dot per run, and a table of the values.
  const rule = s(doc, 'line', {
    class: 'tsfx-training-rule',
    y1: M.top,
    y2: HEIGHT - M.bottom,
    visibility: 'hidden',
  });
  const dots = s(doc, 'g', { class: 'tsfx-training-hover-dots' });
  const overlay = s(doc, 'rect', {
    class: 'tsfx-training-overlay',
    x: M.left,
    y: M.top,
    width: PLOT_W,
    height: PLOT_H,
  });
  svg.append(rule, dots, overlay);
  const tooltip = h(doc, 'div', { class: 'tsfx-training-tooltip', hidden: true });

  const hide = (): void => {
    rule.setAttribute('visibility', 'hidden');
    dots.replaceChildren();
    tooltip.hidden = true;
    state.hover.delete(tag);
  };
  const show = (x: number): void => {
    if (lines.length === 0) return hide();
    // The point nearest to x over all runs fixes the rule; each run shows its point nearest it.
    let at = x;
    let best = Infinity;
    for (const l of lines) {
      const cand = l.xs[nearestIndex(l.xs, x)]!;
      if (Math.abs(cand - x) < best) {
        best = Math.abs(cand - x);
        at = cand;
      }
    }
    state.hover.set(tag, at);
    const ruleX = r1(sx(at));
    rule.setAttribute('x1', ruleX);
    rule.setAttribute('x2', ruleX);
    rule.setAttribute('visibility', 'visible');
    const rows: HTMLElement[] = [];
    dots.replaceChildren();
    for (const l of lines) {
      const i = nearestIndex(l.xs, at);
      const p = l.points[i]!;
      const smoothed = l.smoothed[i]!;
      dots.append(
        s(doc, 'circle', {
          class: `tsfx-training-hover-dot tsfx-ds-${l.run.colour}`,
          cx: r1(sx(l.xs[i]!)),
          cy: r1(sy(smoothed)),
          r: 3.5,
        }),
      );
      rows.push(
        h(
          doc,
          'tr',
          { class: `tsfx-ds-${l.run.colour}`, 'data-run': l.run.name },
          h(
            doc,
            'td',
            undefined,
            h(doc, 'span', { class: 'tsfx-training-swatch' }),
            h(doc, 'span', { class: 'tsfx-training-tooltip-run' }, l.run.name),
          ),
          h(doc, 'td', { class: 'tsfx-num' }, formatMetric(smoothed)),
          h(doc, 'td', { class: 'tsfx-num' }, formatMetric(p.value)),
          h(doc, 'td', { class: 'tsfx-num' }, formatCount(p.step)),
          h(doc, 'td', { class: 'tsfx-num' }, formatDuration(p.wallTime - l.start)),
          h(doc, 'td', { class: 'tsfx-num' }, formatClock(p.wallTime)),
        ),
      );
    }
    tooltip.replaceChildren(
      h(
        doc,
        'table',
        { class: 'tsfx-table' },
        tableHead(doc, ['Run', 'Smoothed', 'Value', 'Step', 'Relative', 'Time']),
        h(doc, 'tbody', undefined, ...rows),
      ),
    );
    tooltip.hidden = false;
    // Next to the rule where it fits (right, then left), else under the chart.
    const width = tooltip.offsetWidth;
    const px = sx(at);
    const [left, top] =
      px + 12 + width <= WIDTH
        ? [px + 12, M.top]
        : px - 12 - width >= 0
          ? [px - 12 - width, M.top]
          : [Math.max(0, Math.min(px - width / 2, WIDTH - width)), HEIGHT - 4];
    tooltip.style.left = `${Math.round(left)}px`;
    tooltip.style.top = `${Math.round(top)}px`;
  };
  const invert = (clientX: number): number => {
    const box = svg.getBoundingClientRect();
    const scale = box.width > 0 ? WIDTH / box.width : 1;
    const px = (clientX - box.left) * scale;
    return x0 + ((px - M.left) / PLOT_W) * (x1 - x0);
  };
  overlay.addEventListener('mousemove', (ev: MouseEvent) => show(invert(ev.clientX)));
  overlay.addEventListener('mouseleave', hide);
  // Keyboard: arrows move the rule from point to point.
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('data-control', `chart:${tag}`);
  svg.addEventListener('keydown', (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') return hide();
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
    ev.preventDefault();
    const current = state.hover.get(tag);
    const forward = ev.key === 'ArrowRight';
    let target = forward ? Infinity : -Infinity;
    for (const l of lines) {
      if (current === undefined) {
        target = forward ? Math.min(target, l.xs[0]!) : Math.max(target, l.xs[l.xs.length - 1]!);
        continue;
      }
      const i = nearestIndex(l.xs, current);
      const candidates = [l.xs[i - 1], l.xs[i], l.xs[i + 1]].filter(
        (c): c is number => c !== undefined && (forward ? c > current : c < current),
      );
      for (const c of candidates) target = forward ? Math.min(target, c) : Math.max(target, c);
    }
    if (Number.isFinite(target)) show(target);
  });
  svg.addEventListener('blur', () => {
    if (svg.isConnected) hide();
  });
  const kept = state.hover.get(tag);
  if (kept !== undefined) show(kept);

  return h(
    doc,
    'figure',
    { class: 'tsfx-training-chart', 'data-tag': tag },
    h(doc, 'figcaption', { class: 'tsfx-training-tag' }, tag),
    h(doc, 'div', { class: 'tsfx-training-plot' }, svg, tooltip),
  );
}

function statusLine(doc: Document, payload: TrainingPayload): HTMLElement {
  const { step, numSteps, epoch, examplesPerSecond } = payload.progress;
  const share = numSteps > 0 ? Math.min(1, Math.max(0, step / numSteps)) : 0;
  const parts = [`step ${formatCount(step)} / ${formatCount(numSteps)}`, `epoch ${epoch}`];
  if (examplesPerSecond !== null) parts.push(`${formatCount(examplesPerSecond)} examples/s`);
  if (payload.backend !== null) parts.push(`backend ${payload.backend}`);
  return h(
    doc,
    'div',
    { class: 'tsfx-training-status', 'aria-live': 'polite' },
    h(
      doc,
      'span',
      { class: `tsfx-training-state tsfx-training-state-${payload.status}` },
      payload.status,
    ),
    h(
      doc,
      'div',
      {
        class: 'tsfx-training-progress',
        role: 'progressbar',
        'aria-label': 'Training progress',
        'aria-valuemin': 0,
        'aria-valuemax': numSteps,
        'aria-valuenow': Math.min(step, numSteps),
      },
      h(doc, 'div', {
        class: 'tsfx-training-progress-fill',
        style: `width: ${(share * 100).toFixed(1)}%`,
      }),
    ),
    h(doc, 'span', { class: 'tsfx-training-progress-text' }, parts.join(' · ')),
  );
}

export function renderTraining(host: HTMLElement, payload: TrainingPayload): void {
  const doc = host.ownerDocument;
  const state = trainingViewState(host);
  const runs = runInfos(payload);
  const tags = tagsOf(payload);
  const ctx: ChartContext = { doc, payload, runs, state };

  const charts = h(doc, 'div', { class: 'tsfx-training-charts' });
  const drawCharts = (): void => {
    charts.replaceChildren(...tags.map((tag) => chart(ctx, tag)));
  };

  // Smoothing: a slider and a number box, as in TensorBoard.
  const sliderId = uniqueId('training-smoothing');
  const slider = h(doc, 'input', {
    id: sliderId,
    class: 'tsfx-training-smoothing',
    type: 'range',
    min: 0,
    max: 0.999,
    step: 0.001,
    value: state.smoothing,
    'data-control': 'smoothing',
  });
  const box = h(doc, 'input', {
    class: 'tsfx-training-smoothing-value',
    type: 'number',
    min: 0,
    max: 0.999,
    step: 0.001,
    value: state.smoothing,
    'aria-label': 'Smoothing weight',
    'data-control': 'smoothing-value',
  });
  const setSmoothing = (raw: string, from: HTMLInputElement): void => {
    const v = Number(raw);
    if (!Number.isFinite(v)) return;
    state.smoothing = Math.min(0.999, Math.max(0, v));
    if (from !== slider) slider.value = String(state.smoothing);
    if (from !== box) box.value = String(state.smoothing);
    drawCharts();
  };
  slider.addEventListener('input', () => setSmoothing(slider.value, slider));
  box.addEventListener('change', () => setSmoothing(box.value, box));

  // X axis: step, relative or wall time.
  const groupName = uniqueId('training-xaxis');
  const xAxisGroup = h(
    doc,
    'div',
    { class: 'tsfx-training-xaxis', role: 'radiogroup', 'aria-label': 'Horizontal axis' },
    h(doc, 'span', { class: 'tsfx-training-control-label' }, 'Horizontal axis'),
    ...X_AXES.map(({ value, label }) => {
      const radio = h(doc, 'input', {
        type: 'radio',
        name: groupName,
        value,
        checked: state.xAxis === value,
        'data-control': `xaxis:${value}`,
      });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        state.xAxis = value;
        state.hover.clear();
        drawCharts();
      });
      return h(doc, 'label', undefined, radio, ` ${label}`);
    }),
  );

  const controls = h(
    doc,
    'div',
    { class: 'tsfx-training-controls' },
    h(
      doc,
      'div',
      { class: 'tsfx-training-smoothing-control' },
      h(doc, 'label', { for: sliderId, class: 'tsfx-training-control-label' }, 'Smoothing'),
      slider,
      box,
    ),
    xAxisGroup,
  );

  // Legend: one toggle per run.
  const legend = h(doc, 'div', {
    class: 'tsfx-legend tsfx-training-legend',
    role: 'group',
    'aria-label': 'Runs',
  });
  for (const run of runs) {
    const button = h(
      doc,
      'button',
      {
        class: `tsfx-training-run tsfx-ds-${run.colour}`,
        type: 'button',
        'aria-pressed': String(!state.hidden.has(run.name)),
        'data-run': run.name,
        'data-control': `run:${run.name}`,
        title: `${RUN_TITLES[run.name] ?? run.name}; click to show or hide`,
      },
      h(doc, 'span', { class: 'tsfx-training-swatch' }),
      h(doc, 'span', { class: 'tsfx-training-run-name' }, run.name),
    );
    button.addEventListener('click', () => {
      if (state.hidden.has(run.name)) state.hidden.delete(run.name);
      else state.hidden.add(run.name);
      button.setAttribute('aria-pressed', String(!state.hidden.has(run.name)));
      drawCharts();
    });
    legend.append(button);
  }
  if (runs.length === 0) {
    legend.append(h(doc, 'span', { class: 'tsfx-legend-hint' }, 'no scalars yet'));
  }

  const points = payload.runs.reduce(
    (n, r) => n + r.series.reduce((m, sr) => m + sr.points.length, 0),
    0,
  );
  const root = h(
    doc,
    'div',
    { class: 'tsfx-view tsfx-training', 'data-status': payload.status },
    viewHeader(
      doc,
      'Training',
      `${runs.length} run${runs.length === 1 ? '' : 's'} · ${tags.length} metrics · ${formatCount(points)} points`,
    ),
    payload.artifact ? artifactLine(doc, payload.artifact) : null,
    statusLine(doc, payload),
    controls,
    legend,
    charts,
  );

  // Keep track of the focused control, to give it the focus back after a live update.
  root.addEventListener('focusin', (ev: FocusEvent) => {
    const target = ev.target as Element | null;
    state.focus = target?.getAttribute('data-control') ?? null;
  });
  root.addEventListener('focusout', (ev: FocusEvent) => {
    const target = ev.target as Element | null;
    // Chromium fires focusout while a redraw removes the element, before it is detached: decide
    // after the current task. Still in the page: the focus really moved away; else keep it.
    queueMicrotask(() => {
      if (target?.isConnected && state.focus === target.getAttribute('data-control')) {
        if (!root.contains(doc.activeElement)) state.focus = null;
      }
    });
  });

  drawCharts();
  host.append(root);

  if (state.focus !== null) {
    const active = doc.activeElement;
    if (!active || active === doc.body) {
      const again = [...root.querySelectorAll<HTMLElement | SVGElement>('[data-control]')].find(
        (el) => el.getAttribute('data-control') === state.focus,
      );
      again?.focus({ preventScroll: true });
    }
  }
}

export const trainingRenderer: RendererSpec<'training'> = {
  kind: 'training',
  mimeType: TRAINING_MIME_TYPE,
  rootClass: 'tsfx-training',
  render: renderTraining,
};
