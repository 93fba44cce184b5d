/**
 * The state of a statistics view, without the DOM: the features, how they are sorted and
 * filtered, which datasets are shown, counts or percentages, and per feature what its chart
 * shows. The view reads it to draw and changes it from its controls, then redraws.
 */
import type { DatasetFeatureStatistics, StatisticsPayload } from '@tsfx/protocol';
import { EXPANDED_W } from './axes.js';
import { CHART_W } from './chartFrame.js';
import type { ChartOptions } from './chartFrame.js';
import { buildModel, num } from './features.js';
import type { FeatureKind, FeatureModel } from './features.js';

/** Categorical features with more distinct values than this show the CDF chart first. */
export const CDF_THRESHOLD = 20;

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

/** What one feature's chart shows, switched by the buttons above it. */
export interface ChartToggles {
  /** Numeric: the QUANTILES histogram instead of the STANDARD one. */
  quantiles: boolean;
  /** A log scale for the bars. */
  log: boolean;
  /** Categorical: the CDF of the value ranks instead of the most frequent values. */
  cdf: boolean;
  /** Facets' "show raw data": the table of value counts behind the chart. */
  raw: boolean;
  /** Facets' "value list length": the quantiles of the lengths of the feature's value lists. */
  lengths: boolean;
}

export type ChartToggle = keyof ChartToggles;
export type ChartMode = 'standard' | 'quantiles' | 'bars' | 'cdf' | 'lengths';

export class StatisticsModel {
  readonly features: readonly FeatureModel[];
  readonly datasets: readonly DatasetFeatureStatistics[];
  readonly datasetNames: readonly string[];
  sort: SortKey = 'order';
  reverse = false;
  /** The search box's text, as typed. */
  query = '';
  /** The search text is a regular expression (case-insensitive), as in Facets. */
  regex = false;
  /** Feature types hidden by their checkboxes. */
  readonly hiddenTypes = new Set<string>();
  /** Percentages of each dataset's examples instead of counts. */
  percent = false;
  /** The charts' width in pixels, fitted to the output by the view. */
  chartWidth: number = CHART_W;
  /** A narrow output: each chart goes on a row of its own under its feature's statistics. */
  narrow = false;
  /** Facets' "expand": larger charts with real axes, each on a row of its own. */
  expanded = false;
  /** The expanded charts' width in pixels, fitted to the output by the view. */
  expandedWidth: number = EXPANDED_W;
  private readonly shown: boolean[];
  private readonly toggles = new Map<FeatureModel, ChartToggles>();
  /** Per feature, the slice of values selected by a click on its chart (see slices.ts). */
  private readonly selected = new Map<FeatureModel, string>();

  constructor(payload: StatisticsPayload) {
    this.features = buildModel(payload);
    this.datasets = payload.datasets;
    this.datasetNames = payload.datasets.map((d) => d.name);
    this.shown = payload.datasets.map(() => true);
  }

  /** Each chart on a row of its own under its feature (a narrow output, or expanded charts). */
  get chartRow(): boolean {
    return this.narrow || this.expanded;
  }

  /** Two datasets or more: a dataset column, and the distance sorts between the first two. */
  get several(): boolean {
    return this.datasets.length > 1;
  }

  /** The sorts offered: the distances only when there are two datasets to compare. */
  sortKeys(): SortKey[] {
    const keys: SortKey[] = ['order', 'name', 'nonuniformity', 'missing'];
    if (this.several) keys.push('linf', 'js');
    return keys;
  }

  /** Indices of the datasets shown, in payload order. */
  visibleDatasets(): number[] {
    return this.shown.flatMap((on, i) => (on ? [i] : []));
  }

  isVisible(d: number): boolean {
    return this.shown[d] === true;
  }

  /** Shows or hides dataset `d`; the last one shown stays. Returns whether anything changed. */
  toggleDataset(d: number): boolean {
    if (this.shown[d] && this.visibleDatasets().length === 1) return false;
    this.shown[d] = !this.shown[d];
    return true;
  }

  featuresOf(kind: FeatureKind): FeatureModel[] {
    return this.features.filter((f) => f.kind === kind);
  }

  /** The search text as it filters: without surrounding spaces. */
  searchText(): string {
    return this.query.trim();
  }

  /** The search as a test of a name; null when the regular expression does not compile. */
  nameTest(): ((name: string) => boolean) | null {
    const q = this.searchText();
    if (q === '') return () => true;
    if (!this.regex) return (name) => name.toLowerCase().includes(q.toLowerCase());
    try {
      const re = new RegExp(q, 'i');
      return (name) => re.test(name);
    } catch {
      return null;
    }
  }

  /** The feature types present, in the order first seen. */
  types(): string[] {
    return [...new Set(this.features.map((f) => f.type))];
  }

  /** The features of `kind` listed: sorted, of a type shown, and matching the search. */
  matching(kind: FeatureKind): FeatureModel[] {
    const test = this.nameTest() ?? (() => false);
    return sortFeatures(this.featuresOf(kind), this.sort, this.reverse).filter(
      (f) => !this.hiddenTypes.has(f.type) && test(f.name),
    );
  }

  togglesOf(f: FeatureModel): Readonly<ChartToggles> {
    return this.ownToggles(f);
  }

  toggleChart(f: FeatureModel, key: ChartToggle): void {
    const toggles = this.ownToggles(f);
    toggles[key] = !toggles[key];
  }

  /** The key of the slice of `f` selected, if one is. */
  selectionOf(f: FeatureModel): string | undefined {
    return this.selected.get(f);
  }

  /** Selects the slice `key` of `f`, or unselects it when it is the one selected. */
  toggleSelection(f: FeatureModel, key: string): void {
    if (this.selected.get(f) === key) this.selected.delete(f);
    else this.selected.set(f, key);
  }

  chartMode(f: FeatureModel): ChartMode {
    const t = this.ownToggles(f);
    if (t.lengths) return 'lengths';
    if (f.kind === 'numeric') return t.quantiles ? 'quantiles' : 'standard';
    return t.cdf ? 'cdf' : 'bars';
  }

  /** The log scale applies to bars, not to quantiles, list lengths or a CDF. */
  logApplies(f: FeatureModel): boolean {
    const t = this.ownToggles(f);
    return !t.lengths && !(f.kind === 'numeric' ? t.quantiles : t.cdf);
  }

  chartOptions(f: FeatureModel): ChartOptions {
    return {
      visible: this.visibleDatasets(),
      datasetNames: this.datasetNames,
      percent: this.percent,
      log: this.ownToggles(f).log,
      width: this.expanded ? this.expandedWidth : this.chartWidth,
      expanded: this.expanded,
    };
  }

  /** A feature's toggles, made on first use: many distinct values start with the CDF. */
  private ownToggles(f: FeatureModel): ChartToggles {
    let t = this.toggles.get(f);
    if (!t) {
      const unique = Math.max(0, ...f.stats.map((st) => num(st?.stringStats?.unique)));
      t = { quantiles: false, log: false, cdf: unique > CDF_THRESHOLD, raw: false, lengths: false };
      this.toggles.set(f, t);
    }
    return t;
  }
}
