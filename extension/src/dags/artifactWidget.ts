/**
 * An artifact of a scheduled run in a main-area tab, drawn by the same renderer (and from the
 * same payload, built by the kernel's viewer registry through `tsfx view`) as in a notebook.
 */
import { Widget } from '@lumino/widgets';
import { RENDERERS, rendererFor } from '../registry.js';
import type { RenderedKind } from '../types.js';
import { drawPayload, showError } from '../widget.js';
import type { DagsModel } from './model.js';

export class ArtifactViewWidget extends Widget {
  constructor(
    readonly artifactId: number,
    label: string,
  ) {
    super();
    this.id = `tsfx-dag-artifact-${artifactId}`;
    this.title.label = label;
    this.title.closable = true;
    this.addClass('tsfx-dag-artifact-view');
    this.addClass('tsfx-output');
    this.node.tabIndex = 0;
  }

  async load(model: DagsModel): Promise<void> {
    this.node.textContent = 'Loading…';
    try {
      const view = await model.artifactView(this.artifactId);
      if (!RENDERERS.some((r) => r.kind === view.kind))
        throw new Error(`no tsfx renderer for ${view.kind} views`);
      this.node.replaceChildren();
      // drawPayload checks the payload with its kind's validator, as a notebook output's is.
      drawPayload(rendererFor(view.kind as RenderedKind), this.node, view.payload);
      this.node.dataset.kind = view.kind;
    } catch (error) {
      showError(this.node, error);
    }
  }
}
