/**
 * Statistics, in the manner of Facets Overview: a table of numeric and one of categorical
 * features, one row per feature per dataset (train, eval, ...), suspicious values in red, and per
 * feature a chart with the datasets overlaid in the colours of the legend (see charts.ts).
 *
 * Features can be searched and sorted (feature order, name, non-uniformity, amount missing or
 * zero, and, with two datasets or more, the L-infinity distance or the Jensen–Shannon divergence
 * between the first two). Counts or percentages; legend entries show and hide datasets.
 *
 * The view assembles the DOM and wires its controls to a StatisticsModel: a control changes the
 * model, then what depends on it is drawn again.
 */
import type { StatisticsPayload } from '@tsfx/protocol';
import { formatCount } from '@tsfx/protocol';
import { h, uniqueId, viewHeader } from '../../dom.js';
import { artifactLine } from '../../artifact.js';
import { EXPANDED_WIDTHS } from './axes.js';
import { CHART_WIDTHS } from './chartFrame.js';
import { featureChart } from './charts.js';
import { numExamples } from './features.js';
import type { FeatureKind, FeatureModel } from './features.js';
import { StatisticsModel } from './model.js';
import type { ChartToggle, SortKey } from './model.js';
import { markSelected, rawTable, selectionLine, sliceKeyAt } from './sliceViews.js';
import { slicesOf } from './slices.js';
import { featureBody, featureTable, noFeatureBody, sectionTitle } from './table.js';

const SORT_LABELS: Record<SortKey, string> = {
  order: 'feature order',
  name: 'name',
  nonuniformity: 'non-uniformity',
  missing: 'amount missing/zero',
  linf: 'distribution distance (L∞)',
  js: 'Jensen–Shannon divergence',
};

function sortSelect(doc: Document, model: StatisticsModel): HTMLSelectElement {
  const [first, second] = model.datasetNames;
  const label = (k: SortKey): string =>
    SORT_LABELS[k] +
    ((k === 'linf' || k === 'js') && model.several ? ` ${first} vs ${second}` : '');
  return h(
    doc,
    'select',
    { class: 'tsfx-stats-sort', 'aria-label': 'Sort features by' },
    ...model.sortKeys().map((k) => h(doc, 'option', { value: k }, label(k))),
  );
}

/** A checkbox per feature type present (INT, FLOAT, STRING, ...) that shows or hides its features. */
function typeFilter(doc: Document, model: StatisticsModel, redraw: () => void): HTMLElement {
  return h(
    doc,
    'span',
    { class: 'tsfx-stats-types', role: 'group', 'aria-label': 'Feature types' },
    ...model.types().map((type) => {
      const box = h(doc, 'input', {
        class: 'tsfx-stats-type',
        type: 'checkbox',
        checked: true,
        'data-type': type,
      });
      box.addEventListener('change', () => {
        if (box.checked) model.hiddenTypes.delete(type);
        else model.hiddenTypes.add(type);
        redraw();
      });
      return h(doc, 'label', undefined, box, ` ${type}`);
    }),
  );
}

/** Search (plain or regex), feature types, sort, reverse order, percentages and expanded charts. */
function controls(
  doc: Document,
  model: StatisticsModel,
  redraw: () => void,
  expand: () => void,
): HTMLDivElement {
  const searchId = uniqueId('stats-search');
  const search = h(doc, 'input', {
    class: 'tsfx-stats-search',
    id: searchId,
    type: 'search',
    placeholder: 'feature name',
    'aria-label': 'Search features',
  });
  const sort = sortSelect(doc, model);
  const reverse = h(doc, 'input', { class: 'tsfx-stats-reverse', type: 'checkbox' });
  const percent = h(doc, 'input', { class: 'tsfx-stats-percent', type: 'checkbox' });
  const regex = h(doc, 'input', { class: 'tsfx-stats-regex', type: 'checkbox' });
  const expanded = h(doc, 'input', { class: 'tsfx-stats-expand', type: 'checkbox' });
  const searched = (): void => {
    model.query = search.value;
    model.regex = regex.checked;
    search.setCustomValidity(model.nameTest() ? '' : 'not a regular expression');
    search.toggleAttribute('aria-invalid', model.nameTest() === null);
    redraw();
  };
  search.addEventListener('input', searched);
  regex.addEventListener('change', searched);
  sort.addEventListener('change', () => {
    model.sort = sort.value as SortKey;
    redraw();
  });
  reverse.addEventListener('change', () => {
    model.reverse = reverse.checked;
    redraw();
  });
  percent.addEventListener('change', () => {
    model.percent = percent.checked;
    redraw();
  });
  expanded.addEventListener('change', () => {
    model.expanded = expanded.checked;
    expand();
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-stats-controls' },
    h(doc, 'label', { for: searchId }, 'Search '),
    search,
    h(doc, 'label', { title: 'the search is a regular expression' }, regex, ' regex'),
    typeFilter(doc, model, redraw),
    h(doc, 'label', undefined, 'Sort by ', sort),
    h(doc, 'label', undefined, reverse, ' reverse order'),
    h(doc, 'label', undefined, percent, ' percentages'),
    h(
      doc,
      'label',
      { title: 'larger charts with axes, each under its feature' },
      expanded,
      ' expand charts',
    ),
  );
}

/** A button per dataset that shows or hides it. */
function legend(doc: Document, model: StatisticsModel, redraw: () => void): HTMLDivElement {
  const buttons = model.datasets.map((ds, d) => {
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
      if (!model.toggleDataset(d)) return;
      button.setAttribute('aria-pressed', String(model.isVisible(d)));
      redraw();
    });
    return button;
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-legend tsfx-stats-legend', role: 'group', 'aria-label': 'Datasets' },
    ...buttons,
  );
}

/**
 * The chart cell of each feature: its toggle buttons and its chart. A cell is made once and
 * kept across the redraws of the tables; a toggle redraws its chart only.
 */
class ChartCells {
  private readonly cells = new Map<FeatureModel, HTMLTableCellElement>();

  constructor(
    private readonly doc: Document,
    private readonly model: StatisticsModel,
  ) {}

  /** The cell of `f`, spanning the dataset rows shown, with its chart drawn anew. */
  cellFor(f: FeatureModel): HTMLTableCellElement {
    const rows = this.model.visibleDatasets().length;
    let td = this.cells.get(f);
    if (td) {
      td.rowSpan = rows;
    } else {
      td = this.create(f, rows);
      this.cells.set(f, td);
    }
    this.draw(f, td);
    return td;
  }

  private create(f: FeatureModel, rows: number): HTMLTableCellElement {
    const doc = this.doc;
    const td = h(doc, 'td', { class: 'tsfx-stats-chart', rowspan: rows });
    const chartToggle =
      f.kind === 'numeric'
        ? this.toggle(
            f,
            td,
            'quantiles',
            'quantiles',
            'switch between the standard and the quantiles histogram',
          )
        : this.toggle(
            f,
            td,
            'cdf',
            'CDF',
            'switch between the most frequent values and the CDF of value ranks',
          );
    const plot = h(doc, 'div', {
      class: 'tsfx-stats-plot',
      title: 'click a bar to select its values',
    });
    plot.addEventListener('click', (event) => {
      const key = sliceKeyAt(event.target);
      if (key === null) return;
      this.model.toggleSelection(f, key);
      this.draw(f, td);
    });
    td.append(
      h(
        doc,
        'div',
        { class: 'tsfx-stats-tools' },
        chartToggle,
        this.toggle(f, td, 'log', 'log', 'log scale'),
        this.toggle(f, td, 'lengths', 'list length', 'the lengths of the value lists'),
        this.toggle(f, td, 'raw', 'raw data', 'show the value counts behind the chart'),
      ),
      plot,
      h(doc, 'div', { class: 'tsfx-stats-slices' }),
    );
    return td;
  }

  private toggle(
    f: FeatureModel,
    td: HTMLTableCellElement,
    key: ChartToggle,
    label: string,
    hint: string,
  ): HTMLButtonElement {
    const b = h(
      this.doc,
      'button',
      {
        class: 'tsfx-stats-toggle',
        type: 'button',
        'data-toggle': key,
        'aria-pressed': String(this.model.togglesOf(f)[key]),
        title: hint,
      },
      label,
    );
    b.addEventListener('click', () => {
      this.model.toggleChart(f, key);
      this.draw(f, td);
    });
    return b;
  }

  /** Draws every chart made so far again (at a new width). */
  redrawAll(): void {
    for (const [f, td] of this.cells) this.draw(f, td);
  }

  private draw(f: FeatureModel, td: HTMLTableCellElement): void {
    const toggles = this.model.togglesOf(f);
    for (const b of td.querySelectorAll<HTMLButtonElement>('.tsfx-stats-toggle')) {
      const key = b.dataset['toggle'] as ChartToggle;
      b.setAttribute('aria-pressed', String(toggles[key]));
      if (key === 'log') b.disabled = !this.model.logApplies(f);
    }
    const options = this.model.chartOptions(f);
    const svg = featureChart(this.doc, f, this.model.chartMode(f), options);
    td.querySelector('.tsfx-stats-plot')?.replaceChildren(svg);
    td.querySelector('.tsfx-stats-slices')?.replaceChildren(...this.slices(f, svg));
    // The chart's width is the cell's: its buttons and what is below them wrap within it.
    for (const el of td.querySelectorAll<HTMLElement>('.tsfx-stats-tools, .tsfx-stats-slices'))
      el.style.width = `${options.width}px`;
  }

  /** The selected slice (marked in `svg`) and the raw data table, when asked for. */
  private slices(f: FeatureModel, svg: SVGSVGElement): HTMLElement[] {
    const key = this.model.selectionOf(f);
    const raw = this.model.togglesOf(f).raw;
    if (key === undefined && !raw) return [];
    const options = this.model.chartOptions(f);
    const slices = slicesOf(f, options);
    const out: HTMLElement[] = [];
    const slice = slices.find((x) => x.key === key);
    if (key !== undefined && slice) {
      markSelected(svg, f.kind, key);
      out.push(selectionLine(this.doc, slice, options));
    }
    if (raw) out.push(rawTable(this.doc, f.kind, slices, options, key));
    return out;
  }
}

interface Section {
  wrap: HTMLDivElement;
  /** Lists the matching features again, in the model's order. */
  draw(): void;
  /** Features of the section's kind (matching or not). */
  count: number;
}

function section(
  doc: Document,
  model: StatisticsModel,
  kind: FeatureKind,
  charts: ChartCells,
): Section {
  const title = h(doc, 'div', { class: 'tsfx-stats-section-title' });
  const table = featureTable(doc, kind, model.several);
  const wrap = h(
    doc,
    'div',
    { class: 'tsfx-stats-section', 'data-kind': kind },
    title,
    h(doc, 'div', { class: 'tsfx-stats-scroll' }, table),
  );
  const count = model.featuresOf(kind).length;
  const draw = (): void => {
    const matching = model.matching(kind);
    title.textContent = sectionTitle(kind, matching.length, count);
    for (const b of [...table.tBodies]) b.remove();
    if (matching.length === 0) {
      table.append(noFeatureBody(doc, kind, model.several, model.searchText()));
    } else {
      for (const f of matching) table.append(featureBody(doc, model, f, charts.cellFor(f)));
    }
  };
  return { wrap, draw, count };
}

function summary(model: StatisticsModel): string {
  const features = model.features.length;
  const datasets = model.datasets;
  const sizes = datasets.map((d) => `${d.name} ${formatCount(numExamples(d))}`).join(', ');
  return `${features} feature${features === 1 ? '' : 's'} · ${datasets.length} dataset${datasets.length === 1 ? '' : 's'} (${sizes})`;
}

/**
 * An output narrower than this (in CSS pixels) is narrow: the tables shed some statistics and
 * each chart goes on a row of its own (see statistics.css, `.tsfx-stats-narrow`).
 */
export const NARROW_WIDTH = 640;

/**
 * The chart width that makes the widest table fit its output: what is left of the output's width
 * once the other columns are laid out (on a row of its own, `ownRow`: the whole width), within
 * `range`; undefined before layout (jsdom).
 */
export function fittedChartWidth(
  root: HTMLElement,
  ownRow = false,
  range: { min: number; max: number } = CHART_WIDTHS,
): number | undefined {
  const widths: number[] = [];
  for (const scroll of root.querySelectorAll<HTMLElement>('.tsfx-stats-scroll')) {
    const table = scroll.querySelector('table');
    const chart = table?.querySelector<HTMLElement>('td.tsfx-stats-chart');
    const plot = chart?.querySelector<HTMLElement>('.tsfx-stats-plot');
    if (!table || !chart || !plot || scroll.clientWidth === 0) continue;
    const others = ownRow
      ? chart.offsetWidth - plot.offsetWidth
      : table.offsetWidth - plot.offsetWidth;
    widths.push(scroll.clientWidth - others - 1);
  }
  if (widths.length === 0) return undefined;
  return Math.round(Math.max(range.min, Math.min(range.max, ...widths)));
}

/**
 * Fits the charts to the output's width now and whenever the output is resized; returns the
 * fitting, for a change of layout (expanded charts).
 */
function fitToOutput(
  root: HTMLElement,
  model: StatisticsModel,
  charts: ChartCells,
  redraw: () => void,
): () => void {
  const fit = (): void => {
    if (root.clientWidth === 0) return; // not laid out (jsdom, a hidden output)
    const narrow = root.clientWidth < NARROW_WIDTH;
    if (narrow !== model.narrow) {
      model.narrow = narrow;
      root.classList.toggle('tsfx-stats-narrow', narrow);
      redraw();
    }
    const range = model.expanded ? EXPANDED_WIDTHS : CHART_WIDTHS;
    const width = fittedChartWidth(root, model.chartRow, range);
    const current = model.expanded ? model.expandedWidth : model.chartWidth;
    if (width === undefined || Math.abs(width - current) < 2) return;
    if (model.expanded) model.expandedWidth = width;
    else model.chartWidth = width;
    charts.redrawAll();
  };
  const Observer = root.ownerDocument.defaultView?.ResizeObserver;
  if (Observer) {
    let last = -1;
    new Observer(() => {
      if (root.clientWidth === last) return;
      last = root.clientWidth;
      fit();
    }).observe(root);
  }
  return fit;
}

export function renderStatistics(host: HTMLElement, payload: StatisticsPayload): void {
  const doc = host.ownerDocument;
  const model = new StatisticsModel(payload);
  const charts = new ChartCells(doc, model);
  const numeric = section(doc, model, 'numeric', charts);
  const categorical = section(doc, model, 'categorical', charts);
  const redraw = (): void => {
    numeric.draw();
    categorical.draw();
  };
  // Expanded charts or compact ones: the layout changes, then the charts fit it.
  const expand = (): void => {
    // The row's width is known from the layout at hand: the charts are drawn once, fitted.
    const width = model.expanded ? fittedChartWidth(root, true, EXPANDED_WIDTHS) : undefined;
    if (width !== undefined) model.expandedWidth = width;
    root.classList.toggle('tsfx-stats-expanded', model.expanded);
    redraw();
    fit();
  };
  const root = h(
    doc,
    'div',
    {
      class: 'tsfx-view tsfx-statistics',
      'data-artifact-ids': payload.artifacts
        .flatMap((a) => (a.id === null ? [] : [a.id]))
        .join(' '),
    },
    viewHeader(doc, 'Statistics', summary(model)),
    ...payload.artifacts.map((a) => artifactLine(doc, a)),
    controls(doc, model, redraw, expand),
    legend(doc, model, redraw),
    numeric.count > 0 || categorical.count === 0 ? numeric.wrap : null,
    categorical.count > 0 ? categorical.wrap : null,
  );
  host.append(root);
  redraw();
  const fit = fitToOutput(root, model, charts, redraw);
}
