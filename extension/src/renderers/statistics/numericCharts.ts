/**
 * The charts of a numeric feature: the STANDARD histogram (the datasets re-bucketed onto common
 * edges, bars side by side), or the QUANTILES histogram drawn as one line of quantile ticks per
 * dataset.
 */
import type { FeatureFormat, FeatureNameStatistics, Histogram } from '@tsfx/protocol';
import { r1, s } from '../../dom.js';
import {
  asIs,
  countTicks,
  countTitle,
  EXPANDED_PLOT_H,
  expandedSvg,
  fitText,
  legendOf,
  plotTop,
  rangeTicks,
  textWidth,
  X_AXIS_ROOM,
  xAxis,
  yAxis,
  yAxisRoom,
} from './axes.js';
import {
  AXIS_H,
  axisTexts,
  chartSvg,
  compactPlot,
  emptyChart,
  PLOT_LEFT,
  PLOT_RIGHT,
  PLOT_TOP,
  RANGE_CHART_H,
  scaled,
  valueText,
} from './chartFrame.js';
import type { ChartOptions, Plot } from './chartFrame.js';
import { commonEdges, rebin } from './distributions.js';
import { commonOf, histogramOf } from './features.js';
import type { FeatureModel } from './features.js';
import { formatStat } from './format.js';

/** A visible dataset's STANDARD histogram on the common edges: counts, and what is drawn. */
interface BucketSeries {
  d: number;
  counts: number[];
  /** The counts, or percentages of the dataset's total. */
  values: number[];
}

/** The STANDARD histograms of the visible datasets re-bucketed onto common edges, if any. */
export function standardSeries(
  feature: FeatureModel,
  o: ChartOptions,
): { edges: number[]; series: BucketSeries[] } | undefined {
  const shown = o.visible
    .map((d) => ({ d, hist: histogramOf(feature.stats[d], 'STANDARD') }))
    .filter((x): x is { d: number; hist: Histogram } => x.hist !== undefined);
  const edges = commonEdges(shown.map((x) => x.hist));
  if (shown.length === 0 || edges.length < 2) return undefined;
  const series = shown.map(({ d, hist }) => {
    const counts = rebin(hist, edges);
    const total = counts.reduce((a, b) => a + b, 0);
    return {
      d,
      counts,
      values: o.percent ? counts.map((c) => (total > 0 ? (100 * c) / total : 0)) : counts,
    };
  });
  return { edges, series };
}

/** `[lo, hi)` of bucket `i`, closed on the right for the last one. */
export function bucketRange(edges: readonly number[], i: number, format: FeatureFormat): string {
  const last = i === edges.length - 2;
  return `[${format.number(edges[i]!)}, ${format.number(edges[i + 1]!)}${last ? ']' : ')'}`;
}

/** Per bucket, a bar per series side by side. */
function standardBars(
  doc: Document,
  edges: readonly number[],
  series: readonly BucketSeries[],
  max: number,
  o: ChartOptions,
  format: FeatureFormat,
  plot: Plot,
): SVGElement[] {
  const { top, height: plotH } = plot;
  const n = edges.length - 1;
  const bucketW = plot.width / n;
  const barW = Math.max(1, (bucketW - 1) / series.length);
  const bars: SVGElement[] = [];
  for (let i = 0; i < n; i++) {
    // The whole bucket is clickable (selects it), under its bars so that their titles show.
    bars.push(
      s(doc, 'rect', {
        class: 'tsfx-stats-hit',
        'data-bucket': i,
        x: r1(plot.left + i * bucketW),
        y: top,
        width: r1(bucketW),
        height: r1(plotH),
      }),
    );
    series.forEach((x, k) => {
      const v = x.values[i] ?? 0;
      const bh = scaled(v, max, o.log) * plotH;
      const title =
        `${o.datasetNames[x.d]} ${bucketRange(edges, i, format)}: ${formatStat(Math.round((x.counts[i] ?? 0) * 10) / 10)}` +
        (o.percent ? ` (${valueText(v, true)})` : '');
      const attrs = {
        class: `tsfx-stats-bar tsfx-ds-${x.d % 6}`,
        'data-dataset': o.datasetNames[x.d],
        'data-value': r1(v),
        'data-bucket': i,
        x: r1(plot.left + i * bucketW + k * barW),
        y: r1(top + plotH - bh),
        width: r1(Math.max(0.5, barW - 0.5)),
        height: r1(bh),
      };
      bars.push(s(doc, 'rect', attrs, s(doc, 'title', undefined, title)));
    });
  }
  return bars;
}

/** The STANDARD histograms of the visible datasets, re-bucketed onto common edges, as bars. */
export function standardChart(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
): SVGSVGElement {
  const found = standardSeries(feature, o);
  if (!found) return emptyChart(doc, 'no values', o.width);
  const { edges, series } = found;
  const max = Math.max(0, ...series.flatMap((x) => x.values));
  if (o.expanded) return expandedStandard(doc, feature, o, edges, series, max);
  return chartSvg(
    doc,
    'standard',
    o.width,
    RANGE_CHART_H,
    `Histogram of ${feature.name}`,
    ...standardBars(doc, edges, series, max, o, feature.format, compactPlot(o.width)),
    ...axisTexts(
      doc,
      valueText(max, o.percent) + (o.log ? ' (log)' : ''),
      feature.format.number(edges[0]!),
      feature.format.number(edges[edges.length - 1]!),
      o.width,
      RANGE_CHART_H,
    ),
  );
}

/**
 * The STANDARD histogram expanded: the bucket edges under the bars (in the feature's number
 * format), the counts or percentages up the side (log1p-spaced with the log scale), titles.
 */
function expandedStandard(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
  edges: readonly number[],
  series: readonly BucketSeries[],
  max: number,
): SVGSVGElement {
  const labels = edges.map((v) => feature.format.number(v));
  const counts = countTicks(max, o.percent, o.log, EXPANDED_PLOT_H);
  const left = Math.max(yAxisRoom(counts.map((t) => t.label)), textWidth(labels[0]!) / 2 + 2);
  const right = textWidth(labels[labels.length - 1]!) / 2 + 2;
  const plot: Plot = {
    left,
    top: plotTop(series.length),
    width: o.width - left - right,
    height: EXPANDED_PLOT_H,
  };
  const bucketW = plot.width / (edges.length - 1);
  const xTicks = edges.map((value, i) => ({
    value,
    label: labels[i]!,
    at: i * bucketW,
    hint: feature.format.date?.(value),
  }));
  return expandedSvg(
    doc,
    'standard',
    o.width,
    plot.top + plot.height + X_AXIS_ROOM,
    `Histogram of ${feature.name}`,
    yAxis(doc, plot, counts, countTitle(o.percent, o.log)),
    ...standardBars(doc, edges, series, max, o, feature.format, plot),
    xAxis(doc, plot, xTicks, feature.name),
    legendOf(
      doc,
      series.map((x) => x.d),
      o.datasetNames,
      plot,
    ),
  );
}

/** Per visible dataset with a quantiles histogram (`source`), its finite quantiles (bucket edges). */
function quantileSeries(
  feature: FeatureModel,
  o: ChartOptions,
  source: QuantilesSource,
): { d: number; edges: number[] }[] {
  return o.visible
    .map((d) => ({ d, hist: source.histogram(feature.stats[d]) }))
    .filter((x): x is { d: number; hist: Histogram } => x.hist !== undefined)
    .map(({ d, hist }) => ({
      d,
      edges: [
        ...hist.buckets.map((b) => b.lowValue),
        hist.buckets[hist.buckets.length - 1]!.highValue,
      ].filter((v) => Number.isFinite(v)),
    }))
    .filter((x) => x.edges.length > 0);
}

/** Which quantiles a quantiles chart draws, and how it is named. */
interface QuantilesSource {
  kind: string;
  histogram(f: FeatureNameStatistics | undefined): Histogram | undefined;
  label: string;
  format(feature: FeatureModel): (v: number) => string;
}

/** The feature's values (its QUANTILES histogram). */
const VALUE_QUANTILES: QuantilesSource = {
  kind: 'quantiles',
  histogram: (f) => histogramOf(f, 'QUANTILES'),
  label: 'Quantiles',
  format: (feature) => feature.format.number,
};

/** The lengths of its value lists (common statistics' numValuesHistogram), as Facets draws them. */
const LIST_LENGTHS: QuantilesSource = {
  kind: 'lengths',
  histogram: (f) => {
    const hist = commonOf(f)?.numValuesHistogram;
    return hist && hist.buckets.length > 0 ? hist : undefined;
  },
  label: 'Value list lengths',
  format: () => formatStat,
};

/** One dataset's quantiles at height `y`: a line from min to max, a tick each, the median. */
function quantileRow(
  doc: Document,
  number: (v: number) => string,
  d: number,
  edges: readonly number[],
  y: number,
  x: (v: number) => number,
  o: ChartOptions,
): SVGGElement {
  const mid = edges[Math.floor(edges.length / 2)]!;
  return s(
    doc,
    'g',
    {
      class: `tsfx-stats-quantiles tsfx-ds-${d % 6}`,
      'data-dataset': o.datasetNames[d],
      'data-quantiles': edges.length - 1,
    },
    s(doc, 'title', undefined, `${o.datasetNames[d]} quantiles: ${edges.map(number).join(', ')}`),
    s(doc, 'line', {
      class: 'tsfx-stats-qline',
      x1: r1(x(edges[0]!)),
      x2: r1(x(edges[edges.length - 1]!)),
      y1: r1(y),
      y2: r1(y),
    }),
    ...edges.map((v) =>
      s(doc, 'line', {
        class: 'tsfx-stats-qtick',
        x1: r1(x(v)),
        x2: r1(x(v)),
        y1: r1(y - 5),
        y2: r1(y + 5),
      }),
    ),
    s(doc, 'circle', { class: 'tsfx-stats-qmedian', cx: r1(x(mid)), cy: r1(y), r: 3 }),
  );
}

/** Quantiles of `source`: per visible dataset a line from min to max with a tick per quantile. */
function quantilesOf(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
  source: QuantilesSource,
): SVGSVGElement {
  const shown = quantileSeries(feature, o, source);
  if (shown.length === 0) return emptyChart(doc, `no ${source.label.toLowerCase()}`, o.width);
  const number = source.format(feature);
  const all = shown.flatMap((x) => x.edges);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  if (o.expanded) return expandedQuantiles(doc, feature, o, source, shown, [lo, hi]);
  const plotW = o.width - PLOT_LEFT - PLOT_RIGHT;
  const x = (v: number): number =>
    PLOT_LEFT + (hi > lo ? ((v - lo) / (hi - lo)) * plotW : plotW / 2);
  const rowH = 16;
  const height = PLOT_TOP + rowH * shown.length + AXIS_H;
  const rows = shown.map(({ d, edges }, k) =>
    quantileRow(doc, number, d, edges, PLOT_TOP + rowH * k + rowH / 2, x, o),
  );
  return chartSvg(
    doc,
    source.kind,
    o.width,
    height,
    `${source.label} of ${feature.name}`,
    ...rows,
    ...axisTexts(doc, source.label.toLowerCase(), number(lo), number(hi), o.width, height),
  );
}

/**
 * Quantiles expanded: a row per dataset named at the left, the values under them (the lowest
 * and highest quantiles and round values between, in the feature's number format), titles.
 */
function expandedQuantiles(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
  source: QuantilesSource,
  shown: readonly { d: number; edges: number[] }[],
  [lo, hi]: [number, number],
): SVGSVGElement {
  const number = source.format(feature);
  const names = shown.map(({ d }) => fitText(o.datasetNames[d] ?? '', 90));
  const left = Math.max(yAxisRoom(names), textWidth(number(lo)) / 2 + 2);
  const right = textWidth(number(hi)) / 2 + 2;
  const rowH = Math.max(QUANTILE_ROW_H, 56 / shown.length);
  const plot: Plot = {
    left,
    top: 10,
    width: o.width - left - right,
    height: rowH * shown.length,
  };
  const at = (v: number): number =>
    hi > lo ? ((v - lo) / (hi - lo)) * plot.width : plot.width / 2;
  const x = (v: number): number => plot.left + at(v);
  const count = Math.max(2, Math.floor(plot.width / 80));
  const lengths = source.kind === 'lengths';
  return expandedSvg(
    doc,
    source.kind,
    o.width,
    plot.top + plot.height + X_AXIS_ROOM,
    `${source.label} of ${feature.name}`,
    yAxis(
      doc,
      plot,
      names.map((label, k) => ({ value: k, label, at: rowH * k + rowH / 2 })),
      'dataset',
      true,
    ),
    ...shown.map(({ d, edges }, k) =>
      quantileRow(doc, number, d, edges, plot.top + rowH * k + rowH / 2, x, o),
    ),
    xAxis(
      doc,
      plot,
      rangeTicks(lo, hi, number, at, count, lengths, lengths ? undefined : feature.format.date),
      lengths ? 'values per example' : feature.name,
      { thin: asIs },
    ),
  );
}

/** An expanded quantiles row's height. */
const QUANTILE_ROW_H = 28;

/** The QUANTILES histograms: per visible dataset a line from min to max with a tick per quantile. */
export function quantilesChart(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
): SVGSVGElement {
  return quantilesOf(doc, feature, o, VALUE_QUANTILES);
}

/** The value list lengths (numValuesHistogram) of any feature, drawn as quantiles. */
export function listLengthsChart(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
): SVGSVGElement {
  return quantilesOf(doc, feature, o, LIST_LENGTHS);
}
