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
    const data: unknown = model.data[this.spec.mimeType];
    const perf = globalThis.performance;
    const start = perf.now();
    try {
      renderPayload(this.spec, this.node, data);
      perf.measure(`${RENDER_MEASURE_PREFIX}${this.spec.kind}`, { start, end: perf.now() });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.node.replaceChildren(
        h(this.node.ownerDocument, 'div', { class: 'tsfx-error' }, message),
      );
      console.error(`tsfx ${this.spec.kind} renderer:`, e);
    }
    return Promise.resolve();
  }
}
