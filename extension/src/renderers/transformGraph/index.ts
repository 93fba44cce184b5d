/**
 * The transform graph renderer, by phase (its payload is checked by the protocol's validator):
 * model.ts holds the view's state (which nodes are shown), view.ts draws it.
 */
import { TRANSFORM_GRAPH_MIME_TYPE } from '@tsfx/protocol';
import type { RendererSpec } from '../../types.js';
import { renderTransformGraph } from './view.js';

export const transformGraphRenderer: RendererSpec<'transformGraph'> = {
  kind: 'transformGraph',
  mimeType: TRANSFORM_GRAPH_MIME_TYPE,
  rootClass: 'tsfx-transformGraph',
  render: renderTransformGraph,
};
