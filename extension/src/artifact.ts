/** The artifact reference every view shows in its header, and its payload check. */
import type { ArtifactRef } from './payloads.js';
import { h } from './dom.js';
import { nullable, number, record, string } from './validate.js';

export function parseArtifact(v: unknown, path: string): ArtifactRef {
  const r = record(v, path);
  return {
    id: number(r['id'], `${path}.id`),
    type: string(r['type'], `${path}.type`),
    uri: string(r['uri'], `${path}.uri`),
    producer: nullable(string)(r['producer'], `${path}.producer`),
  };
}

export function artifactLine(doc: Document, artifact: ArtifactRef): HTMLElement {
  return h(
    doc,
    'div',
    { class: 'tsfx-artifact-line' },
    h(doc, 'span', { class: 'tsfx-artifact-type' }, artifact.type),
    h(doc, 'span', { class: 'tsfx-artifact-id' }, `#${artifact.id}`),
    artifact.producer
      ? h(doc, 'span', { class: 'tsfx-artifact-producer' }, `from ${artifact.producer}`)
      : null,
    h(doc, 'code', { class: 'tsfx-artifact-uri', title: artifact.uri }, artifact.uri),
  );
}
