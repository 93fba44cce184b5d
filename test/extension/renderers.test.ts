/// <reference lib="dom" />
// jupyterlab-tsfx renderers on fixed payloads (fixtures/), compared with golden markup, plus
// their interactions and their payload checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIME_TYPES } from '@tsfx/protocol';
import { RENDERERS, rendererFor, renderPayload } from '../../extension/src/registry';
import { PayloadError, parsePayload } from '@tsfx/protocol';
import { layoutLineage } from '../../extension/src/renderers/lineage';
import { assertGolden, fixture, newDocument, normaliseIds } from './render-helpers';

function render(kind: 'examples' | 'lineage', data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor(kind), host, data);
  return host;
}

test('each renderer draws the MIME type the protocol gives its kind', () => {
  for (const spec of RENDERERS) {
    assert.equal(spec.mimeType, MIME_TYPES[spec.kind]);
    assert.equal(spec.rootClass, `tsfx-${spec.kind}`);
  }
  assert.deepEqual(
    RENDERERS.map((r) => r.kind),
    [
      'examples',
      'statistics',
      'schema',
      'anomalies',
      'lineage',
      'training',
      'model',
      'transformGraph',
      'evaluation',
      'evaluation-history',
      'blessing',
      'pushed-model',
    ],
  );
});

test('examples: golden markup', () => {
  const host = render('examples', fixture('examples.json'));
  assertGolden('examples.html', host.innerHTML);
});

test('examples: splits with row counts and a typed sample table', () => {
  const host = render('examples', fixture('examples.json'));
  const root = host.querySelector('.tsfx-examples');
  assert.ok(root);
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('.tsfx-split')];
  assert.deepEqual(
    tabs.map((t) => t.textContent),
    ['train10,000 rows66.7%', 'eval5,000 rows33.3%'],
  );
  assert.equal(
    root.querySelector('.tsfx-subtitle')?.textContent,
    '15,000 rows · 2 splits · 18 columns',
  );
  const headers = [...root.querySelectorAll('thead th')].map((th) => th.textContent);
  assert.equal(headers[0], '#');
  assert.equal(headers[1], 'pickup_community_areaINT');
  assert.equal(headers[2], 'fareFLOAT');
  assert.equal(headers[14], 'payment_typeSTRING');
  assert.equal(headers[15], 'companySTRING');
  assert.equal(root.querySelectorAll('tbody tr').length, 10);
  // pickup_census_tract is empty everywhere: TFX types such a column STRING.
  assert.equal(headers[12], 'pickup_census_tractSTRING');
  // A missing value is shown as null, numbers are right-aligned cells.
  assert.equal(root.querySelector('tbody tr td.tsfx-null')?.textContent, 'null');
  assert.equal(root.querySelector('tbody tr td.tsfx-num')?.textContent, '60');

  tabs[1]!.click();
  assert.equal(tabs[1]!.getAttribute('aria-selected'), 'true');
  assert.equal(tabs[0]!.getAttribute('aria-selected'), 'false');
  assert.equal(root.querySelectorAll('tbody tr').length, 10);
  assert.equal(
    root.querySelector('.tsfx-examples-caption')?.textContent,
    'Rows 1–10 of 5,000 in "eval"',
  );
  assert.equal(root.querySelector('tbody tr td.tsfx-num')?.textContent, '11');
});

test('lineage: golden markup and SVG', () => {
  const host = render('lineage', fixture('lineage.json'));
  assertGolden('lineage.html', host.innerHTML);
  const svg = host.querySelector('svg');
  assert.ok(svg);
  const standalone = svg.cloneNode(true) as SVGSVGElement;
  standalone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  assertGolden('lineage.svg', standalone.outerHTML);
});

test('lineage: a left-to-right layout of every node and edge, cached executions marked', () => {
  // The Schema's lineage after CsvExampleGen ran twice, the second time from the cache.
  const payload = parsePayload('lineage', fixture('lineage.json'));
  const layout = layoutLineage(payload);
  assert.equal(layout.nodes.length, 7);
  const x = (id: string) => layout.nodes.find((n) => n.node.id === id)!.x;
  // A chain e1 -> a1 -> e2 -> a2 -> e3 -> a3 goes left to right; the cached e4 feeds a1 too.
  const chain = ['e1', 'a1', 'e2', 'a2', 'e3', 'a3'].map(x);
  assert.deepEqual(
    [...chain].sort((a, b) => a - b),
    chain,
  );
  assert.ok(x('e4') < x('a1'));
  for (const e of layout.edges)
    assert.ok(e.points.length >= 2, `${e.source}->${e.target} has a path`);

  const host = render('lineage', fixture('lineage.json'));
  const cached = [...host.querySelectorAll('g.tsfx-node.tsfx-cached')].map((g) =>
    g.getAttribute('data-node-id'),
  );
  assert.deepEqual(cached, ['e4']);
  assert.equal(host.querySelectorAll('path.tsfx-edge').length, 6);
  assert.equal(host.querySelectorAll('path.tsfx-edge-input').length, 2);
  assert.equal(host.querySelector('g.tsfx-focus')?.getAttribute('data-node-id'), 'a3');
});

test('lineage: clicking a node shows its properties', () => {
  const host = render('lineage', fixture('lineage.json'));
  const details = host.querySelector('.tsfx-lineage-details');
  assert.ok(details);
  // The focused artifact is selected first.
  assert.equal(details.querySelector('.tsfx-details-id')?.textContent, 'a3');
  const node = host.querySelector<SVGGElement>('g.tsfx-node[data-node-id="e4"]');
  assert.ok(node);
  node.dispatchEvent(new node.ownerDocument.defaultView!.MouseEvent('click', { bubbles: true }));
  assert.equal(details.querySelector('.tsfx-details-id')?.textContent, 'e4');
  assert.equal(node.getAttribute('aria-pressed'), 'true');
  assert.equal(host.querySelectorAll('g.tsfx-node.tsfx-selected').length, 1);
  const rows = [...details.querySelectorAll('tr')].map((tr) => [
    tr.querySelector('th')?.textContent,
    tr.querySelector('td')?.textContent,
  ]);
  assert.deepEqual(rows, [
    ['state', 'CACHED'],
    ['cached', 'true'],
    ['cached_from', '1'],
    ['component_type', 'CsvExampleGen'],
    ['duration_ms', '1500'],
    ['id', '4'],
    ['run_id', 'r'],
    ['started', '2026-11-26T10:00:04.000Z'],
  ]);
  // Keyboard: Enter on a focused node selects it too.
  const first = host.querySelector<SVGGElement>('g.tsfx-node[data-node-id="e1"]')!;
  first.dispatchEvent(
    new first.ownerDocument.defaultView!.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }),
  );
  assert.equal(details.querySelector('.tsfx-details-id')?.textContent, 'e1');
});

test('two views in one page get distinct marker ids', () => {
  const { document } = newDocument();
  const a = document.createElement('div');
  const b = document.createElement('div');
  renderPayload(rendererFor('lineage'), a, fixture('lineage.json'));
  renderPayload(rendererFor('lineage'), b, fixture('lineage.json'));
  const idA = a.querySelector('marker')?.id;
  const idB = b.querySelector('marker')?.id;
  assert.ok(idA && idB && idA !== idB);
  assert.equal(normaliseIds(a.innerHTML), normaliseIds(b.innerHTML));
});

test('malformed payloads are rejected with the path of the problem', () => {
  const examples = fixture('examples.json') as { columns: { type: string }[] };
  examples.columns[1]!.type = 'DOUBLE';
  assert.throws(
    () => parsePayload('examples', examples),
    (e: unknown) => e instanceof PayloadError && e.path === 'payload.columns[1].type',
  );
  assert.throws(
    () => parsePayload('examples', { kind: 'lineage' }),
    /payload.kind should be "examples"/,
  );
  const lineage = fixture('lineage.json') as { edges: { target: string }[] };
  lineage.edges[0]!.target = 'a99';
  assert.throws(
    () => parsePayload('lineage', lineage),
    /payload.edges\[0\].target should be a node id, got "a99"/,
  );
  assert.throws(
    () => render('lineage', { kind: 'lineage', focus: 'a1', nodes: 'x', edges: [] }),
    /payload.nodes should be an array/,
  );
});
