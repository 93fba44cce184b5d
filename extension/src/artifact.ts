/** The artifact reference every view shows in its header. */
import type { ArtifactRef } from '@tsfx/protocol';
import { h } from './dom.js';

/** Path segments kept whole at the end of a URI (TFX's `<component>/<output>/<execution id>`). */
const TAIL_SEGMENTS = 3;

/**
 * A URI cut in the middle when it does not fit: its start shrinks to an ellipsis, its last
 * segments stay; the whole URI on hover.
 */
export function uriText(doc: Document, uri: string): HTMLElement {
  const parts = uri.split('/');
  const cut = Math.max(0, parts.length - TAIL_SEGMENTS);
  const head = cut === 0 ? '' : `${parts.slice(0, cut).join('/')}/`;
  const tail = parts.slice(cut).join('/');
  return h(
    doc,
    'code',
    { class: 'tsfx-artifact-uri', title: uri },
    head ? h(doc, 'span', { class: 'tsfx-uri-head' }, head) : null,
    h(doc, 'span', { class: 'tsfx-uri-tail' }, tail),
  );
}

/** A button that copies `text` to the clipboard, saying so for a moment. */
export function copyButton(doc: Document, text: string, what: string): HTMLButtonElement {
  const label = `copy ${what}`;
  const button = h(
    doc,
    'button',
    { class: 'tsfx-copy', type: 'button', title: label, 'aria-label': label },
    'copy',
  );
  button.addEventListener('click', () => {
    const clipboard = doc.defaultView?.navigator.clipboard;
    if (!clipboard) return;
    clipboard.writeText(text).then(
      () => {
        button.textContent = 'copied';
        button.setAttribute('data-copied', 'true');
        doc.defaultView?.setTimeout(() => {
          button.textContent = 'copy';
          button.removeAttribute('data-copied');
        }, 1500);
      },
      () => {
        button.textContent = 'copy failed';
      },
    );
  });
  return button;
}

export function artifactLine(doc: Document, artifact: ArtifactRef): HTMLElement {
  return h(
    doc,
    'div',
    { class: 'tsfx-artifact-line' },
    h(doc, 'span', { class: 'tsfx-artifact-type' }, artifact.type),
    // Opened from a file, the artifact's id is unknown (it lives in the metadata store).
    artifact.id === null ? null : h(doc, 'span', { class: 'tsfx-artifact-id' }, `#${artifact.id}`),
    artifact.producer
      ? h(doc, 'span', { class: 'tsfx-artifact-producer' }, `from ${artifact.producer}`)
      : null,
    uriText(doc, artifact.uri),
    copyButton(doc, artifact.uri, 'the artifact URI'),
  );
}
