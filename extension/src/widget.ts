import { Widget } from '@lumino/widgets';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { RenderedKind, RendererSpec } from './types.js';
import { renderPayload } from './registry.js';
import { h } from './dom.js';

/** Prefix of the performance measures each drawing records (`tsfx-render:<kind>`). */
export const RENDER_MEASURE_PREFIX = 'tsfx-render:';

/** The JupyterLab renderer (a Lumino widget) of one tsfx MIME type. */
export class TsfxRenderer<K extends RenderedKind> extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly spec: RendererSpec<K>) {
    super();
    this.addClass('tsfx-output');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    drawPayload(this.spec, this.node, model.data[this.spec.mimeType]);
    return Promise.resolve();
  }
}

/**
 * Checks and draws a payload into `host` and records its draw time (`tsfx-render:<kind>`); a
 * payload the protocol refuses is shown as the error box, with the path of the problem.
 */
export function drawPayload<K extends RenderedKind>(
  spec: RendererSpec<K>,
  host: HTMLElement,
  data: unknown,
): void {
  const perf = globalThis.performance;
  const start = perf.now();
  try {
    renderPayload(spec, host, data);
    perf.measure(`${RENDER_MEASURE_PREFIX}${spec.kind}`, { start, end: perf.now() });
  } catch (e) {
    showError(host, e);
    console.error(`tsfx ${spec.kind} renderer:`, e);
  }
}

/** The error box a view shows in place of a payload or file it cannot draw. */
export function showError(host: HTMLElement, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  host.replaceChildren(h(host.ownerDocument, 'div', { class: 'tsfx-error' }, message));
}
