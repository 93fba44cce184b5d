/**
 * The training renderer, by phase (its payload is checked by the protocol's validator): lines.ts turns it into the lines
 * each chart draws, scales.ts lays them out, model.ts holds the view's state, charts.ts and
 * hover.ts draw, view.ts assembles the DOM and wires the controls.
 */
import { TRAINING_MIME_TYPE } from '@tsfx/protocol';
import type { RendererSpec } from '../../types.js';
import { renderTraining } from './view.js';

export const trainingRenderer: RendererSpec<'training'> = {
  kind: 'training',
  mimeType: TRAINING_MIME_TYPE,
  rootClass: 'tsfx-training',
  render: renderTraining,
};
