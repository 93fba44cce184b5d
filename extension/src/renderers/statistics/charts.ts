/**
 * The per-feature charts, drawn as SVG with the datasets overlaid in the colours of the legend:
 *
 * - numeric: the STANDARD histogram (the datasets re-bucketed onto common edges), or the
 *   QUANTILES histogram drawn as one line of quantile ticks per dataset;
 * - categorical: bars of the most frequent values, or the CDF of the rank histogram;
 * - any feature: the quantiles of its value list lengths (Facets' "value list length").
 */
import { barsChart, cdfChart } from './categoricalCharts.js';
import type { ChartOptions } from './chartFrame.js';
import type { FeatureModel } from './features.js';
import type { ChartMode } from './model.js';
import { listLengthsChart, quantilesChart, standardChart } from './numericCharts.js';

export type { ChartOptions } from './chartFrame.js';

/** The chart of `feature` that `mode` names. */
export function featureChart(
  doc: Document,
  feature: FeatureModel,
  mode: ChartMode,
  o: ChartOptions,
): SVGSVGElement {
  switch (mode) {
    case 'standard':
      return standardChart(doc, feature, o);
    case 'quantiles':
      return quantilesChart(doc, feature, o);
    case 'bars':
      return barsChart(doc, feature, o);
    case 'cdf':
      return cdfChart(doc, feature, o);
    case 'lengths':
      return listLengthsChart(doc, feature, o);
  }
}
