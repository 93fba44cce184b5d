/**
 * jupyterlab-tsfx: JupyterLab mime renderers for tsfx artifacts. Each renderer in the registry
 * becomes one mime renderer extension for its MIME type.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { AnyRendererSpec, RenderedKind, RendererSpec } from './types.js';
import { RENDERERS } from './registry.js';
import { TsfxRenderer } from './widget.js';

export { MIME_TYPES } from '@tsfx/protocol';
export { RENDERERS, rendererFor, renderPayload } from './registry.js';
export { RENDER_MEASURE_PREFIX, TsfxRenderer } from './widget.js';
export type { AnyRendererSpec, RenderedKind, RendererSpec } from './types.js';

function factoryFor<K extends RenderedKind>(spec: RendererSpec<K>): IRenderMime.IRendererFactory {
  return {
    // The renderers build DOM nodes from the JSON with textContent only: no HTML is injected,
    // so they are safe in untrusted notebooks too.
    safe: true,
    mimeTypes: [spec.mimeType],
    defaultRank: 0,
    createRenderer: () => new TsfxRenderer(spec),
  };
}

function extensionFor(spec: AnyRendererSpec): IRenderMime.IExtension {
  return {
    id: `jupyterlab-tsfx:${spec.kind}`,
    description: `Renders tsfx ${spec.kind} artifacts (${spec.mimeType}).`,
    rendererFactory: factoryFor(spec),
    rank: 0,
    dataType: 'json',
  };
}

const extensions: IRenderMime.IExtension[] = RENDERERS.map(extensionFor);

export default extensions;
