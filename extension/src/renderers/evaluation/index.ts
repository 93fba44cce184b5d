/**
 * The evaluation renderers, by phase: model.ts holds the view's state and what it derives from
 * the payload (rows, threshold status), charts.ts draws, view.ts assembles the slicing browser;
 * history.ts is the evaluation history (a metric across model versions).
 */
import { EVALUATION_HISTORY_MIME_TYPE, EVALUATION_MIME_TYPE } from '@tsfx/protocol';
import type { RendererSpec } from '../../types.js';
import { renderEvaluationHistory } from './history.js';
import { renderEvaluation } from './view.js';

export const evaluationRenderer: RendererSpec<'evaluation'> = {
  kind: 'evaluation',
  mimeType: EVALUATION_MIME_TYPE,
  rootClass: 'tsfx-evaluation',
  render: renderEvaluation,
};

export const evaluationHistoryRenderer: RendererSpec<'evaluation-history'> = {
  kind: 'evaluation-history',
  mimeType: EVALUATION_HISTORY_MIME_TYPE,
  rootClass: 'tsfx-evaluation-history',
  render: renderEvaluationHistory,
};
