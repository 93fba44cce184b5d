/**
 * The renderers the extension registers, one per artifact kind (a file, or a folder by phase, in
 * renderers/).
 */
import { parsePayload } from '@tsfx/protocol';
import type { AnyRendererSpec, RenderedKind, RendererSpec } from './types.js';
import { examplesRenderer } from './renderers/examples/index.js';
import { statisticsRenderer } from './renderers/statistics/index.js';
import { schemaRenderer } from './renderers/schema.js';
import { anomaliesRenderer } from './renderers/anomalies.js';
import { lineageRenderer } from './renderers/lineage.js';
import { trainingRenderer } from './renderers/training/index.js';
import { modelRenderer } from './renderers/model/index.js';
import { transformGraphRenderer } from './renderers/transformGraph/index.js';
import { evaluationHistoryRenderer, evaluationRenderer } from './renderers/evaluation/index.js';
import { blessingRenderer } from './renderers/blessing.js';
import { pushedModelRenderer } from './renderers/pushedModel.js';

export const RENDERERS: readonly AnyRendererSpec[] = [
  examplesRenderer,
  statisticsRenderer,
  schemaRenderer,
  anomaliesRenderer,
  lineageRenderer,
  trainingRenderer,
  modelRenderer,
  transformGraphRenderer,
  evaluationRenderer,
  evaluationHistoryRenderer,
  blessingRenderer,
  pushedModelRenderer,
];

export function rendererFor<K extends RenderedKind>(kind: K): RendererSpec<K> {
  const spec = RENDERERS.find((r) => r.kind === kind);
  if (!spec) throw new Error(`no tsfx renderer for ${kind}`);
  return spec as RendererSpec<K>;
}

/**
 * Checks `data` (the protocol's validator of the kind) and draws it with `spec` into `host`; returns the time the drawing took in ms.
 * A malformed payload is shown as an error box (and thrown to the caller).
 */
export function renderPayload<K extends RenderedKind>(
  spec: RendererSpec<K>,
  host: HTMLElement,
  data: unknown,
): number {
  const perf = host.ownerDocument.defaultView?.performance ?? globalThis.performance;
  const start = perf.now();
  host.replaceChildren();
  spec.render(host, parsePayload(spec.kind, data));
  return perf.now() - start;
}
