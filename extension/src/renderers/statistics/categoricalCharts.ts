/**
 * The charts of a categorical feature: horizontal bars of the most frequent values, or the CDF
 * of the rank histogram (the cumulative share of examples over the value ranks).
 */
import { r1, s } from '../../dom.js';
import {
  AXIS_H,
  axisTexts,
  chartSvg,
  emptyChart,
  PLOT_LEFT,
  PLOT_RIGHT,
  PLOT_TOP,
  RANGE_CHART_H,
  scaled,
  valueText,
} from './chartFrame.js';
import type { ChartOptions } from './chartFrame.js';
import { num, valueCounts } from './features.js';
import type { FeatureModel } from './features.js';
import { shorten } from '@tsfx/protocol';
import { formatShare, formatStat } from './format.js';

/** Most frequent values drawn as bars. */
export const TOP_BARS = 10;

/** A visible dataset's value counts, most frequent first, and the examples they are shares of. */
export interface ValueSeries {
  d: number;
  counts: Map<string, number>;
  ranked: [string, number][];
  total: number;
}

export function categoricalSeries(feature: FeatureModel, o: ChartOptions): ValueSeries[] {
  return o.visible
    .map((d) => {
      const ranked = valueCounts(feature.stats[d]);
      const known = ranked.reduce((a, [, c]) => a + c, 0);
      const nonMissing = num(feature.stats[d]?.stringStats?.commonStats.numNonMissing);
      return { d, counts: new Map(ranked), ranked, total: Math.max(known, nonMissing) };
    })
    .filter((x) => x.ranked.length > 0);
}

/** The values drawn: the most frequent of each series in turn, TOP_BARS at most. */
function topLabels(series: readonly ValueSeries[]): string[] {
  const labels: string[] = [];
  for (const x of series)
    for (const [label] of x.ranked) {
      if (labels.length >= TOP_BARS) break;
      if (!labels.includes(label)) labels.push(label);
    }
  return labels;
}

/** A series' count of `label`, or its percentage of the series' total. */
function valueOf(x: ValueSeries, label: string, percent: boolean): number {
  const c = x.counts.get(label) ?? 0;
  return percent ? (x.total > 0 ? (100 * c) / x.total : 0) : c;
}

const BAR_H = 7;
const LABEL_W = 100;

/** One value's row at `y0`: its label, and a bar per series. */
function valueRow(
  doc: Document,
  label: string,
  y0: number,
  series: readonly ValueSeries[],
  max: number,
  o: ChartOptions,
): SVGGElement {
  const rowH = BAR_H * series.length + 5;
  const plotW = o.width - LABEL_W - PLOT_RIGHT;
  const text = shorten(label === '' ? '(empty)' : label, 16);
  return s(
    doc,
    'g',
    { class: 'tsfx-stats-value', 'data-value-label': label },
    // The whole row is clickable (selects the value), under its bars so that their titles show.
    s(doc, 'rect', {
      class: 'tsfx-stats-hit',
      x: 0,
      y: r1(y0),
      width: o.width,
      height: rowH,
    }),
    s(
      doc,
      'text',
      { class: 'tsfx-stats-label', x: LABEL_W - 4, y: r1(y0 + rowH / 2 + 1), 'text-anchor': 'end' },
      text,
    ),
    ...series.map((x, k) => {
      const v = valueOf(x, label, o.percent);
      const c = x.counts.get(label) ?? 0;
      const title =
        `${o.datasetNames[x.d]} "${label}": ${formatStat(c)}` +
        (x.total > 0 ? ` (${formatShare(c / x.total)})` : '');
      const attrs = {
        class: `tsfx-stats-bar tsfx-ds-${x.d % 6}`,
        'data-dataset': o.datasetNames[x.d],
        'data-value': r1(v),
        x: LABEL_W,
        y: r1(y0 + 2 + k * BAR_H),
        width: r1(scaled(v, max, o.log) * plotW),
        height: BAR_H - 1,
      };
      return s(doc, 'rect', attrs, s(doc, 'title', undefined, title));
    }),
  );
}

/** Horizontal bars of the most frequent values, one per visible dataset per value. */
export function barsChart(doc: Document, feature: FeatureModel, o: ChartOptions): SVGSVGElement {
  const series = categoricalSeries(feature, o);
  if (series.length === 0) return emptyChart(doc, 'no values', o.width);
  const labels = topLabels(series);
  const max = Math.max(0, ...series.flatMap((x) => labels.map((l) => valueOf(x, l, o.percent))));
  const rowH = BAR_H * series.length + 5;
  const height = PLOT_TOP + rowH * labels.length + 4;
  const rows = labels.map((label, i) => valueRow(doc, label, PLOT_TOP + rowH * i, series, max, o));
  return chartSvg(
    doc,
    'bars',
    o.width,
    height,
    `Most frequent values of ${feature.name}`,
    s(
      doc,
      'text',
      {
        class: 'tsfx-stats-axis tsfx-stats-ymax',
        x: o.width - PLOT_RIGHT,
        y: 10,
        'text-anchor': 'end',
      },
      valueText(max, o.percent) + (o.log ? ' (log)' : ''),
    ),
    ...rows,
  );
}

/** Per series, the running total over the value ranks (or its percentage of the total). */
function cumulative(
  series: readonly ValueSeries[],
  percent: boolean,
): { d: number; points: number[] }[] {
  return series.map((x) => {
    let acc = 0;
    return {
      d: x.d,
      points: x.ranked.map(([, c]) => {
        acc += c;
        return percent ? (x.total > 0 ? (100 * acc) / x.total : 0) : acc;
      }),
    };
  });
}

/** The cumulative share (or count) of examples over the value ranks, a line per dataset. */
export function cdfChart(doc: Document, feature: FeatureModel, o: ChartOptions): SVGSVGElement {
  const series = categoricalSeries(feature, o);
  if (series.length === 0) return emptyChart(doc, 'no values', o.width);
  const ranks = Math.max(...series.map((x) => x.ranked.length));
  const lines = cumulative(series, o.percent);
  const max = o.percent ? 100 : Math.max(0, ...lines.flatMap((l) => l.points));
  const plotH = RANGE_CHART_H - PLOT_TOP - AXIS_H;
  const plotW = o.width - PLOT_LEFT - PLOT_RIGHT;
  const xOf = (i: number): number =>
    PLOT_LEFT + (ranks > 1 ? (i / (ranks - 1)) * plotW : plotW / 2);
  const yOf = (v: number): number => PLOT_TOP + plotH - (max > 0 ? (v / max) * plotH : 0);
  const paths = lines.map((l) => {
    const top = Math.min(TOP_BARS, l.points.length);
    const title = `${o.datasetNames[l.d]}: ${l.points.length} values; the top ${top} cover ${valueText(l.points[top - 1] ?? 0, o.percent)}`;
    const attrs = {
      class: `tsfx-stats-cdf tsfx-ds-${l.d % 6}`,
      'data-dataset': o.datasetNames[l.d],
      'data-value': r1(l.points[l.points.length - 1] ?? 0),
      points: l.points.map((v, i) => `${r1(xOf(i))},${r1(yOf(v))}`).join(' '),
    };
    return s(doc, 'polyline', attrs, s(doc, 'title', undefined, title));
  });
  return chartSvg(
    doc,
    'cdf',
    o.width,
    RANGE_CHART_H,
    `Cumulative distribution of the values of ${feature.name} by rank`,
    ...paths,
    ...axisTexts(doc, valueText(max, o.percent), 'rank 1', `rank ${ranks}`, o.width, RANGE_CHART_H),
  );
}
