/**
 * Statistics, in the manner of Facets Overview: a table of numeric and one of categorical
 * features, one row per feature per dataset (train, eval, ...), suspicious values in red, and per
 * feature a chart drawn as SVG with the datasets overlaid in the colours of the legend:
 *
 * - numeric: the STANDARD histogram (the datasets re-bucketed onto common edges), or, toggled,
 *   the QUANTILES histogram drawn as one line of quantile ticks per dataset; log scale toggle;
 * - categorical: bars of the most frequent values, or the CDF of the rank histogram (the default
 *   when there are many values).
 *
 * Features can be searched and sorted (feature order, name, non-uniformity, amount missing or
 * zero, and, with two datasets or more, the L-infinity distance or the Jensen–Shannon divergence
 * between the first two). Counts or percentages; legend entries show and hide datasets.
 */
import { STATISTICS_MIME_TYPE } from '@tsfx/protocol';
import type {
  CommonStatistics,
  DatasetFeatureStatistics,
  FeatureNameStatistics,
  Histogram,
  StatisticsPayload,
  StatsFeatureType,
} from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, r1, s, uniqueId, viewHeader } from '../dom.js';
import {
  formatCount,
  jensenShannonDivergence,
  lInftyDistance,
  shorten,
  stringValuesWithCounts,
} from '@tsfx/protocol';
import type { Child } from '../dom.js';
import { artifactLine } from '../artifact.js';

// ---------------------------------------------------------------------------------------------
// The model: features across datasets and the measures they are sorted by.

/** A share of missing values above this is marked (any missing value, as the HTML view does). */
export const MISSING_SUSPICIOUS = 0;
/** A share of zeros above this is marked. */
export const ZEROS_SUSPICIOUS = 0.5;
/** Categorical features with more distinct values than this show the CDF chart first. */
export const CDF_THRESHOLD = 20;
/** Most frequent values drawn as bars. */
export const TOP_BARS = 10;

export type FeatureKind = 'numeric' | 'categorical';

export interface FeatureModel {
  name: string;
  /** Position in the first dataset that has it (feature order). */
  index: number;
  kind: FeatureKind;
  type: StatsFeatureType;
  /** Per dataset (payload order): the feature's statistics there, or undefined if absent. */
  stats: (FeatureNameStatistics | undefined)[];
  nonUniformity: number;
  missingOrZero: number;
  /** Between the first two datasets; undefined with fewer than two or when one lacks values. */
  lInfinity: number | undefined;
  jensenShannon: number | undefined;
}

const num = (v: string | number | undefined): number =>
  v === undefined ? 0 : typeof v === 'number' ? v : Number(v);

function commonOf(f: FeatureNameStatistics | undefined): CommonStatistics | undefined {
  return f?.numStats?.commonStats ?? f?.stringStats?.commonStats;
}

function histogramOf(
  f: FeatureNameStatistics | undefined,
  type: 'STANDARD' | 'QUANTILES',
): Histogram | undefined {
  return f?.numStats?.histograms.find((hh) => hh.type === type && hh.buckets.length > 0);
}

/** A categorical feature's value counts, most frequent first (rank histogram, else top values). */
export function valueCounts(f: FeatureNameStatistics | undefined): [string, number][] {
  const st = f?.stringStats;
  if (!st) return [];
  const ranked = st.rankHistogram.buckets.map((b): [string, number] => [b.label, b.sampleCount]);
  const pairs =
    ranked.length >= st.topValues.length
      ? ranked
      : st.topValues.map((t): [string, number] => [t.value, t.frequency]);
  return pairs.filter(([, c]) => Number.isFinite(c) && c >= 0);
}

/** Equal-width edges spanning the given STANDARD histograms. */
export function commonEdges(histograms: readonly Histogram[]): number[] {
  const buckets = histograms.flatMap((hh) => hh.buckets);
  const finite = buckets
    .flatMap((b) => [b.lowValue, b.highValue])
    .filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const n = Math.max(1, ...histograms.map((hh) => hh.buckets.length));
  if (hi === lo) return [lo, hi];
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + ((hi - lo) * i) / n));
}

/**
 * Redistributes a histogram's counts onto `edges`, assuming values spread evenly within a
 * bucket (a zero-width bucket goes wholly to the bucket holding its value).
 */
export function rebin(histogram: Histogram, edges: readonly number[]): number[] {
  const n = edges.length - 1;
  const out = new Array<number>(Math.max(0, n)).fill(0);
  if (n <= 0) {
    return out;
  }
  const first = edges[0]!;
  const last = edges[n]!;
  const indexOf = (v: number): number => {
    if (v <= first) return 0;
    if (v >= last) return n - 1;
    let i = 0;
    while (i < n - 1 && v >= edges[i + 1]!) i++;
    return i;
  };
  for (const b of histogram.buckets) {
    const c = b.sampleCount;
    if (!(c > 0) || !Number.isFinite(b.lowValue) || !Number.isFinite(b.highValue)) continue;
    const width = b.highValue - b.lowValue;
    if (width <= 0) {
      out[indexOf(b.lowValue)]! += c;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const overlap = Math.min(b.highValue, edges[i + 1]!) - Math.max(b.lowValue, edges[i]!);
      if (overlap > 0) out[i]! += (c * overlap) / width;
    }
  }
  return out;
}

function normalise(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? counts.map((c) => c / total) : counts.map(() => 0);
}

/**
 * The drift between two datasets' statistics of a feature, measured as ExampleValidator measures
 * it (the protocol's distances): the L-infinity distance of the value frequencies (categorical
 * features only, as TFDV) and the Jensen–Shannon divergence (value frequencies, else STANDARD
 * histograms aligned on their common edges). Undefined when the two cannot be compared.
 */
function drift(
  kind: FeatureKind,
  a: FeatureNameStatistics | undefined,
  b: FeatureNameStatistics | undefined,
): { lInfinity: number | undefined; jensenShannon: number | undefined } {
  if (!a || !b) return { lInfinity: undefined, jensenShannon: undefined };
  const categorical =
    kind === 'categorical' &&
    stringValuesWithCounts(a).size > 0 &&
    stringValuesWithCounts(b).size > 0;
  return {
    lInfinity: categorical ? lInftyDistance(a, b).distance : undefined,
    jensenShannon: jensenShannonDivergence(a, b) ?? undefined,
  };
}

/**
 * 1 - normalised entropy of the feature's distribution in the first dataset that has it (STANDARD
 * histogram buckets, or value counts): 0 for a uniform spread, 1 for a single value.
 */
function nonUniformityOf(kind: FeatureKind, f: FeatureNameStatistics | undefined): number {
  let counts: number[];
  let k: number;
  if (kind === 'numeric') {
    counts = histogramOf(f, 'STANDARD')?.buckets.map((b) => Math.max(0, b.sampleCount)) ?? [];
    k = counts.length;
  } else {
    counts = valueCounts(f).map(([, c]) => c);
    k = Math.max(counts.length, num(f?.stringStats?.unique));
  }
  const p = normalise(counts).filter((v) => v > 0);
  if (p.length === 0) return 0;
  if (k <= 1 || p.length === 1) return 1;
  const entropy = -p.reduce((sum, v) => sum + v * Math.log2(v), 0);
  return Math.max(0, 1 - entropy / Math.log2(k));
}

function numExamples(ds: DatasetFeatureStatistics): number {
  return num(ds.numExamples);
}

function missingShare(ds: DatasetFeatureStatistics, f: FeatureNameStatistics): number {
  const c = commonOf(f);
  if (!c) return 0;
  const total = num(c.numMissing) + num(c.numNonMissing) || numExamples(ds);
  return total > 0 ? num(c.numMissing) / total : 0;
}

function zerosShare(f: FeatureNameStatistics): number {
  const st = f.numStats;
  if (!st) return 0;
  const values = num(st.commonStats.totNumValues) || num(st.commonStats.numNonMissing);
  return values > 0 ? num(st.numZeros) / values : 0;
}

export function buildModel(payload: StatisticsPayload): FeatureModel[] {
  const byName = new Map<string, FeatureModel>();
  const order: FeatureModel[] = [];
  payload.datasets.forEach((ds, d) => {
    ds.features.forEach((f) => {
      let model = byName.get(f.name);
      if (!model) {
        model = {
          name: f.name,
          index: order.length,
          kind: 'categorical',
          type: f.type,
          stats: payload.datasets.map(() => undefined),
          nonUniformity: 0,
          missingOrZero: 0,
          lInfinity: undefined,
          jensenShannon: undefined,
        };
        byName.set(f.name, model);
        order.push(model);
      }
      model.stats[d] ??= f;
    });
  });
  for (const m of order) {
    m.kind = m.stats.some((f) => f?.numStats) ? 'numeric' : 'categorical';
    const first = m.stats.find((f) => f !== undefined);
    m.nonUniformity = nonUniformityOf(m.kind, first);
    m.missingOrZero = Math.max(
      0,
      ...payload.datasets.map((ds, d) => {
        const f = m.stats[d];
        if (!f) return 1;
        return Math.min(1, missingShare(ds, f) + zerosShare(f));
      }),
    );
    if (payload.datasets.length >= 2) Object.assign(m, drift(m.kind, m.stats[0], m.stats[1]));
  }
  return order;
}

export type SortKey = 'order' | 'name' | 'nonuniformity' | 'missing' | 'linf' | 'js';

const METRIC: Partial<Record<SortKey, (f: FeatureModel) => number | undefined>> = {
  nonuniformity: (f) => f.nonUniformity,
  missing: (f) => f.missingOrZero,
  linf: (f) => f.lInfinity,
  js: (f) => f.jensenShannon,
};

/** Features in the order of `key` (metrics largest first, unknown values last), optionally reversed. */
export function sortFeatures(
  features: readonly FeatureModel[],
  key: SortKey,
  reverse = false,
): FeatureModel[] {
  const metric = METRIC[key];
  const sorted = [...features].sort((a, b) => {
    if (key === 'name') return a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index;
    if (metric) {
      const va = metric(a) ?? -Infinity;
      const vb = metric(b) ?? -Infinity;
      if (va !== vb) return vb - va;
    }
    return a.index - b.index;
  });
  return reverse ? sorted.reverse() : sorted;
}

// ---------------------------------------------------------------------------------------------
// Formatting.

/** Creating a number format is slow: one, reused (toLocaleString would create one per call). */
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const GROUPED_SMALL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 7 });

/** A statistic as Facets shows it: grouped digits, two decimals, exponents if huge or tiny. */
export function formatStat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  const a = Math.abs(n);
  // Integers in full (census tracts, timestamps); other large or tiny numbers with an exponent.
  if (Number.isInteger(n) && a < 1e15) return GROUPED.format(n);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return n.toExponential(2).replace('e+', 'e');
  // Two decimals from 1 on (11.81, 700.07, 41.89); four significant digits below (0.01234).
  return (a >= 1 ? GROUPED : GROUPED_SMALL).format(a >= 1 ? n : Number(n.toPrecision(4)));
}

export function formatShare(share: number): string {
  if (share === 0) return '0%';
  const pct = share * 100;
  return `${pct < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

// ---------------------------------------------------------------------------------------------
// Charts.

export interface ChartOptions {
  /** Indices of the datasets drawn. */
  visible: readonly number[];
  datasetNames: readonly string[];
  percent: boolean;
  log: boolean;
}

const CHART_W = 220;
const PLOT_LEFT = 6;
const PLOT_RIGHT = 6;
const PLOT_TOP = 14;
const AXIS_H = 14;

function scaled(v: number, max: number, log: boolean): number {
  if (!(max > 0) || !(v > 0)) return 0;
  return log ? Math.log1p(v) / Math.log1p(max) : v / max;
}

function valueText(v: number, percent: boolean): string {
  return percent ? `${v < 1 && v > 0 ? v.toFixed(2) : v.toFixed(1)}%` : formatCount(v);
}

function chartSvg(
  doc: Document,
  kind: string,
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
      width: CHART_W,
      height,
      viewBox: `0 0 ${CHART_W} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    ...children,
  );
}

function emptyChart(doc: Document, text: string): SVGSVGElement {
  return chartSvg(
    doc,
    'empty',
    28,
    text,
    s(
      doc,
      'text',
      { class: 'tsfx-stats-axis', x: CHART_W / 2, y: 18, 'text-anchor': 'middle' },
      text,
    ),
  );
}

/** Axis texts: the largest value at the top left, the x range at the bottom. */
function axisTexts(
  doc: Document,
  top: string,
  left: string,
  right: string,
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
        x: CHART_W - PLOT_RIGHT,
        y,
        'text-anchor': 'end',
      },
      right,
    ),
    s(doc, 'line', {
      class: 'tsfx-stats-baseline',
      x1: PLOT_LEFT,
      x2: CHART_W - PLOT_RIGHT,
      y1: height - AXIS_H,
      y2: height - AXIS_H,
    }),
  ];
}

/** The STANDARD histograms of the visible datasets, re-bucketed onto common edges, as bars. */
export function standardChart(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
): SVGSVGElement {
  const shown = o.visible
    .map((d) => ({ d, hist: histogramOf(feature.stats[d], 'STANDARD') }))
    .filter((x): x is { d: number; hist: Histogram } => x.hist !== undefined);
  const edges = commonEdges(shown.map((x) => x.hist));
  if (shown.length === 0 || edges.length < 2) return emptyChart(doc, 'no values');
  const series = shown.map(({ d, hist }) => {
    const counts = rebin(hist, edges);
    const total = counts.reduce((a, b) => a + b, 0);
    return {
      d,
      counts,
      values: o.percent ? counts.map((c) => (total > 0 ? (100 * c) / total : 0)) : counts,
    };
  });
  const max = Math.max(0, ...series.flatMap((x) => x.values));
  const height = 96;
  const plotH = height - PLOT_TOP - AXIS_H;
  const plotW = CHART_W - PLOT_LEFT - PLOT_RIGHT;
  const n = edges.length - 1;
  const bucketW = plotW / n;
  const barW = Math.max(1, (bucketW - 1) / series.length);
  const bars: SVGElement[] = [];
  for (let i = 0; i < n; i++) {
    series.forEach((x, k) => {
      const v = x.values[i] ?? 0;
      const bh = scaled(v, max, o.log) * plotH;
      const range = `[${formatStat(edges[i]!)}, ${formatStat(edges[i + 1]!)}${i === n - 1 ? ']' : ')'}`;
      bars.push(
        s(
          doc,
          'rect',
          {
            class: `tsfx-stats-bar tsfx-ds-${x.d % 6}`,
            'data-dataset': o.datasetNames[x.d],
            'data-value': r1(v),
            x: r1(PLOT_LEFT + i * bucketW + k * barW),
            y: r1(PLOT_TOP + plotH - bh),
            width: r1(Math.max(0.5, barW - 0.5)),
            height: r1(bh),
          },
          s(
            doc,
            'title',
            undefined,
            `${o.datasetNames[x.d]} ${range}: ${formatStat(Math.round((x.counts[i] ?? 0) * 10) / 10)}` +
              (o.percent ? ` (${valueText(v, true)})` : ''),
          ),
        ),
      );
    });
  }
  return chartSvg(
    doc,
    'standard',
    height,
    `Histogram of ${feature.name}`,
    ...bars,
    ...axisTexts(
      doc,
      valueText(max, o.percent) + (o.log ? ' (log)' : ''),
      formatStat(edges[0]!),
      formatStat(edges[n]!),
      height,
    ),
  );
}

/** The QUANTILES histograms: per visible dataset a line from min to max with a tick per quantile. */
export function quantilesChart(
  doc: Document,
  feature: FeatureModel,
  o: ChartOptions,
): SVGSVGElement {
  const shown = o.visible
    .map((d) => ({ d, hist: histogramOf(feature.stats[d], 'QUANTILES') }))
    .filter((x): x is { d: number; hist: Histogram } => x.hist !== undefined)
    .map(({ d, hist }) => ({
      d,
      edges: [
        ...hist.buckets.map((b) => b.lowValue),
        hist.buckets[hist.buckets.length - 1]!.highValue,
      ].filter((v) => Number.isFinite(v)),
    }))
    .filter((x) => x.edges.length > 0);
  if (shown.length === 0) return emptyChart(doc, 'no quantiles');
  const all = shown.flatMap((x) => x.edges);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const plotW = CHART_W - PLOT_LEFT - PLOT_RIGHT;
  const x = (v: number): number =>
    PLOT_LEFT + (hi > lo ? ((v - lo) / (hi - lo)) * plotW : plotW / 2);
  const rowH = 16;
  const height = PLOT_TOP + rowH * shown.length + AXIS_H;
  const rows = shown.map(({ d, edges }, k) => {
    const y = PLOT_TOP + rowH * k + rowH / 2;
    const mid = edges[Math.floor(edges.length / 2)]!;
    return s(
      doc,
      'g',
      {
        class: `tsfx-stats-quantiles tsfx-ds-${d % 6}`,
        'data-dataset': o.datasetNames[d],
        'data-quantiles': edges.length - 1,
      },
      s(
        doc,
        'title',
        undefined,
        `${o.datasetNames[d]} quantiles: ${edges.map((v) => formatStat(v)).join(', ')}`,
      ),
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
  });
  return chartSvg(
    doc,
    'quantiles',
    height,
    `Quantiles of ${feature.name}`,
    ...rows,
    ...axisTexts(doc, 'quantiles', formatStat(lo), formatStat(hi), height),
  );
}

function categoricalSeries(
  feature: FeatureModel,
  o: ChartOptions,
): { d: number; counts: Map<string, number>; ranked: [string, number][]; total: number }[] {
  return o.visible
    .map((d) => {
      const ranked = valueCounts(feature.stats[d]);
      const known = ranked.reduce((a, [, c]) => a + c, 0);
      const nonMissing = num(feature.stats[d]?.stringStats?.commonStats.numNonMissing);
      return { d, counts: new Map(ranked), ranked, total: Math.max(known, nonMissing) };
    })
    .filter((x) => x.ranked.length > 0);
}

/** Horizontal bars of the most frequent values, one per visible dataset per value. */
export function barsChart(doc: Document, feature: FeatureModel, o: ChartOptions): SVGSVGElement {
  const series = categoricalSeries(feature, o);
  if (series.length === 0) return emptyChart(doc, 'no values');
  const labels: string[] = [];
  for (const x of series)
    for (const [label] of x.ranked) {
      if (labels.length >= TOP_BARS) break;
      if (!labels.includes(label)) labels.push(label);
    }
  const value = (x: (typeof series)[number], label: string): number => {
    const c = x.counts.get(label) ?? 0;
    return o.percent ? (x.total > 0 ? (100 * c) / x.total : 0) : c;
  };
  const max = Math.max(0, ...series.flatMap((x) => labels.map((l) => value(x, l))));
  const barH = 7;
  const rowH = barH * series.length + 5;
  const labelW = 100;
  const plotW = CHART_W - labelW - PLOT_RIGHT;
  const height = PLOT_TOP + rowH * labels.length + 4;
  const rows = labels.map((label, i) => {
    const y0 = PLOT_TOP + rowH * i;
    return s(
      doc,
      'g',
      { class: 'tsfx-stats-value', 'data-value-label': label },
      s(
        doc,
        'text',
        {
          class: 'tsfx-stats-label',
          x: labelW - 4,
          y: r1(y0 + rowH / 2 + 1),
          'text-anchor': 'end',
        },
        shorten(label === '' ? '(empty)' : label, 16),
      ),
      ...series.map((x, k) => {
        const v = value(x, label);
        const c = x.counts.get(label) ?? 0;
        return s(
          doc,
          'rect',
          {
            class: `tsfx-stats-bar tsfx-ds-${x.d % 6}`,
            'data-dataset': o.datasetNames[x.d],
            'data-value': r1(v),
            x: labelW,
            y: r1(y0 + 2 + k * barH),
            width: r1(scaled(v, max, o.log) * plotW),
            height: barH - 1,
          },
          s(
            doc,
            'title',
            undefined,
            `${o.datasetNames[x.d]} "${label}": ${formatStat(c)}` +
              (x.total > 0 ? ` (${formatShare(c / x.total)})` : ''),
          ),
        );
      }),
    );
  });
  return chartSvg(
    doc,
    'bars',
    height,
    `Most frequent values of ${feature.name}`,
    s(
      doc,
      'text',
      {
        class: 'tsfx-stats-axis tsfx-stats-ymax',
        x: CHART_W - PLOT_RIGHT,
        y: 10,
        'text-anchor': 'end',
      },
      valueText(max, o.percent) + (o.log ? ' (log)' : ''),
    ),
    ...rows,
  );
}

/** The cumulative share (or count) of examples over the value ranks, a line per dataset. */
export function cdfChart(doc: Document, feature: FeatureModel, o: ChartOptions): SVGSVGElement {
  const series = categoricalSeries(feature, o);
  if (series.length === 0) return emptyChart(doc, 'no values');
  const ranks = Math.max(...series.map((x) => x.ranked.length));
  const lines = series.map((x) => {
    let acc = 0;
    return {
      d: x.d,
      points: x.ranked.map(([, c]) => {
        acc += c;
        return o.percent ? (x.total > 0 ? (100 * acc) / x.total : 0) : acc;
      }),
    };
  });
  const max = o.percent ? 100 : Math.max(0, ...lines.flatMap((l) => l.points));
  const height = 96;
  const plotH = height - PLOT_TOP - AXIS_H;
  const plotW = CHART_W - PLOT_LEFT - PLOT_RIGHT;
  const xOf = (i: number): number =>
    PLOT_LEFT + (ranks > 1 ? (i / (ranks - 1)) * plotW : plotW / 2);
  const yOf = (v: number): number => PLOT_TOP + plotH - (max > 0 ? (v / max) * plotH : 0);
  const paths = lines.map((l) =>
    s(
      doc,
      'polyline',
      {
        class: `tsfx-stats-cdf tsfx-ds-${l.d % 6}`,
        'data-dataset': o.datasetNames[l.d],
        'data-value': r1(l.points[l.points.length - 1] ?? 0),
        points: l.points.map((v, i) => `${r1(xOf(i))},${r1(yOf(v))}`).join(' '),
      },
      s(
        doc,
        'title',
        undefined,
        `${o.datasetNames[l.d]}: ${l.points.length} values; the top ${Math.min(TOP_BARS, l.points.length)} cover ${valueText(l.points[Math.min(TOP_BARS, l.points.length) - 1] ?? 0, o.percent)}`,
      ),
    ),
  );
  return chartSvg(
    doc,
    'cdf',
    height,
    `Cumulative distribution of the values of ${feature.name} by rank`,
    ...paths,
    ...axisTexts(doc, valueText(max, o.percent), 'rank 1', `rank ${ranks}`, height),
  );
}

// ---------------------------------------------------------------------------------------------
// Tables.

interface FeatureView {
  quantiles: boolean;
  log: boolean;
  cdf: boolean;
}

interface Cell {
  text: string;
  bad?: string;
  cls?: string;
}

const cell = (text: string, bad?: string | false, cls = 'tsfx-num'): Cell => ({
  text,
  bad: bad || undefined,
  cls,
});

function commonCells(ds: DatasetFeatureStatistics, f: FeatureNameStatistics): Cell[] {
  const c = commonOf(f);
  const count = num(c?.numNonMissing);
  const missing = missingShare(ds, f);
  return [
    cell(formatCount(count), count === 0 && 'no values'),
    cell(formatShare(missing), missing > MISSING_SUSPICIOUS && 'missing values'),
  ];
}

function numericCells(ds: DatasetFeatureStatistics, f: FeatureNameStatistics): Cell[] {
  const st = f.numStats;
  if (!st) return [cell(`not numeric here (${f.type})`, 'type differs', 'tsfx-stats-absent')];
  const count = num(st.commonStats.numNonMissing);
  const zeros = zerosShare(f);
  const single = count > 0 && st.min === st.max;
  return [
    ...commonCells(ds, f),
    cell(formatStat(st.mean ?? 0)),
    cell(formatStat(st.stdDev ?? 0), single && 'a single value'),
    cell(formatShare(zeros), zeros > ZEROS_SUSPICIOUS && 'mostly zeros'),
    cell(formatStat(st.min ?? 0), single && 'a single value'),
    cell(formatStat(st.median ?? 0)),
    cell(formatStat(st.max ?? 0), single && 'a single value'),
  ];
}

function categoricalCells(ds: DatasetFeatureStatistics, f: FeatureNameStatistics): Cell[] {
  const st = f.stringStats;
  if (!st) return [cell(`not categorical here (${f.type})`, 'type differs', 'tsfx-stats-absent')];
  const unique = num(st.unique);
  const top = valueCounts(f)[0];
  const count = num(st.commonStats.numNonMissing);
  return [
    ...commonCells(ds, f),
    cell(formatCount(unique), count > 0 && unique <= 1 && 'a single value'),
    cell(top ? top[0] : '', false, 'tsfx-str tsfx-stats-top'),
    cell(top ? formatStat(top[1]) : ''),
    cell(formatStat(st.avgLength)),
  ];
}

const NUMERIC_HEADERS = ['count', 'missing', 'mean', 'std dev', 'zeros', 'min', 'median', 'max'];
const CATEGORICAL_HEADERS = ['count', 'missing', 'unique', 'top', 'freq top', 'avg str len'];

const SORT_LABELS: Record<SortKey, string> = {
  order: 'feature order',
  name: 'name',
  nonuniformity: 'non-uniformity',
  missing: 'amount missing/zero',
  linf: 'distribution distance (L∞)',
  js: 'Jensen–Shannon divergence',
};

function metricText(f: FeatureModel, key: SortKey): string | null {
  switch (key) {
    case 'nonuniformity':
      return `non-uniformity ${f.nonUniformity.toFixed(3)}`;
    case 'missing':
      return `missing/zero ${formatShare(f.missingOrZero)}`;
    case 'linf':
      return f.lInfinity === undefined ? 'L∞ n/a' : `L∞ ${f.lInfinity.toFixed(3)}`;
    case 'js':
      return f.jensenShannon === undefined ? 'JS n/a' : `JS ${f.jensenShannon.toFixed(3)}`;
    default:
      return null;
  }
}

export function renderStatistics(host: HTMLElement, payload: StatisticsPayload): void {
  const doc = host.ownerDocument;
  const features = buildModel(payload);
  const names = payload.datasets.map((d) => d.name);
  const several = payload.datasets.length > 1;
  const state = {
    sort: 'order' as SortKey,
    reverse: false,
    query: '',
    percent: false,
    visible: payload.datasets.map(() => true),
  };
  const views = new Map<FeatureModel, FeatureView>();
  const viewOf = (f: FeatureModel): FeatureView => {
    let v = views.get(f);
    if (!v) {
      const unique = Math.max(0, ...f.stats.map((st) => num(st?.stringStats?.unique)));
      v = { quantiles: false, log: false, cdf: unique > CDF_THRESHOLD };
      views.set(f, v);
    }
    return v;
  };
  const visibleIdx = (): number[] => state.visible.flatMap((on, i) => (on ? [i] : []));

  // Controls.
  const searchId = uniqueId('stats-search');
  const search = h(doc, 'input', {
    class: 'tsfx-stats-search',
    id: searchId,
    type: 'search',
    placeholder: 'feature name',
    'aria-label': 'Search features',
  });
  const sortKeys: SortKey[] = ['order', 'name', 'nonuniformity', 'missing'];
  if (several) sortKeys.push('linf', 'js');
  const sort = h(
    doc,
    'select',
    { class: 'tsfx-stats-sort', 'aria-label': 'Sort features by' },
    ...sortKeys.map((k) =>
      h(
        doc,
        'option',
        { value: k },
        SORT_LABELS[k] +
          ((k === 'linf' || k === 'js') && several ? ` ${names[0]} vs ${names[1]}` : ''),
      ),
    ),
  );
  const reverse = h(doc, 'input', { class: 'tsfx-stats-reverse', type: 'checkbox' });
  const percent = h(doc, 'input', { class: 'tsfx-stats-percent', type: 'checkbox' });
  const controls = h(
    doc,
    'div',
    { class: 'tsfx-stats-controls' },
    h(doc, 'label', { for: searchId }, 'Search '),
    search,
    h(doc, 'label', undefined, 'Sort by ', sort),
    h(doc, 'label', undefined, reverse, ' reverse order'),
    h(doc, 'label', undefined, percent, ' percentages'),
  );

  const legendButtons = payload.datasets.map((ds, d) => {
    const button = h(
      doc,
      'button',
      {
        class: `tsfx-stats-dataset tsfx-ds-${d % 6}`,
        type: 'button',
        'aria-pressed': 'true',
        'data-dataset': ds.name,
        title: 'show or hide this dataset',
      },
      h(doc, 'span', { class: 'tsfx-stats-swatch' }),
      h(doc, 'span', { class: 'tsfx-stats-dataset-name' }, ds.name),
      h(
        doc,
        'span',
        { class: 'tsfx-stats-dataset-rows' },
        `${formatCount(numExamples(ds))} examples`,
      ),
    );
    button.addEventListener('click', () => {
      // At least one dataset stays visible.
      if (state.visible[d] && visibleIdx().length === 1) return;
      state.visible[d] = !state.visible[d];
      button.setAttribute('aria-pressed', String(state.visible[d]));
      redraw();
    });
    return button;
  });
  const legend = h(
    doc,
    'div',
    { class: 'tsfx-legend tsfx-stats-legend', role: 'group', 'aria-label': 'Datasets' },
    ...legendButtons,
  );

  // One chart cell per feature, kept across redraws (its toggles keep their state).
  const chartCells = new Map<FeatureModel, HTMLTableCellElement>();
  const chartCell = (f: FeatureModel): HTMLTableCellElement => {
    const existing = chartCells.get(f);
    if (existing) {
      existing.rowSpan = visibleIdx().length;
      drawChart(f, existing);
      return existing;
    }
    const view = viewOf(f);
    const td = h(doc, 'td', { class: 'tsfx-stats-chart', rowspan: visibleIdx().length });
    const toggle = (key: keyof FeatureView, label: string, hint: string): HTMLButtonElement => {
      const b = h(
        doc,
        'button',
        {
          class: 'tsfx-stats-toggle',
          type: 'button',
          'data-toggle': key,
          'aria-pressed': String(view[key]),
          title: hint,
        },
        label,
      );
      b.addEventListener('click', () => {
        view[key] = !view[key];
        drawChart(f, td);
      });
      return b;
    };
    const chartToggle =
      f.kind === 'numeric'
        ? toggle(
            'quantiles',
            'quantiles',
            'switch between the standard and the quantiles histogram',
          )
        : toggle(
            'cdf',
            'CDF',
            'switch between the most frequent values and the CDF of value ranks',
          );
    td.append(
      h(doc, 'div', { class: 'tsfx-stats-tools' }, chartToggle, toggle('log', 'log', 'log scale')),
      h(doc, 'div', { class: 'tsfx-stats-plot' }),
    );
    chartCells.set(f, td);
    drawChart(f, td);
    return td;
  };
  const drawChart = (f: FeatureModel, td: HTMLTableCellElement): void => {
    const view = viewOf(f);
    const o: ChartOptions = {
      visible: visibleIdx(),
      datasetNames: names,
      percent: state.percent,
      log: view.log,
    };
    const logUseless = f.kind === 'numeric' ? view.quantiles : view.cdf;
    for (const b of td.querySelectorAll<HTMLButtonElement>('.tsfx-stats-toggle')) {
      const key = b.dataset['toggle'] as keyof FeatureView;
      b.setAttribute('aria-pressed', String(view[key]));
      if (key === 'log') b.disabled = logUseless;
    }
    const svg =
      f.kind === 'numeric'
        ? view.quantiles
          ? quantilesChart(doc, f, o)
          : standardChart(doc, f, o)
        : view.cdf
          ? cdfChart(doc, f, o)
          : barsChart(doc, f, o);
    td.querySelector('.tsfx-stats-plot')?.replaceChildren(svg);
  };

  const featureBody = (f: FeatureModel, columns: number): HTMLTableSectionElement => {
    const shown = visibleIdx();
    const metric = metricText(f, state.sort);
    const body = h(doc, 'tbody', { class: 'tsfx-stats-feature', 'data-feature': f.name });
    shown.forEach((d, k) => {
      const ds = payload.datasets[d]!;
      const st = f.stats[d];
      const cells: Cell[] = st
        ? f.kind === 'numeric'
          ? numericCells(ds, st)
          : categoricalCells(ds, st)
        : [cell('not in this dataset', 'absent', 'tsfx-stats-absent')];
      const row = h(
        doc,
        'tr',
        { class: `tsfx-stats-row tsfx-ds-${d % 6}`, 'data-dataset': ds.name },
        k === 0
          ? h(
              doc,
              'th',
              { class: 'tsfx-stats-name', scope: 'rowgroup', rowspan: shown.length },
              h(doc, 'span', { class: 'tsfx-stats-feature-name' }, f.name),
              h(doc, 'span', { class: `tsfx-col-type tsfx-type-${f.type.toLowerCase()}` }, f.type),
              metric ? h(doc, 'span', { class: 'tsfx-stats-metric' }, metric) : null,
            )
          : null,
        several
          ? h(
              doc,
              'td',
              { class: 'tsfx-stats-ds' },
              h(doc, 'span', { class: 'tsfx-stats-swatch' }),
              ds.name,
            )
          : null,
        ...cells.map((c, i) =>
          h(
            doc,
            'td',
            {
              class: [c.cls, c.bad ? 'tsfx-stats-bad' : ''].filter(Boolean).join(' '),
              title: c.bad,
              colspan: cells.length === 1 ? columns : undefined,
              'data-stat': cells.length === 1 ? undefined : i,
            },
            c.text,
          ),
        ),
        k === 0 ? chartCell(f) : null,
      );
      body.append(row);
    });
    return body;
  };

  const section = (kind: FeatureKind) => {
    const headers = kind === 'numeric' ? NUMERIC_HEADERS : CATEGORICAL_HEADERS;
    const title = h(doc, 'div', { class: 'tsfx-stats-section-title' });
    const table = h(
      doc,
      'table',
      { class: `tsfx-table tsfx-stats-table tsfx-stats-${kind}` },
      h(
        doc,
        'thead',
        undefined,
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'th', { scope: 'col' }, 'feature'),
          several ? h(doc, 'th', { scope: 'col' }, 'dataset') : null,
          ...headers.map((t) => h(doc, 'th', { scope: 'col', class: 'tsfx-num' }, t)),
          h(doc, 'th', { scope: 'col' }, 'chart'),
        ),
      ),
    );
    const wrap = h(
      doc,
      'div',
      { class: 'tsfx-stats-section', 'data-kind': kind },
      title,
      h(doc, 'div', { class: 'tsfx-stats-scroll' }, table),
    );
    const all = features.filter((f) => f.kind === kind);
    const draw = (): void => {
      const q = state.query.trim().toLowerCase();
      const matching = sortFeatures(all, state.sort, state.reverse).filter(
        (f) => q === '' || f.name.toLowerCase().includes(q),
      );
      const label = kind === 'numeric' ? 'Numeric features' : 'Categorical features';
      title.textContent =
        matching.length === all.length
          ? `${label} (${all.length})`
          : `${label} (${matching.length} of ${all.length})`;
      for (const b of [...table.tBodies]) b.remove();
      if (matching.length === 0) {
        table.append(
          h(
            doc,
            'tbody',
            { class: 'tsfx-stats-none' },
            h(
              doc,
              'tr',
              undefined,
              h(
                doc,
                'td',
                { colspan: headers.length + (several ? 3 : 2) },
                q ? `No ${kind} feature matches "${state.query.trim()}"` : `No ${kind} features`,
              ),
            ),
          ),
        );
      } else {
        for (const f of matching) table.append(featureBody(f, headers.length));
      }
    };
    return { wrap, draw, count: all.length };
  };

  const numeric = section('numeric');
  const categorical = section('categorical');
  const redraw = (): void => {
    numeric.draw();
    categorical.draw();
  };

  search.addEventListener('input', () => {
    state.query = search.value;
    redraw();
  });
  sort.addEventListener('change', () => {
    state.sort = sort.value as SortKey;
    redraw();
  });
  reverse.addEventListener('change', () => {
    state.reverse = reverse.checked;
    redraw();
  });
  percent.addEventListener('change', () => {
    state.percent = percent.checked;
    redraw();
  });

  const root = h(
    doc,
    'div',
    {
      class: 'tsfx-view tsfx-statistics',
      'data-artifact-ids': payload.artifacts.map((a) => a.id).join(' '),
    },
    viewHeader(
      doc,
      'Statistics',
      `${features.length} feature${features.length === 1 ? '' : 's'} · ${payload.datasets.length} dataset${payload.datasets.length === 1 ? '' : 's'} (${payload.datasets.map((d) => `${d.name} ${formatCount(numExamples(d))}`).join(', ')})`,
    ),
    ...payload.artifacts.map((a) => artifactLine(doc, a)),
    controls,
    legend,
    numeric.count > 0 || categorical.count === 0 ? numeric.wrap : null,
    categorical.count > 0 ? categorical.wrap : null,
  );
  host.append(root);
  redraw();
}

export const statisticsRenderer: RendererSpec<'statistics'> = {
  kind: 'statistics',
  mimeType: STATISTICS_MIME_TYPE,
  rootClass: 'tsfx-statistics',
  render: renderStatistics,
};
