/** The artifact reference every view shows in its header. */
import type { ArtifactRef } from '@tsfx/protocol';
import { h } from './dom.js';

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
    h(doc, 'code', { class: 'tsfx-artifact-uri', title: artifact.uri }, artifact.uri),
  );
}
