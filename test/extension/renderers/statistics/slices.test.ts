/// <reference lib="dom" />
// Facets' chart controls on the taxi statistics: "raw data" lists the value counts behind a
// chart, a click on a bar selects its slice of values, "list length" draws the value list
// lengths, and with two datasets each feature shows its drift. Expected counts are the
// fixture's own (StatisticsGen's FeatureStats.json of the taxi train and eval splits).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { body, render, taxi } from './helpers';

function click(el: Element): void {
  el.dispatchEvent(new el.ownerDocument.defaultView!.MouseEvent('click', { bubbles: true }));
}

function toggle(host: HTMLElement, feature: string, key: string): HTMLButtonElement {
  const b = body(host, feature).querySelector<HTMLButtonElement>(`button[data-toggle="${key}"]`);
  assert.ok(b, `${feature} has a ${key} button`);
  return b;
}

const cellTexts = (row: Element): string[] =>
  [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');

test('raw data: the value counts behind a categorical chart, per dataset', () => {
  const host = render(taxi());
  const payment = body(host, 'payment_type');
  assert.equal(payment.querySelector('.tsfx-stats-raw'), null, 'hidden at first');
  click(toggle(host, 'payment_type', 'raw'));
  assert.equal(toggle(host, 'payment_type', 'raw').getAttribute('aria-pressed'), 'true');
  const rows = [...payment.querySelectorAll('.tsfx-stats-raw tbody tr')];
  assert.deepEqual(
    [...payment.querySelectorAll('.tsfx-stats-raw thead th')].map((th) => th.textContent),
    ['value', 'train count', 'share', 'eval count', 'share'],
  );
  assert.deepEqual(cellTexts(rows[0]!), ['Cash', '6,601', '66.0%', '3,308', '66.2%']);
  assert.deepEqual(cellTexts(rows[1]!), ['Credit Card', '3,321', '33.2%', '1,653', '33.1%']);
  click(toggle(host, 'payment_type', 'raw'));
  assert.equal(payment.querySelector('.tsfx-stats-raw'), null, 'hidden again');
});

test('raw data: the buckets of a numeric histogram', () => {
  const host = render(taxi());
  // Only train: its own buckets, unchanged by re-bucketing onto common edges.
  click(host.querySelector('button.tsfx-stats-dataset[data-dataset="eval"]')!);
  click(toggle(host, 'fare', 'raw'));
  const rows = [...body(host, 'fare').querySelectorAll('.tsfx-stats-raw tbody tr')];
  assert.equal(rows.length, 10);
  assert.deepEqual(cellTexts(rows[0]!), ['[0, 70.01)', '9,991', '99.9%']);
  assert.deepEqual(cellTexts(rows[1]!), ['[70.01, 140.01)', '7', '0.07%']);
});

test('a click on a bar selects its value: highlighted, with its counts', () => {
  const host = render(taxi());
  const payment = body(host, 'payment_type');
  const cash = payment.querySelector(
    'g.tsfx-stats-value[data-value-label="Cash"] rect.tsfx-stats-bar',
  )!;
  click(cash);
  const line = payment.querySelector('.tsfx-stats-selection');
  assert.equal(line?.textContent, 'Cash: train 6,601 (66.0%) · eval 3,308 (66.2%)');
  const selected = [...payment.querySelectorAll('rect.tsfx-stats-bar.tsfx-stats-selected')];
  assert.deepEqual(
    selected.map((r) => r.getAttribute('data-dataset')),
    ['train', 'eval'],
  );
  // Another bar moves the selection; a second click on it clears it.
  const credit = payment.querySelector('g.tsfx-stats-value[data-value-label="Credit Card"] rect')!;
  click(credit);
  assert.match(payment.querySelector('.tsfx-stats-selection')?.textContent ?? '', /^Credit Card:/);
  click(payment.querySelector('g.tsfx-stats-value[data-value-label="Credit Card"] rect')!);
  assert.equal(payment.querySelector('.tsfx-stats-selection'), null);
  assert.equal(payment.querySelectorAll('.tsfx-stats-selected').length, 0);
});

test('a click on a histogram bucket selects its range', () => {
  const host = render(taxi());
  click(host.querySelector('button.tsfx-stats-dataset[data-dataset="eval"]')!);
  const fare = body(host, 'fare');
  click(fare.querySelector('rect.tsfx-stats-hit[data-bucket="1"]')!);
  assert.equal(
    fare.querySelector('.tsfx-stats-selection')?.textContent,
    '[70.01, 140.01): train 7 (0.07%)',
  );
  assert.equal(fare.querySelectorAll('rect.tsfx-stats-bar.tsfx-stats-selected').length, 1);
  // With raw data shown too, its row is marked.
  click(toggle(host, 'fare', 'raw'));
  const marked = fare.querySelector('.tsfx-stats-raw tr.tsfx-stats-selected');
  assert.equal(marked?.getAttribute('data-slice'), '1');
});

test('list length: the quantiles of the value list lengths (every taxi value list has 1)', () => {
  const host = render(taxi());
  const company = body(host, 'company');
  click(toggle(host, 'company', 'lengths'));
  const svg = company.querySelector('svg')!;
  assert.equal(svg.getAttribute('data-chart'), 'lengths');
  const rows = [...svg.querySelectorAll('g.tsfx-stats-quantiles')];
  assert.deepEqual(
    rows.map((g) => [g.getAttribute('data-dataset'), g.getAttribute('data-quantiles')]),
    [
      ['train', '10'],
      ['eval', '10'],
    ],
  );
  assert.match(rows[0]!.querySelector('title')?.textContent ?? '', /^train quantiles: 1(, 1){10}$/);
  assert.equal(toggle(host, 'company', 'log').disabled, true, 'no log scale for lengths');
  click(toggle(host, 'company', 'lengths'));
  assert.notEqual(company.querySelector('svg')!.getAttribute('data-chart'), 'lengths');
});

test('two datasets: each feature shows its drift under its name, as the distance sorts do', () => {
  const host = render(taxi());
  const drift = body(host, 'payment_type').querySelector('.tsfx-stats-drift');
  assert.match(drift?.textContent ?? '', /^L∞ \d\.\d{3} · JS \d\.\d{3}$/);
  assert.equal(drift?.getAttribute('title'), 'drift train vs eval');
  const [linf, js] = (drift?.textContent ?? '').split(' · ');
  const sort = host.querySelector<HTMLSelectElement>('select.tsfx-stats-sort')!;
  for (const [key, text] of [
    ['linf', linf],
    ['js', js],
  ] as const) {
    sort.value = key;
    sort.dispatchEvent(new sort.ownerDocument.defaultView!.Event('change'));
    const payment = body(host, 'payment_type');
    assert.equal(payment.querySelector('.tsfx-stats-metric')?.textContent, text);
    assert.equal(payment.querySelector('.tsfx-stats-drift'), null, 'not twice');
  }
  // One dataset: nothing to drift from.
  const one = taxi();
  one.datasets = one.datasets.slice(0, 1);
  assert.equal(render(one).querySelector('.tsfx-stats-drift'), null);
});
