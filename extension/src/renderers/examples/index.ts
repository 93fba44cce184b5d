/**
 * The examples renderer: view.ts draws the splits and a page of rows (table.ts), and pages, sorts
 * and filters through a RowSource (rows.ts: the Jupyter server reads the Parquet files).
 */
import { EXAMPLES_MIME_TYPE } from '@tsfx/protocol';
import type { RendererSpec } from '../../types.js';
import { renderExamples } from './view.js';

export const examplesRenderer: RendererSpec<'examples'> = {
  kind: 'examples',
  mimeType: EXAMPLES_MIME_TYPE,
  rootClass: 'tsfx-examples',
  render: (host, payload) => renderExamples(host, payload),
};
