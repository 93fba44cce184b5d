import type {
  DatasetFeatureStatistics,
  FeatureNameStatistics,
  Histogram,
  NumericStatistics,
  StringStatistics,
} from '@tsfx/protocol';
import { driftText, featureDrift, featureFormat, int64 } from '@tsfx/protocol';
import type { FeatureFormat, IntegerTimeFormat, TimeFormats } from '@tsfx/protocol';
import {
  MUTED_STYLE,
  SUSPICIOUS_STYLE,
  TEXT_FLAG,
  artifactLine,
  artifactText,
  styledTable,
  textCell,
  textTable,
  type Cell,
} from './format';
import { formatCount, formatNumber, formatPercent, shorten } from '@tsfx/protocol';
import { escapeHtml } from './html';
import type { StatisticsPayload } from '@tsfx/protocol';

/**
 * The static view of statistics, in the spirit of Facets Overview: a table of numeric features
 * and one of categorical (string) features, one row per feature per dataset, suspicious values
 * in red, and per feature an inline SVG chart (the STANDARD histogram, or the most frequent
 * values) with the datasets overlaid in the colours of the legend.
 *
 * Suspicious: any missing value, every value missing, a share of zeros above `ZEROS_SUSPICIOUS`
 * (half), a numeric feature whose min equals its max, a single unique
 * string, and a feature absent from a dataset (or of another kind there) when comparing.
 */

export const ZEROS_SUSPICIOUS = 0.5;
/** Most frequent values drawn per categorical feature. */
export const TOP_VALUES_DRAWN = 10;
/** Dataset colours (colour-blind safe, readable on white); cycled past the fifth. */
export const DATASET_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#72b7b2'];

const colorOf = (index: number): string => DATASET_COLORS[index % DATASET_COLORS.length];

type Kind = 'numeric' | 'categorical';

interface FeatureRow {
  name: string;
  /** Per dataset: its statistics of the feature, or undefined when absent. */
  stats: (FeatureNameStatistics | undefined)[];
  /** The Unix time unit a schema gives it (its values are dates), if it does. */
  timeFormat?: IntegerTimeFormat;
}

/** A value and whether it is suspicious. */
interface Flagged {
  text: string;
  suspicious: boolean;
  title?: string;
  /** Numbers are right-aligned, text (`left`) is not. */
  align?: 'left';
}

const kindOf = (f: FeatureNameStatistics): Kind | null =>
  f.numStats ? 'numeric' : f.stringStats ? 'categorical' : null;

/** Features of the datasets in order of first appearance, split by kind. */
function featureRows(
  datasets: DatasetFeatureStatistics[],
  timeFormats: TimeFormats = {},
): Record<Kind | 'none', FeatureRow[]> {
  const order: string[] = [];
  const byName = new Map<string, (FeatureNameStatistics | undefined)[]>();
  datasets.forEach((d, i) => {
    for (const f of d.features) {
      let stats = byName.get(f.name);
      if (!stats) {
        stats = datasets.map(() => undefined);
        byName.set(f.name, stats);
        order.push(f.name);
      }
      stats[i] = f;
    }
  });
  const rows: Record<Kind | 'none', FeatureRow[]> = { numeric: [], categorical: [], none: [] };
  for (const name of order) {
    const stats = byName.get(name) ?? [];
    const row: FeatureRow = { name, stats, timeFormat: timeFormats[name] };
    const kinds = new Set(
      stats.filter((s): s is FeatureNameStatistics => s !== undefined).map(kindOf),
    );
    for (const kind of ['numeric', 'categorical'] as const) {
      if (kinds.has(kind)) rows[kind].push(row);
    }
    if (!kinds.has('numeric') && !kinds.has('categorical')) rows.none.push(row);
  }
  return rows;
}

function common(stats: NumericStatistics | StringStatistics): {
  present: number;
  missing: number;
  total: number;
} {
  const present = int64(stats.commonStats.numNonMissing);
  const missing = int64(stats.commonStats.numMissing);
  return { present, missing, total: present + missing };
}

/** Count and missing share, flagged. */
function presence(stats: NumericStatistics | StringStatistics): Flagged[] {
  const { present, missing, total } = common(stats);
  return [
    {
      text: formatCount(present),
      suspicious: present === 0,
      title: present === 0 ? 'every value is missing' : undefined,
    },
    { text: formatPercent(missing, total), suspicious: missing > 0 },
  ];
}

function numericValues(stats: NumericStatistics, format: FeatureFormat): Flagged[] {
  const { present } = common(stats);
  const zeros = int64(stats.numZeros);
  const constant = present > 0 && stats.min !== undefined && stats.min === stats.max;
  const plain = (value: number | undefined): Flagged => ({
    text: present > 0 ? format.number(value) : '—',
    suspicious: false,
    title: present > 0 && value !== undefined ? format.date?.(value) : undefined,
  });
  const bound = (value: number | undefined): Flagged => ({
    ...plain(value),
    suspicious: constant,
    title: constant ? 'every value is the same' : plain(value).title,
  });
  return [
    ...presence(stats),
    plain(stats.mean),
    bound(stats.stdDev),
    {
      text: formatPercent(zeros, present),
      suspicious: present > 0 && zeros / present > ZEROS_SUSPICIOUS,
    },
    bound(stats.min),
    plain(stats.median),
    bound(stats.max),
  ];
}

function categoricalValues(stats: StringStatistics): Flagged[] {
  const { present } = common(stats);
  const unique = int64(stats.unique);
  const top = stats.topValues[0];
  return [
    ...presence(stats),
    {
      text: formatCount(unique),
      suspicious: unique === 1,
      title: unique === 1 ? 'a single value' : undefined,
    },
    top
      ? {
          text: shorten(valueLabel(top.value), 24),
          suspicious: false,
          title: top.value,
          align: 'left',
        }
      : { text: '—', suspicious: false },
    {
      text: top ? `${formatCount(top.frequency)} (${formatPercent(top.frequency, present)})` : '—',
      suspicious: false,
    },
    { text: present > 0 ? formatNumber(stats.avgLength) : '—', suspicious: false },
  ];
}

/** A string value as shown: the empty string reads `(empty)`. */
const valueLabel = (value: string): string => (value === '' ? '(empty)' : value);

const NUMERIC_HEADERS = ['count', 'missing', 'mean', 'std dev', 'zeros', 'min', 'median', 'max'];
const CATEGORICAL_HEADERS = ['count', 'missing', 'unique', 'top value', 'freq top', 'avg length'];

/** The values of one feature in one dataset, or (a string) why there are none. */
function rowValues(
  kind: Kind,
  stats: FeatureNameStatistics | undefined,
  format: FeatureFormat,
): Flagged[] | string {
  if (!stats) return 'not in this dataset';
  if (kind === 'numeric' && stats.numStats) return numericValues(stats.numStats, format);
  if (kind === 'categorical' && stats.stringStats) return categoricalValues(stats.stringStats);
  return `of type ${stats.type} in this dataset`;
}

const swatch = (index: number): string =>
  `<span style="display:inline-block;width:9px;height:9px;margin-right:4px;background:${colorOf(index)}"></span>`;

function htmlRows(
  kind: Kind,
  features: FeatureRow[],
  datasets: DatasetFeatureStatistics[],
): Cell[][] {
  const several = datasets.length > 1;
  const columns = kind === 'numeric' ? NUMERIC_HEADERS.length : CATEGORICAL_HEADERS.length;
  const rows: Cell[][] = [];
  for (const feature of features) {
    const type = feature.stats.find((s) => s !== undefined)?.type ?? '';
    const allMissing = feature.stats.every((s) => {
      const st = s?.numStats ?? s?.stringStats;
      return !st || int64(st.commonStats.numNonMissing) === 0;
    });
    const format = featureFormat(feature.name, feature.stats, feature.timeFormat);
    const chart =
      kind === 'numeric' ? histogramSvg(feature, datasets, format) : topValuesSvg(feature);
    datasets.forEach((dataset, i) => {
      const row: Cell[] = [];
      if (i === 0) {
        row.push({
          html: `${escapeHtml(feature.name)} <span style="${MUTED_STYLE};font-size:10px">${escapeHtml(type)}</span>${
            allMissing ? `<br><span style="${SUSPICIOUS_STYLE}">all values missing</span>` : ''
          }${several ? driftHtml(feature, datasets) : ''}`,
          style: 'font-weight:bold',
          rowspan: datasets.length,
        });
      }
      if (several) row.push({ html: swatch(i) + escapeHtml(dataset.name) });
      const values = rowValues(kind, feature.stats[i], format);
      if (typeof values === 'string') {
        row.push(textCell(values, { style: SUSPICIOUS_STYLE, colspan: columns }));
      } else {
        for (const v of values) {
          row.push(
            textCell(v.text, {
              style: `text-align:${v.align ?? 'right'}${v.suspicious ? `;${SUSPICIOUS_STYLE}` : ''}`,
              title: v.title,
            }),
          );
        }
      }
      if (i === 0) row.push({ html: chart, rowspan: datasets.length, style: 'padding:2px 4px' });
      rows.push(row);
    });
  }
  return rows;
}

/** The drift of a feature between the first two datasets (the protocol's featureDrift). */
function driftHtml(feature: FeatureRow, datasets: DatasetFeatureStatistics[]): string {
  const text = driftText(featureDrift(feature.stats[0], feature.stats[1]));
  if (text === null) return '';
  const title = `drift ${datasets[0].name} vs ${datasets[1].name}`;
  return `<br><span style="${MUTED_STYLE};font-size:10px;font-weight:normal" title="${escapeHtml(title)}">${escapeHtml(text)}</span>`;
}

// --- charts -------------------------------------------------------------------------------

const CHART_FONT = 'font-family="sans-serif" font-size="9" fill="#555"';

const standardHistogram = (stats: FeatureNameStatistics | undefined): Histogram | undefined =>
  stats?.numStats?.histograms.find((h) => h.type === 'STANDARD');

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The STANDARD histograms of a feature, overlaid on one x axis; heights are shares of values. */
function histogramSvg(
  feature: FeatureRow,
  datasets: DatasetFeatureStatistics[],
  format: FeatureFormat,
): string {
  const width = 180;
  const plotHeight = 34;
  const height = plotHeight + 12;
  const histograms = feature.stats.map((s) => {
    const h = standardHistogram(s);
    const buckets = (h?.buckets ?? []).filter((b) => finite(b.lowValue) && finite(b.highValue));
    const total = buckets.reduce((sum, b) => sum + b.sampleCount, 0);
    return { buckets, total };
  });
  const lows = histograms.flatMap((h) => h.buckets.map((b) => b.lowValue));
  const highs = histograms.flatMap((h) => h.buckets.map((b) => b.highValue));
  if (lows.length === 0) return `<span style="${MUTED_STYLE}">no histogram</span>`;
  const lo = Math.min(...lows);
  const hi = Math.max(...highs);
  const maxShare = Math.max(
    ...histograms.flatMap((h) => h.buckets.map((b) => (h.total > 0 ? b.sampleCount / h.total : 0))),
  );
  const x = (v: number): number => (hi === lo ? width / 2 : ((v - lo) / (hi - lo)) * width);
  const opacity = datasets.length > 1 ? 0.55 : 0.85;
  const bars = histograms.map((h, i) => {
    const rects = h.buckets.map((b) => {
      const share = h.total > 0 ? b.sampleCount / h.total : 0;
      const barHeight = maxShare > 0 ? (share / maxShare) * plotHeight : 0;
      let left = x(b.lowValue);
      let barWidth = x(b.highValue) - left;
      if (barWidth < 2) {
        left -= (4 - barWidth) / 2;
        barWidth = 4;
      }
      const title = `${datasets[i].name ? `${datasets[i].name}: ` : ''}${format.number(b.lowValue)} to ${format.number(b.highValue)}: ${formatCount(b.sampleCount)} (${formatPercent(b.sampleCount, h.total)})`;
      return `<rect x="${px(left)}" y="${px(plotHeight - barHeight)}" width="${px(Math.max(barWidth - 0.5, 1))}" height="${px(barHeight)}"><title>${escapeHtml(title)}</title></rect>`;
    });
    return rects.length > 0
      ? `<g fill="${colorOf(i)}" fill-opacity="${opacity}">${rects.join('')}</g>`
      : '';
  });
  const axis = `<line x1="0" y1="${plotHeight + 0.5}" x2="${width}" y2="${plotHeight + 0.5}" stroke="#999" stroke-width="1"/>`;
  const labels =
    `<text x="0" y="${height - 1}" ${CHART_FONT}>${escapeHtml(format.number(lo))}</text>` +
    `<text x="${width}" y="${height - 1}" text-anchor="end" ${CHART_FONT}>${escapeHtml(format.number(hi))}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="histogram of ${escapeHtml(feature.name)}">${bars.join('')}${axis}${labels}</svg>`;
}

/** Bars of the most frequent values (the first dataset's order first), one bar per dataset. */
function topValuesSvg(feature: FeatureRow): string {
  const values: string[] = [];
  for (const s of feature.stats) {
    for (const t of s?.stringStats?.topValues ?? []) {
      if (values.length < TOP_VALUES_DRAWN && !values.includes(t.value)) values.push(t.value);
    }
  }
  if (values.length === 0) return `<span style="${MUTED_STYLE}">no values</span>`;
  const labelWidth = 110;
  const barsWidth = 110;
  const n = feature.stats.length;
  const barHeight = n > 1 ? 4 : 7;
  const rowHeight = Math.max(11, n * barHeight + 3);
  const shares = feature.stats.map((s) => {
    const stats = s?.stringStats;
    const present = stats ? int64(stats.commonStats.numNonMissing) : 0;
    const freq = new Map((stats?.topValues ?? []).map((t) => [t.value, t.frequency]));
    return { present, freq };
  });
  const maxShare = Math.max(
    ...shares.flatMap(({ present, freq }) =>
      values.map((v) => (present > 0 ? (freq.get(v) ?? 0) / present : 0)),
    ),
  );
  const rows = values.map((value, r) => {
    const top = r * rowHeight;
    const label = `<text x="${labelWidth - 4}" y="${top + rowHeight / 2 + 3}" text-anchor="end" ${CHART_FONT}>${escapeHtml(shorten(valueLabel(value), 20))}<title>${escapeHtml(value)}</title></text>`;
    const bars = shares.map(({ present, freq }, i) => {
      const count = freq.get(value);
      if (count === undefined || present === 0 || maxShare === 0) return '';
      const w = Math.max(1, ((count / present) * barsWidth) / maxShare);
      const y = top + (rowHeight - n * barHeight) / 2 + i * barHeight;
      return `<rect x="${labelWidth}" y="${px(y)}" width="${px(w)}" height="${barHeight - 0.5}" fill="${colorOf(i)}"><title>${escapeHtml(`${value}: ${formatCount(count)} (${formatPercent(count, present)})`)}</title></rect>`;
    });
    return label + bars.join('');
  });
  const width = labelWidth + barsWidth;
  const height = values.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="top values of ${escapeHtml(feature.name)}">${rows.join('')}</svg>`;
}

/** A coordinate with at most 2 decimals. */
const px = (v: number): string => String(Math.round(v * 100) / 100);

// --- views --------------------------------------------------------------------------------

function datasetLabel(d: DatasetFeatureStatistics, index: number): string {
  return d.name || `dataset ${index + 1}`;
}

function summaryText(payload: StatisticsPayload): string {
  return payload.datasets
    .map((d, i) => `${datasetLabel(d, i)} (${formatCount(int64(d.numExamples))} examples)`)
    .join(', ');
}

function artifactsHtml(payload: StatisticsPayload): string {
  return payload.artifacts.map(artifactLine).join('; ');
}

export function statisticsHtml(payload: StatisticsPayload): string {
  const datasets = payload.datasets.map((d, i) => ({ ...d, name: datasetLabel(d, i) }));
  const rows = featureRows(datasets, payload.timeFormats);
  const several = datasets.length > 1;
  const lead = several ? ['feature', 'dataset'] : ['feature'];
  const legend = several
    ? `<p style="margin:2px 0">${datasets
        .map(
          (d, i) =>
            `<span style="margin-right:12px">${swatch(i)}${escapeHtml(d.name)} (${formatCount(int64(d.numExamples))} examples)</span>`,
        )
        .join('')}</p>`
    : `<p style="margin:2px 0">${escapeHtml(summaryText(payload))}</p>`;
  const parts: string[] = [];
  if (rows.numeric.length > 0) {
    parts.push(
      styledTable(
        [...lead, ...NUMERIC_HEADERS, 'histogram'],
        htmlRows('numeric', rows.numeric, datasets),
        { caption: `Numeric features (${rows.numeric.length})`, style: 'white-space:nowrap' },
      ),
    );
  }
  if (rows.categorical.length > 0) {
    parts.push(
      styledTable(
        [...lead, ...CATEGORICAL_HEADERS, `top ${TOP_VALUES_DRAWN} values`],
        htmlRows('categorical', rows.categorical, datasets),
        {
          caption: `Categorical features (${rows.categorical.length})`,
          style: 'white-space:nowrap',
        },
      ),
    );
  }
  if (rows.none.length > 0) {
    parts.push(
      `<p style="${SUSPICIOUS_STYLE}">Features without statistics: ${rows.none
        .map((f) => escapeHtml(f.name))
        .join(', ')}</p>`,
    );
  }
  if (parts.length === 0) parts.push(`<p style="${MUTED_STYLE}">No features.</p>`);
  return `<div class="tsfx-statistics-fallback" style="font-size:12px">
<p><b>Statistics</b>${payload.artifacts.length > 0 ? ` from ${artifactsHtml(payload)}` : ''}</p>
${legend}
${parts.join('\n')}
<p style="${MUTED_STYLE};font-size:11px">In <span style="${SUSPICIOUS_STYLE}">red</span>: missing values, over ${100 * ZEROS_SUSPICIOUS}% zeros, a single distinct value. Histograms: share of the values per bucket.</p>
</div>`;
}

function textRows(kind: Kind, features: FeatureRow[], datasets: string[]): string[][] {
  const rows: string[][] = [];
  for (const feature of features) {
    const format = featureFormat(feature.name, feature.stats, feature.timeFormat);
    datasets.forEach((name, i) => {
      const lead = datasets.length > 1 ? [i === 0 ? feature.name : '', name] : [feature.name];
      const values = rowValues(kind, feature.stats[i], format);
      rows.push(
        typeof values === 'string'
          ? [...lead, `${values}${TEXT_FLAG}`]
          : [...lead, ...values.map((v) => (v.suspicious ? v.text + TEXT_FLAG : v.text))],
      );
    });
  }
  return rows;
}

export function statisticsText(payload: StatisticsPayload): string {
  const names = payload.datasets.map(datasetLabel);
  const rows = featureRows(payload.datasets, payload.timeFormats);
  const lead = names.length > 1 ? ['feature', 'dataset'] : ['feature'];
  const lines = [
    `Statistics${payload.artifacts.length > 0 ? ` from ${payload.artifacts.map(artifactText).join('; ')}` : ''}`,
    summaryText(payload),
  ];
  if (rows.numeric.length > 0) {
    lines.push(
      '',
      `Numeric features (${rows.numeric.length})`,
      textTable([...lead, ...NUMERIC_HEADERS], textRows('numeric', rows.numeric, names)),
    );
  }
  if (rows.categorical.length > 0) {
    lines.push(
      '',
      `Categorical features (${rows.categorical.length})`,
      textTable(
        [...lead, ...CATEGORICAL_HEADERS],
        textRows('categorical', rows.categorical, names),
      ),
    );
  }
  if (rows.none.length > 0) {
    lines.push('', `Features without statistics: ${rows.none.map((f) => f.name).join(', ')}`);
  }
  lines.push(
    '',
    `${TEXT_FLAG} marks a suspicious value: missing values, over ${100 * ZEROS_SUSPICIOUS}% zeros, a single distinct value.`,
  );
  return lines.join('\n');
}
