/**
 * The statistics tables, one for numeric and one for categorical features: a row per feature
 * per dataset shown, suspicious values in red, the feature's name (and the sort measure) and its
 * chart spanning the dataset rows.
 */
import type {
  DatasetFeatureStatistics,
  FeatureFormat,
  FeatureNameStatistics,
} from '@tsfx/protocol';
import { driftText, formatCount } from '@tsfx/protocol';
import { h } from '../../dom.js';
import { commonOf, missingShare, num, valueCounts, zerosShare } from './features.js';
import type { FeatureKind, FeatureModel } from './features.js';
import { formatShare, formatStat } from './format.js';
import type { SortKey, StatisticsModel } from './model.js';

/** A share of missing values above this is marked (any missing value, as the HTML view does). */
export const MISSING_SUSPICIOUS = 0;
/** A share of zeros above this is marked. */
export const ZEROS_SUSPICIOUS = 0.5;

interface Cell {
  text: string;
  /** Why the value is suspicious (the cell's title), if it is. */
  bad?: string;
  cls?: string;
  /** The value as a date (the cell's title), for timestamp-like features. */
  date?: string;
}

const cell = (text: string, bad?: string | false, cls = 'tsfx-num'): Cell => ({
  text,
  bad: bad || undefined,
  cls,
});

/** A statistic in the feature's format, with its date on hover when it is a timestamp. */
function statCell(format: FeatureFormat, value: number, bad?: string | false): Cell {
  return { ...cell(format.number(value), bad), date: format.date?.(value) };
}

function commonCells(ds: DatasetFeatureStatistics, f: FeatureNameStatistics): Cell[] {
  const c = commonOf(f);
  const count = num(c?.numNonMissing);
  const missing = missingShare(ds, f);
  return [
    cell(formatCount(count), count === 0 && 'no values'),
    cell(formatShare(missing), missing > MISSING_SUSPICIOUS && 'missing values'),
  ];
}

function numericCells(
  ds: DatasetFeatureStatistics,
  f: FeatureNameStatistics,
  format: FeatureFormat,
): Cell[] {
  const st = f.numStats;
  if (!st) return [cell(`not numeric here (${f.type})`, 'type differs', 'tsfx-stats-absent')];
  const count = num(st.commonStats.numNonMissing);
  const zeros = zerosShare(f);
  const single = count > 0 && st.min === st.max;
  return [
    ...commonCells(ds, f),
    statCell(format, st.mean ?? 0),
    cell(format.number(st.stdDev ?? 0), single && 'a single value'),
    cell(formatShare(zeros), zeros > ZEROS_SUSPICIOUS && 'mostly zeros'),
    statCell(format, st.min ?? 0, single && 'a single value'),
    statCell(format, st.median ?? 0),
    statCell(format, st.max ?? 0, single && 'a single value'),
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

/** The cells of feature `f` in dataset `ds` (one spanning cell when it is absent there). */
function cellsOf(
  f: FeatureModel,
  ds: DatasetFeatureStatistics,
  st: FeatureNameStatistics | undefined,
): Cell[] {
  if (!st) return [cell('not in this dataset', 'absent', 'tsfx-stats-absent')];
  return f.kind === 'numeric' ? numericCells(ds, st, f.format) : categoricalCells(ds, st);
}

const NUMERIC_HEADERS = ['count', 'missing', 'mean', 'std dev', 'zeros', 'min', 'median', 'max'];
const CATEGORICAL_HEADERS = ['count', 'missing', 'unique', 'top', 'freq top', 'avg str len'];

/** The statistics columns of a table. */
export function headersOf(kind: FeatureKind): readonly string[] {
  return kind === 'numeric' ? NUMERIC_HEADERS : CATEGORICAL_HEADERS;
}

/** The measure a feature is sorted by, shown under its name; null for the plain orders. */
export function metricText(f: FeatureModel, key: SortKey): string | null {
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

/** A name that may wrap after its underscores (`trip_start_` / `timestamp`) in a narrow column. */
function breakable(doc: Document, name: string): (string | HTMLElement)[] {
  return name.split(/(?<=_)(?=.)/).flatMap((part, i) => (i === 0 ? [part] : [h(doc, 'wbr'), part]));
}

/** The feature's name, type, sort measure and drift, spanning its `rows` dataset rows. */
function nameHeader(
  doc: Document,
  f: FeatureModel,
  rows: number,
  metric: string | null,
  drift: { text: string; between: string } | null,
): HTMLTableCellElement {
  return h(
    doc,
    'th',
    { class: 'tsfx-stats-name', scope: 'rowgroup', rowspan: rows },
    h(doc, 'span', { class: 'tsfx-stats-feature-name' }, ...breakable(doc, f.name)),
    h(doc, 'span', { class: `tsfx-col-type tsfx-type-${f.type.toLowerCase()}` }, f.type),
    metric ? h(doc, 'span', { class: 'tsfx-stats-metric' }, metric) : null,
    drift
      ? h(doc, 'span', { class: 'tsfx-stats-drift', title: `drift ${drift.between}` }, drift.text)
      : null,
  );
}

/** The statistics cells of a row; a lone cell spans the `columns` statistics columns. */
function statCells(doc: Document, cells: readonly Cell[], columns: number): HTMLTableCellElement[] {
  return cells.map((c, i) =>
    h(
      doc,
      'td',
      {
        class: [c.cls, c.bad ? 'tsfx-stats-bad' : ''].filter(Boolean).join(' '),
        title: c.bad && c.date ? `${c.date}; ${c.bad}` : (c.bad ?? c.date),
        colspan: cells.length === 1 ? columns : undefined,
        'data-stat': cells.length === 1 ? undefined : i,
      },
      c.text,
    ),
  );
}

/**
 * A feature's rows, one per dataset shown; `chart` goes at the end of the first, or, in a narrow
 * output or expanded, on a row of its own under them, across the table.
 */
export function featureBody(
  doc: Document,
  model: StatisticsModel,
  f: FeatureModel,
  chart: HTMLTableCellElement,
): HTMLTableSectionElement {
  const shown = model.visibleDatasets();
  const columns = headersOf(f.kind).length;
  const body = h(doc, 'tbody', { class: 'tsfx-stats-feature', 'data-feature': f.name });
  const metric = metricText(f, model.sort);
  // The sort by a distance already shows it: the drift line is for the other orders.
  const driftLine =
    model.several && model.sort !== 'linf' && model.sort !== 'js' ? driftText(f) : null;
  const [first, second] = model.datasetNames;
  const drift = driftLine ? { text: driftLine, between: `${first} vs ${second}` } : null;
  shown.forEach((d, k) => {
    const ds = model.datasets[d]!;
    const row = h(
      doc,
      'tr',
      { class: `tsfx-stats-row tsfx-ds-${d % 6}`, 'data-dataset': ds.name },
      k === 0 ? nameHeader(doc, f, shown.length, metric, drift) : null,
      model.several
        ? h(
            doc,
            'td',
            { class: 'tsfx-stats-ds', title: ds.name },
            h(doc, 'span', { class: 'tsfx-stats-swatch' }),
            h(doc, 'span', { class: 'tsfx-stats-ds-name' }, ds.name),
          )
        : null,
      ...statCells(doc, cellsOf(f, ds, f.stats[d]), columns),
      k === 0 && !model.chartRow ? chart : null,
    );
    body.append(row);
  });
  if (model.chartRow) {
    chart.colSpan = columns + (model.several ? 2 : 1);
    chart.rowSpan = 1;
    body.append(h(doc, 'tr', { class: 'tsfx-stats-chart-row' }, chart));
  } else {
    chart.removeAttribute('colspan');
  }
  return body;
}

/** An empty table of `kind` features: the column headers only. */
export function featureTable(doc: Document, kind: FeatureKind, several: boolean): HTMLTableElement {
  return h(
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
        h(doc, 'th', { scope: 'col', class: 'tsfx-stats-name' }, 'feature'),
        several ? h(doc, 'th', { scope: 'col', class: 'tsfx-stats-ds' }, 'dataset') : null,
        ...headersOf(kind).map((t, i) =>
          h(doc, 'th', { scope: 'col', class: 'tsfx-num', 'data-stat': i }, t),
        ),
        h(doc, 'th', { scope: 'col', class: 'tsfx-stats-chart-head' }, 'chart'),
      ),
    ),
  );
}

/** The body of a table with no feature to list: none at all, or none matching `query`. */
export function noFeatureBody(
  doc: Document,
  kind: FeatureKind,
  several: boolean,
  query: string,
): HTMLTableSectionElement {
  return h(
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
        { colspan: headersOf(kind).length + (several ? 3 : 2) },
        query ? `No ${kind} feature matches "${query}"` : `No ${kind} features`,
      ),
    ),
  );
}

/** A table's title: its feature count, and how many match when a search hides some. */
export function sectionTitle(kind: FeatureKind, matching: number, all: number): string {
  const label = kind === 'numeric' ? 'Numeric features' : 'Categorical features';
  return matching === all ? `${label} (${all})` : `${label} (${matching} of ${all})`;
}
