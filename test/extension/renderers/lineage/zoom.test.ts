/// <reference lib="dom" />
// The lineage view at a legible size: ids on nodes, cached repeats collapsed with a count, and
// zoom buttons (the drawing's group is scaled; jsdom has no layout, so fitting is left to the
// browser test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import type { LineagePayload } from '@tsfx/protocol';
import { fixture, newDocument } from '../../render-helpers';

function render(data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor('lineage'), host, data);
  return host;
}

/** The fixture's lineage with CsvExampleGen run twice more from the cache (e5, e6 repeat e4). */
function withRepeats(): LineagePayload {
  const payload = fixture('lineage.json') as LineagePayload;
  const e4 = payload.nodes.find((n) => n.id === 'e4')!;
  for (const id of ['e5', 'e6']) {
    payload.nodes.push({ ...e4, id, properties: { ...e4.properties, id: Number(id.slice(1)) } });
    payload.edges.push({ source: id, target: 'a1', kind: 'output' });
  }
  return payload;
}

const stateLine = (host: HTMLElement, id: string): string | null | undefined =>
  host.querySelector(`g.tsfx-node[data-node-id="${id}"] .tsfx-node-state`)?.textContent;

test('lineage: every node shows its id; two Examples nodes read apart', () => {
  const host = render(fixture('lineage.json'));
  assert.equal(stateLine(host, 'a1'), '#1 · LIVE');
  assert.equal(stateLine(host, 'e4'), '#4 · CACHED');
});

test('lineage: repeated cached executions are one node with a count', () => {
  const host = render(withRepeats());
  const ids = [...host.querySelectorAll('g.tsfx-node')].map((g) => g.getAttribute('data-node-id'));
  assert.deepEqual(ids.sort(), ['a1', 'a2', 'a3', 'e1', 'e2', 'e3', 'e4']);
  assert.equal(stateLine(host, 'e4'), '#4 · CACHED ×3');
  assert.equal(host.querySelectorAll('path.tsfx-edge').length, 6);
  assert.match(host.querySelector('.tsfx-subtitle')?.textContent ?? '', /2 repeats collapsed/);
  const node = host.querySelector<SVGGElement>('g.tsfx-node[data-node-id="e4"]')!;
  node.dispatchEvent(new node.ownerDocument.defaultView!.MouseEvent('click', { bubbles: true }));
  const rows = new Map(
    [...host.querySelectorAll('.tsfx-lineage-details tr')].map((tr) => [
      tr.querySelector('th')?.textContent,
      tr.querySelector('td')?.textContent,
    ]),
  );
  assert.equal(rows.get('executions'), '3');
  assert.equal(rows.get('ids'), '4, 5, 6');
});

test('lineage: the zoom buttons scale the drawing, fit returns to scale 1 without layout', () => {
  const host = render(fixture('lineage.json'));
  const svg = host.querySelector<SVGSVGElement>('svg.tsfx-lineage-svg')!;
  const group = svg.querySelector('g.tsfx-lineage-zoom')!;
  assert.equal(svg.getAttribute('data-zoom'), '1');
  const button = (label: string) =>
    host.querySelector<HTMLButtonElement>(`.tsfx-zoom button[aria-label="${label}"]`)!;
  button('zoom in').click();
  assert.equal(svg.getAttribute('data-zoom'), '1.25');
  assert.match(group.getAttribute('transform') ?? '', /scale\(1\.25\)$/);
  button('zoom out').click();
  button('zoom out').click();
  assert.equal(svg.getAttribute('data-zoom'), '0.8');
});
