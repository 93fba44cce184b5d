/**
 * The statistics renderer, by phase (its payload is checked by the protocol's validator): features.ts and
 * distributions.ts turn it into features with their measures; model.ts holds the view's state;
 * charts.ts (numericCharts.ts, categoricalCharts.ts on chartFrame.ts) and table.ts draw; view.ts
 * assembles the DOM and wires the controls to the model.
 */
import { STATISTICS_MIME_TYPE } from '@tsfx/protocol';
import type { RendererSpec } from '../../types.js';
import { renderStatistics } from './view.js';

export const statisticsRenderer: RendererSpec<'statistics'> = {
  kind: 'statistics',
  mimeType: STATISTICS_MIME_TYPE,
  rootClass: 'tsfx-statistics',
  render: renderStatistics,
};
