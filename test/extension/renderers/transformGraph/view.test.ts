/// <reference lib="dom" />
// The transform graph view on the taxi Transform (fixtures/transform-graph.json, the kernel's
// transformGraphPayload of a real run): golden markup, nodes in order with their analyzer values
// and vocabularies, and the "only analyzed nodes" filter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePayload, PayloadError, type TransformGraphPayload } from '@tsfx/protocol';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import { assertGolden, fixture, newDocument } from '../../render-helpers';

const taxi = (): TransformGraphPayload => fixture('transform-graph.json') as TransformGraphPayload;

function render(data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor('transformGraph'), host, data);
  return host;
}

const nodeIds = (host: HTMLElement): number[] =>
  [...host.querySelectorAll('table.tsfx-tg-nodes tbody tr')].map((r) =>
    Number(r.getAttribute('data-node')),
  );

test('transform graph: golden markup of the taxi graph', () => {
  assertGolden('transform-graph.html', render(taxi()).innerHTML);
});

test('transform graph: every node in order, with its analyzer values and vocabularies', () => {
  const host = render(taxi());
  const payload = taxi();
  assert.deepEqual(
    nodeIds(host),
    payload.nodes.map((_, i) => i),
  );
  const fare = payload.nodes.find((n) => n.outputs.includes('fare_xf'))!;
  const row = host.querySelector(`tr[data-node="${fare.index}"]`)!;
  assert.equal(row.querySelector('.tsfx-tg-op')?.textContent, 'scaleToZScore');
  assert.ok(row.querySelector('[data-param="mean"]'), 'the mean is shown');
  assert.ok(row.querySelector('[data-param="std"]'), 'the std is shown');
  const company = payload.nodes.find((n) => n.outputs.includes('company_xf'))!;
  const vocab = host.querySelector(`tr[data-node="${company.index}"] .tsfx-tg-vocabulary`)!;
  assert.equal(vocab.querySelectorAll('code').length, 10, 'the 10 most frequent tokens');
  assert.match(vocab.textContent ?? '', /tokens; top/);
  // fare_bucket_xf fills in the missing bucket of 20 quantile buckets: 19 boundaries, folded.
  const filled = payload.nodes.find((n) => n.outputs.includes('fare_bucket_xf'))!;
  assert.equal(filled.op, 'fillInMissing');
  const fareBuckets = payload.nodes[filled.args[0]!]!;
  const details = host.querySelector(
    `tr[data-node="${fareBuckets.index}"] details[data-param="boundaries"] summary`,
  );
  assert.match(details?.textContent ?? '', /^boundaries: 19 values/);
});

test('transform graph: the checkbox keeps only the analyzed nodes, and brings all back', () => {
  const host = render(taxi());
  const payload = taxi();
  const box = host.querySelector<HTMLInputElement>('input.tsfx-tg-analyzers-only')!;
  box.checked = true;
  box.dispatchEvent(new host.ownerDocument.defaultView!.Event('change'));
  const analyzed = payload.nodes
    .filter((n) => n.analyzer !== null || n.vocabulary !== null)
    .map((n) => n.index);
  assert.ok(analyzed.length > 0 && analyzed.length < payload.nodes.length);
  assert.deepEqual(nodeIds(host), analyzed);
  box.checked = false;
  box.dispatchEvent(new host.ownerDocument.defaultView!.Event('change'));
  assert.equal(nodeIds(host).length, payload.nodes.length);
});

test('transform graph: the protocol refuses a node of unknown type', () => {
  const bad = structuredClone(taxi()) as unknown as { nodes: { type: unknown }[] };
  bad.nodes[0]!.type = 'BYTES';
  assert.throws(
    () => parsePayload('transformGraph', bad),
    (e: unknown) => e instanceof PayloadError && /payload\.nodes\[0\]\.type/.test(e.message),
  );
});
