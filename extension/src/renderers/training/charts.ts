/**
 * One chart per metric tag, drawn as SVG: grid and axes, and per visible run its raw values
 * faint behind the smoothed ones; long curves reduced to a few points per pixel column.
 */
import type { TrainingPayload } from '@tsfx/protocol';
import { h, r1, s } from '../../dom.js';
import { formatTick, formatX } from './format.js';
import { addHover } from './hover.js';
import { columnSample, linesOf } from './lines.js';
import type { Line, RunInfo } from './lines.js';
import type { TrainingModel, XAxis } from './model.js';
import { chartScales, HEIGHT, M, PLOT_H, PLOT_W, ticks, WIDTH } from './scales.js';
import type { ChartScales } from './scales.js';

export interface ChartContext {
  doc: Document;
  payload: TrainingPayload;
  runs: readonly RunInfo[];
  model: TrainingModel;
}

const AXIS_NAMES: Readonly<Record<XAxis, string>> = {
  step: 'step',
  relative: 'relative time',
  wall: 'wall time',
};

function chartSvg(doc: Document, tag: string, axis: XAxis): SVGSVGElement {
  return s(doc, 'svg', {
    class: 'tsfx-training-svg',
    width: WIDTH,
    height: HEIGHT,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${tag} by ${AXIS_NAMES[axis]}`,
  });
}

/** The axis titles: the x axis' unit below, the metric along the y axis. */
function axisTitles(doc: Document, tag: string, axis: XAxis): SVGElement[] {
  const midY = M.top + PLOT_H / 2;
  return [
    s(
      doc,
      'text',
      {
        class: 'tsfx-training-axis-title',
        x: M.left + PLOT_W / 2,
        y: HEIGHT - 6,
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
      tag,
    ),
  ];
}

/** The grid lines, the plot frame and the tick labels. */
function gridAndAxes(doc: Document, sc: ChartScales, axis: XAxis): SVGElement[] {
  const grid = s(doc, 'g', { class: 'tsfx-training-grid' });
  const axes = s(doc, 'g', { class: 'tsfx-training-axis' });
  const yTicks = ticks(sc.y0, sc.y1, 5, false);
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : Math.abs(sc.y1 - sc.y0) || 1;
  for (const t of yTicks) {
    const y = r1(sc.sy(t));
    grid.append(s(doc, 'line', { x1: M.left, x2: WIDTH - M.right, y1: y, y2: y }));
    const anchor = { x: M.left - 5, y, 'text-anchor': 'end', 'dominant-baseline': 'middle' };
    axes.append(s(doc, 'text', anchor, formatTick(t, yStep)));
  }
  const xTicks = ticks(sc.x0, sc.x1, 5, axis !== 'step', axis === 'step');
  for (const t of xTicks) {
    const x = r1(sc.sx(t));
    grid.append(s(doc, 'line', { x1: x, x2: x, y1: M.top, y2: HEIGHT - M.bottom }));
    const anchor = { x, y: HEIGHT - M.bottom + 15, 'text-anchor': 'middle' };
    axes.append(s(doc, 'text', anchor, formatX(t, axis)));
  }
  const frame = s(doc, 'rect', {
    class: 'tsfx-training-frame',
    x: M.left,
    y: M.top,
    width: PLOT_W,
    height: PLOT_H,
  });
  return [grid, frame, axes];
}

/** An SVG path through the points, a few per pixel column (see columnSample). */
function pathOf(px: readonly number[], py: readonly number[]): string {
  const keep = columnSample(px, py);
  let d = '';
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    d += `${k === 0 ? 'M' : 'L'}${r1(px[i]!)},${r1(py[i]!)}`;
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
  if (line.points.length === 1) {
    g.append(
      s(doc, 'circle', {
        class: 'tsfx-training-dot',
        cx: r1(px[0]!),
        cy: r1(sc.sy(line.smoothed[0]!)),
        r: 2.5,
      }),
    );
  }
  return g;
}

/** Centred in an empty chart: why it is empty. */
function emptyNote(doc: Document, text: string): SVGTextElement {
  return s(
    doc,
    'text',
    {
      class: 'tsfx-training-empty',
      x: M.left + PLOT_W / 2,
      y: M.top + PLOT_H / 2,
      'text-anchor': 'middle',
    },
    text,
  );
}

/** The chart of `tag`: a figure with its caption, the SVG and the hover tooltip. */
export function chart(ctx: ChartContext, tag: string): HTMLElement {
  const { doc, payload, model } = ctx;
  const lines = linesOf(payload, tag, ctx.runs, model);
  const sc = chartScales(model.xAxis, payload.progress.numSteps, lines);
  const svg = chartSvg(doc, tag, model.xAxis);
  svg.append(...gridAndAxes(doc, sc, model.xAxis), ...axisTitles(doc, tag, model.xAxis));
  const curves = s(doc, 'g', { class: 'tsfx-training-curves' });
  for (const line of lines) curves.append(curve(doc, line, sc, model.smoothing));
  svg.append(curves);
  if (lines.length === 0) {
    const anyRun = payload.runs.some((r) => r.series.some((sr) => sr.tag === tag));
    svg.append(emptyNote(doc, anyRun ? 'all runs hidden' : 'no data yet'));
  }
  const tooltip = addHover(doc, svg, tag, lines, sc, model);
  return h(
    doc,
    'figure',
    { class: 'tsfx-training-chart', 'data-tag': tag },
    h(doc, 'figcaption', { class: 'tsfx-training-tag' }, tag),
    h(doc, 'div', { class: 'tsfx-training-plot' }, svg, tooltip),
  );
}
