/**
 * What every statistics chart shares: its options, its size, the SVG element with its label,
 * the empty chart, the axis texts, and the scaling of values to bar lengths.
 */
import { formatCount } from '@tsfx/protocol';
import { s } from '../../dom.js';
import type { Child } from '../../dom.js';

export interface ChartOptions {
  /** Indices of the datasets drawn. */
  visible: readonly number[];
  datasetNames: readonly string[];
  percent: boolean;
  log: boolean;
  /** The chart's width in pixels (the view fits it to the output; see CHART_WIDTHS). */
  width: number;
  /** Facets' "expand": a larger chart with real axes (see axes.ts). */
  expanded?: boolean;
}

/** A chart's width: the default (what the tests draw), and the range the view fits it to. */
export const CHART_W = 220;
export const CHART_WIDTHS = { min: 120, max: 320 } as const;
export const PLOT_LEFT = 6;
export const PLOT_RIGHT = 6;
export const PLOT_TOP = 14;
export const AXIS_H = 14;
/** Height of the charts drawn over an x range (the STANDARD histogram, the CDF). */
export const RANGE_CHART_H = 96;

/** The plot area of a chart, in pixels. */
export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The plot of a compact chart drawn over an x range, `width` wide. */
export const compactPlot = (width: number): Plot => ({
  left: PLOT_LEFT,
  top: PLOT_TOP,
  width: width - PLOT_LEFT - PLOT_RIGHT,
  height: RANGE_CHART_H - PLOT_TOP - AXIS_H,
});

/** The share of the bar length `v` takes when `max` takes it all (log1p scaled for `log`). */
export function scaled(v: number, max: number, log: boolean): number {
  if (!(max > 0) || !(v > 0)) return 0;
  return log ? Math.log1p(v) / Math.log1p(max) : v / max;
}

/** A bar value: a count, or a percentage. */
export function valueText(v: number, percent: boolean): string {
  return percent ? `${v < 1 && v > 0 ? v.toFixed(2) : v.toFixed(1)}%` : formatCount(v);
}

/** The SVG element of a chart of `kind` (its `data-chart`), labelled for screen readers. */
export function chartSvg(
  doc: Document,
  kind: string,
  width: number,
  height: number,
  label: string,
  ...children: Child[]
): SVGSVGElement {
  return s(
    doc,
    'svg',
    {
      class: 'tsfx-stats-svg',
      'data-chart': kind,
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    ...children,
  );
}

/** A chart with nothing to draw: a line saying why. */
export function emptyChart(doc: Document, text: string, width: number): SVGSVGElement {
  return chartSvg(
    doc,
    'empty',
    width,
    28,
    text,
    s(
      doc,
      'text',
      { class: 'tsfx-stats-axis', x: width / 2, y: 18, 'text-anchor': 'middle' },
      text,
    ),
  );
}

/** Axis texts: the largest value at the top left, the x range at the bottom. */
export function axisTexts(
  doc: Document,
  top: string,
  left: string,
  right: string,
  width: number,
  height: number,
): SVGElement[] {
  const y = height - 3;
  return [
    s(doc, 'text', { class: 'tsfx-stats-axis tsfx-stats-ymax', x: PLOT_LEFT, y: 10 }, top),
    s(doc, 'text', { class: 'tsfx-stats-axis tsfx-stats-xmin', x: PLOT_LEFT, y }, left),
    s(
      doc,
      'text',
      {
        class: 'tsfx-stats-axis tsfx-stats-xmax',
        x: width - PLOT_RIGHT,
        y,
        'text-anchor': 'end',
      },
      right,
    ),
    s(doc, 'line', {
      class: 'tsfx-stats-baseline',
      x1: PLOT_LEFT,
      x2: width - PLOT_RIGHT,
      y1: height - AXIS_H,
      y2: height - AXIS_H,
    }),
  ];
}
