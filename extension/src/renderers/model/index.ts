/**
 * The model renderer, by phase (its payload is checked by the protocol's validator): model.ts
 * holds the view's state, view.ts draws it (Keras' summary, the layer graph's wiring on
 * selection, the serving signature and the files).
 */
import { MODEL_MIME_TYPE } from '@tsfx/protocol';
import type { RendererSpec } from '../../types.js';
import { renderModel } from './view.js';

export const modelRenderer: RendererSpec<'model'> = {
  kind: 'model',
  mimeType: MODEL_MIME_TYPE,
  rootClass: 'tsfx-model',
  render: renderModel,
};
