import type { MIME_TYPES, PayloadMap, ViewKind } from '@tsfx/protocol';

/**
 * A renderer of one payload kind. Its payload type and validator come from `@tsfx/protocol`
 * (`PAYLOAD_SCHEMAS`); a new kind adds its schema there, a file (or a folder, by phase) under renderers/ and one line in
 * registry.ts.
 */
export type RenderedKind = ViewKind;

export interface RendererSpec<K extends RenderedKind> {
  readonly kind: K;
  readonly mimeType: (typeof MIME_TYPES)[K];
  /** Class of the root element the renderer draws (`tsfx-<kind>`). */
  readonly rootClass: `tsfx-${K}`;
  /** Draws the (checked) payload into `host` (empty on entry) using host.ownerDocument. */
  render(host: HTMLElement, payload: PayloadMap[K]): void;
}

export type AnyRendererSpec = { [K in RenderedKind]: RendererSpec<K> }[RenderedKind];
