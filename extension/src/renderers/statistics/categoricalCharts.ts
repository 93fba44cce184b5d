/**
 * The charts of a categorical feature: horizontal bars of the most frequent values, or the CDF
 * of the rank histogram (the cumulative share of examples over the value ranks).
 */
import { formatCount, shorten } from '@tsfx/protocol';
import { r1, s } from '../../dom.js';
import {
  asIs,
  COUNT_TICK_SPACING_X,
  countTicks,
  countTitle,
  EXPANDED_PLOT_H,
  expandedSvg,
  fitText,
  greedy,
  legendOf,
  plotTop,
  rangeTicks,
  textWidth,
  X_AXIS_ROOM,
  xAxis,
  yAxis,
  yAxisRoom,
} from './axes.js';
import type { Tick } from './axes.js';
import {
  axisTexts,
  chartSvg,
  compactPlot,
  emptyChart,
  PLOT_RIGHT,
  PLOT_TOP,
  RANGE_CHART_H,
  scaled,
  valueText,
} from './chartFrame.js';
import type { ChartOptions, Plot } from './chartFrame.js';
import { num, valueCounts } from './features.js';
import type { FeatureModel } from './features.js';
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
/** An expanded chart's bar height, and the share of its width its value labels may take. */
const EXPANDED_BAR_H = 11;
const EXPANDED_LABEL_SHARE = 0.4;

/** Where a bars chart puts a value's label and bars, and how it writes the label. */
interface RowLayout {
  /** The right end of the labels. */
  labelX: number;
  /** Where the bars start, and the length of the longest. */
  barX: number;
  barsW: number;
  barH: number;
  /** From a row's middle to its label's baseline. */
  labelDy: number;
  text(label: string): string;
}

const compactRows = (width: number): RowLayout => ({
  labelX: LABEL_W - 4,
  barX: LABEL_W,
  barsW: width - LABEL_W - PLOT_RIGHT,
  barH: BAR_H,
  labelDy: 1,
  text: (label) => shorten(label, 16),
});

const rowHeight = (layout: RowLayout, series: number): number => layout.barH * series + 5;
const shownLabel = (label: string): string => (label === '' ? '(empty)' : label);

/** One value's row at `y0`: its label, and a bar per series. */
function valueRow(
  doc: Document,
  label: string,
  y0: number,
  series: readonly ValueSeries[],
  max: number,
  o: ChartOptions,
  layout: RowLayout,
): SVGGElement {
  const rowH = rowHeight(layout, series.length);
  const text = layout.text(shownLabel(label));
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
      {
        class: 'tsfx-stats-label',
        x: r1(layout.labelX),
        y: r1(y0 + rowH / 2 + layout.labelDy),
        'text-anchor': 'end',
      },
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
        x: r1(layout.barX),
        y: r1(y0 + 2 + k * layout.barH),
        width: r1(scaled(v, max, o.log) * layout.barsW),
        height: layout.barH - 1,
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
  if (o.expanded) return expandedBars(doc, feature, o, series, labels, max);
  const layout = compactRows(o.width);
  const rowH = rowHeight(layout, series.length);
  const height = PLOT_TOP + rowH * labels.length + 4;
  const rows = labels.map((label, i) =>
    valueRow(doc, label, PLOT_TOP + rowH * i, series, max, o, layout),
  );
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

/**
 * The bars expanded: the values named at the left (cut to fit), the counts or percentages under
 * the bars (log1p-spaced with the log scale), titles, and the datasets' legend.
 */
function expandedBars(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
  series: readonly ValueSeries[],
  labels: readonly string[],
  max: number,
): SVGSVGElement {
  const names = labels.map(shownLabel);
  const labelsW = Math.min(
    o.width * EXPANDED_LABEL_SHARE,
    Math.max(...names.map((n) => textWidth(n))),
  );
  const left = yAxisRoom([]) + labelsW;
  const right = textWidth(valueText(max, o.percent)) / 2 + 2;
  const layout: RowLayout = {
    labelX: left - 4,
    barX: left,
    barsW: o.width - left - right,
    barH: EXPANDED_BAR_H,
    labelDy: 3.5,
    text: (label) => fitText(label, labelsW),
  };
  const rowH = rowHeight(layout, series.length);
  const plot: Plot = {
    left,
    top: plotTop(series.length),
    width: layout.barsW,
    height: rowH * labels.length,
  };
  const rows = labels.map((label, i) =>
    valueRow(doc, label, plot.top + rowH * i, series, max, o, layout),
  );
  return expandedSvg(
    doc,
    'bars',
    o.width,
    plot.top + plot.height + X_AXIS_ROOM,
    `Most frequent values of ${feature.name}`,
    yAxis(doc, plot, [], feature.name, true),
    ...rows,
    xAxis(
      doc,
      plot,
      countTicks(max, o.percent, o.log, plot.width, COUNT_TICK_SPACING_X),
      countTitle(o.percent, o.log),
      { thin: greedy, grid: true },
    ),
    legendOf(
      doc,
      series.map((x) => x.d),
      o.datasetNames,
      plot,
    ),
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
  const counts = o.expanded ? countTicks(max, o.percent, false, EXPANDED_PLOT_H) : [];
  const plot = o.expanded ? cdfPlot(o, counts, ranks, lines.length) : compactPlot(o.width);
  const { width: plotW, height: plotH } = plot;
  /** The x of rank `i + 1`, from the plot's left. */
  const at = (i: number): number => (ranks > 1 ? (i / (ranks - 1)) * plotW : plotW / 2);
  const xOf = (i: number): number => plot.left + at(i);
  const yOf = (v: number): number => plot.top + plotH - (max > 0 ? (v / max) * plotH : 0);
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
  const label = `Cumulative distribution of the values of ${feature.name} by rank`;
  if (o.expanded) {
    const rankTicks = rangeTicks(1, ranks, formatCount, (r) => at(r - 1), 5, true);
    return expandedSvg(
      doc,
      'cdf',
      o.width,
      plot.top + plot.height + X_AXIS_ROOM,
      label,
      yAxis(doc, plot, counts, countTitle(o.percent, false, true)),
      ...paths,
      xAxis(doc, plot, rankTicks, `${feature.name}: value rank`, {
        thin: asIs,
      }),
      legendOf(
        doc,
        lines.map((l) => l.d),
        o.datasetNames,
        plot,
      ),
    );
  }
  return chartSvg(
    doc,
    'cdf',
    o.width,
    RANGE_CHART_H,
    label,
    ...paths,
    ...axisTexts(doc, valueText(max, o.percent), 'rank 1', `rank ${ranks}`, o.width, RANGE_CHART_H),
  );
}

/** The plot of an expanded CDF: room for the count ticks at the left, ranks 1 to `ranks` below. */
function cdfPlot(o: ChartOptions, counts: readonly Tick[], ranks: number, lines: number): Plot {
  const left = Math.max(yAxisRoom(counts.map((t) => t.label)), textWidth('1') / 2 + 2);
  const right = textWidth(formatCount(ranks)) / 2 + 2;
  return { left, top: plotTop(lines), width: o.width - left - right, height: EXPANDED_PLOT_H };
}
