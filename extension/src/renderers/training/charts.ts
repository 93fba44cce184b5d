/**
 * One chart per metric tag, drawn as SVG: grid and axes (linear or log y), and per visible run
 * its raw values faint behind the smoothed ones, clipped to the plot; long curves reduced to a
 * few points per pixel column. A card's toolbar (toolbar.ts) and drag-to-zoom (zoom.ts) change
 * the chart's state in the model, then the charts are drawn again.
 */
import type { TrainingPayload } from '@tsfx/protocol';
import { h, r1, s, uniqueId } from '../../dom.js';
import { formatMetric, formatTick, formatX } from './format.js';
import { addHover } from './hover.js';
import { columnSample, linesOf } from './lines.js';
import type { Line, RunInfo } from './lines.js';
import type { TrainingModel, XAxis } from './model.js';
import { CARD, chartScales, FULL_SIZE, logTicks, M, ticks } from './scales.js';
import type { ChartScales, Frame } from './scales.js';
import { toolbar } from './toolbar.js';
import { addZoom } from './zoom.js';

export interface ChartContext {
  doc: Document;
  payload: TrainingPayload;
  runs: readonly RunInfo[];
  model: TrainingModel;
  /** Draws the charts again after a chart's control changed the model. */
  redraw: () => void;
}

const AXIS_NAMES: Readonly<Record<XAxis, string>> = {
  step: 'step',
  relative: 'relative time',
  wall: 'wall time',
};

function chartSvg(doc: Document, tag: string, axis: XAxis, frame: Frame): SVGSVGElement {
  return s(doc, 'svg', {
    class: 'tsfx-training-svg',
    width: frame.width,
    height: frame.height,
    viewBox: `0 0 ${frame.width} ${frame.height}`,
    role: 'img',
    'aria-label': `${tag} by ${AXIS_NAMES[axis]}`,
  });
}

/** The axis titles: the x axis' unit below, the metric along the y axis. */
function axisTitles(doc: Document, tag: string, axis: XAxis, sc: ChartScales): SVGElement[] {
  const midY = M.top + sc.plotH / 2;
  return [
    s(
      doc,
      'text',
      {
        class: 'tsfx-training-axis-title',
        x: M.left + sc.plotW / 2,
        y: sc.frame.height - 6,
        'text-anchor': 'middle',
      },
      AXIS_NAMES[axis],
    ),
    s(
      doc,
      'text',
      {
        class: 'tsfx-training-axis-title',
        x: 12,
        y: midY,
        'text-anchor': 'middle',
        transform: `rotate(-90 12 ${midY})`,
      },
      sc.log ? `${tag} (log)` : tag,
    ),
  ];
}

/** The y ticks and their labels: round values, or powers of ten on a log axis. */
function yTicksOf(sc: ChartScales): { value: number; label: string }[] {
  if (sc.log) return logTicks(sc.y0, sc.y1, 6).map((t) => ({ value: t, label: formatMetric(t) }));
  const yTicks = ticks(sc.y0, sc.y1, 5, false);
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : Math.abs(sc.y1 - sc.y0) || 1;
  return yTicks.map((t) => ({ value: t, label: formatTick(t, yStep) }));
}

/** The grid lines, the plot frame and the tick labels. */
function gridAndAxes(doc: Document, sc: ChartScales, axis: XAxis): SVGElement[] {
  const grid = s(doc, 'g', { class: 'tsfx-training-grid' });
  const axes = s(doc, 'g', { class: 'tsfx-training-axis' });
  const right = sc.frame.width - M.right;
  const bottom = sc.frame.height - M.bottom;
  for (const t of yTicksOf(sc)) {
    const y = r1(sc.sy(t.value));
    grid.append(s(doc, 'line', { x1: M.left, x2: right, y1: y, y2: y }));
    const anchor = { x: M.left - 5, y, 'text-anchor': 'end', 'dominant-baseline': 'middle' };
    axes.append(s(doc, 'text', anchor, t.label));
  }
  const xTicks = ticks(sc.x0, sc.x1, 5, axis !== 'step', axis === 'step');
  for (const t of xTicks) {
    const x = r1(sc.sx(t));
    grid.append(s(doc, 'line', { x1: x, x2: x, y1: M.top, y2: bottom }));
    const anchor = { x, y: bottom + 15, 'text-anchor': 'middle' };
    axes.append(s(doc, 'text', anchor, formatX(t, axis)));
  }
  const frame = s(doc, 'rect', {
    class: 'tsfx-training-frame',
    x: M.left,
    y: M.top,
    width: sc.plotW,
    height: sc.plotH,
  });
  return [grid, frame, axes];
}

/**
 * An SVG path through the points, a few per pixel column (see columnSample); points a log axis
 * cannot show (y not finite) are left out.
 */
function pathOf(px: readonly number[], py: readonly number[]): string {
  let xs = px;
  let ys = py;
  if (py.some((y) => !Number.isFinite(y))) {
    const ok = py.flatMap((y, i) => (Number.isFinite(y) ? [i] : []));
    xs = ok.map((i) => px[i]!);
    ys = ok.map((i) => py[i]!);
  }
  const keep = columnSample(xs, ys);
  let d = '';
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    d += `${k === 0 ? 'M' : 'L'}${r1(xs[i]!)},${r1(ys[i]!)}`;
  }
  return d;
}

/** A run's curve: the raw values faint (when smoothed), the smoothed values on top. */
function curve(doc: Document, line: Line, sc: ChartScales, smoothing: number): SVGGElement {
  const px = line.xs.map(sc.sx);
  const g = s(doc, 'g', {
    class: `tsfx-training-line tsfx-ds-${line.run.colour}`,
    'data-run': line.run.name,
  });
  if (smoothing > 0) {
    const raw = pathOf(
      px,
      line.points.map((p) => sc.sy(p.value)),
    );
    g.append(s(doc, 'path', { class: 'tsfx-training-raw', d: raw }));
  }
  const smoothed = pathOf(px, line.smoothed.map(sc.sy));
  g.append(s(doc, 'path', { class: 'tsfx-training-smoothed', d: smoothed }));
  // A lone point (the first validation) would not show as a line.
  const cy = sc.sy(line.smoothed[0]!);
  if (line.points.length === 1 && Number.isFinite(cy)) {
    g.append(s(doc, 'circle', { class: 'tsfx-training-dot', cx: r1(px[0]!), cy: r1(cy), r: 2.5 }));
  }
  return g;
}

/** Centred in an empty chart: why it is empty. */
function emptyNote(doc: Document, sc: ChartScales, text: string): SVGTextElement {
  return s(
    doc,
    'text',
    {
      class: 'tsfx-training-empty',
      x: M.left + sc.plotW / 2,
      y: M.top + sc.plotH / 2,
      'text-anchor': 'middle',
    },
    text,
  );
}

/** The curves' group, clipped to the plot (a zoomed or outlier-free range cuts lines). */
function curvesOf(
  doc: Document,
  lines: readonly Line[],
  sc: ChartScales,
  smoothing: number,
): SVGElement[] {
  const clipId = uniqueId('training-clip');
  const clip = s(
    doc,
    'clipPath',
    { id: clipId },
    s(doc, 'rect', { x: M.left, y: M.top, width: sc.plotW, height: sc.plotH }),
  );
  const curves = s(doc, 'g', { class: 'tsfx-training-curves', 'clip-path': `url(#${clipId})` });
  for (const line of lines) curves.append(curve(doc, line, sc, smoothing));
  return [s(doc, 'defs', undefined, clip), curves];
}

/** The chart of `tag`: a figure with its caption and toolbar, the SVG and the hover tooltip. */
export function chart(ctx: ChartContext, tag: string): HTMLElement {
  const { doc, payload, model } = ctx;
  const lines = linesOf(payload, tag, ctx.runs, model);
  const full = model.isFullSize(tag);
  const sc = chartScales(model.xAxis, payload.progress.numSteps, lines, {
    frame: full ? FULL_SIZE : CARD,
    zoom: model.zoomOf(tag),
    ignoreOutliers: model.ignoreOutliers,
    log: model.isLog(tag),
  });
  const svg = chartSvg(doc, tag, model.xAxis, sc.frame);
  svg.append(...gridAndAxes(doc, sc, model.xAxis), ...axisTitles(doc, tag, model.xAxis, sc));
  svg.append(...curvesOf(doc, lines, sc, model.smoothing));
  if (lines.length === 0) {
    const anyRun = payload.runs.some((r) => r.series.some((sr) => sr.tag === tag));
    svg.append(emptyNote(doc, sc, anyRun ? 'all runs hidden' : 'no data yet'));
  }
  const tooltip = addHover(doc, svg, tag, lines, sc, model);
  addZoom(doc, svg, tag, sc, model, ctx.redraw);
  return h(
    doc,
    'figure',
    {
      class: `tsfx-training-chart${full ? ' tsfx-training-chart-full' : ''}`,
      'data-tag': tag,
    },
    h(
      doc,
      'figcaption',
      { class: 'tsfx-training-caption' },
      h(doc, 'span', { class: 'tsfx-training-tag' }, tag),
      toolbar(doc, tag, svg, lines, model, ctx.redraw),
    ),
    h(doc, 'div', { class: 'tsfx-training-plot' }, svg, tooltip),
  );
}
