/// <reference lib="dom" />
// Facets' "expand": the checkbox that draws every chart larger, on a row of its own, with real
// axes. Expected tick labels are the taxi fixture's values (Python: json of
// fixtures/statistics.json; f'{1357000200:,}'), written in the table's number format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { textWidth, thinned } from '../../../../extension/src/renderers/statistics/axes';
import { featureChart } from '../../../../extension/src/renderers/statistics/charts';
import { StatisticsModel } from '../../../../extension/src/renderers/statistics/model';
import { body, check, choose, render, taxi } from './helpers';

const expandBox = (host: HTMLElement): HTMLInputElement =>
  host.querySelector<HTMLInputElement>('input.tsfx-stats-expand')!;

function expanded(): HTMLElement {
  const host = render(taxi());
  check(expandBox(host));
  return host;
}

const chart = (host: HTMLElement, feature: string): SVGSVGElement =>
  body(host, feature).querySelector<SVGSVGElement>('td.tsfx-stats-chart svg')!;

/** A tick's label: its text without its hover title. */
const labelOf = (t: Element): string => t.firstChild?.textContent ?? '';

const tickLabels = (svg: SVGSVGElement, axis: 'x' | 'y'): string[] =>
  [...svg.querySelectorAll(`g.tsfx-stats-${axis}axis text.tsfx-stats-tick`)].map(labelOf);

const title = (svg: SVGSVGElement, axis: 'x' | 'y'): string =>
  svg.querySelector(`.tsfx-stats-${axis}title`)?.textContent ?? '';

const toggle = (host: HTMLElement, feature: string, name: string): HTMLButtonElement =>
  body(host, feature).querySelector<HTMLButtonElement>(`button[data-toggle="${name}"]`)!;

test('statistics expanded: a labelled checkbox; each chart on a row of its own, larger', () => {
  const host = render(taxi());
  const box = expandBox(host);
  assert.equal(box.closest('label')?.textContent, ' expand charts');
  assert.equal(box.checked, false);
  const compact = chart(host, 'fare');
  assert.equal(compact.getAttribute('data-expanded'), null);
  assert.equal(compact.getAttribute('height'), '96');

  check(box);
  assert.ok(host.querySelector('.tsfx-statistics')!.classList.contains('tsfx-stats-expanded'));
  const fare = body(host, 'fare');
  const row = fare.querySelector('tr.tsfx-stats-chart-row');
  assert.ok(row, 'the chart has a row of its own');
  assert.equal(row.querySelector('td')!.colSpan, 10, 'across name, dataset and 8 statistics');
  const svg = chart(host, 'fare');
  assert.equal(svg.getAttribute('data-expanded'), 'true');
  assert.equal(svg.getAttribute('width'), '480');
  assert.ok(Number(svg.getAttribute('height')) > 200, `height ${svg.getAttribute('height')}`);
});

test('statistics expanded: a histogram shows its bucket edges and counts as ticks, with titles', () => {
  const host = expanded();
  const fare = chart(host, 'fare');
  const x = tickLabels(fare, 'x');
  // The first and last bucket edges of fare across train and eval: 0 and 700.07.
  assert.equal(x[0], '0');
  assert.equal(x[x.length - 1], '700.07');
  assert.ok(x.length >= 3, `${x}`);
  assert.equal(title(fare, 'x'), 'fare');
  // Train's tallest bucket holds 9,991 examples: round counts up to it.
  assert.deepEqual(tickLabels(fare, 'y'), ['0', '2,000', '4,000', '6,000', '8,000']);
  assert.equal(title(fare, 'y'), 'examples');
  // Both datasets overlaid, named in the chart's legend.
  assert.deepEqual(
    [...fare.querySelectorAll('.tsfx-stats-key-name')].map((t) => t.textContent),
    ['train', 'eval'],
  );
  const timestamps = chart(host, 'trip_start_timestamp');
  const start = tickLabels(timestamps, 'x');
  assert.equal(start[0], '1,357,000,200');
  assert.equal(start[start.length - 1], '1,483,116,300');
  // Timestamps show their dates on hover; Python: datetime.fromtimestamp(1357000200, UTC).
  const first = timestamps.querySelector('g.tsfx-stats-xaxis text.tsfx-stats-tick title');
  assert.equal(first?.textContent, '2013-01-01 00:30:00 UTC');
  assert.equal(fare.querySelector('g.tsfx-stats-xaxis title'), null, 'a fare is no date');
});

test('statistics expanded: the y axis follows the log toggle and percentages', () => {
  const host = expanded();
  toggle(host, 'fare', 'log').click();
  const log = chart(host, 'fare');
  assert.deepEqual(
    [...log.querySelectorAll('g.tsfx-stats-yaxis text.tsfx-stats-tick')].map((t) =>
      t.getAttribute('data-tick'),
    ),
    // 1 is 13 px above 0: too close to label.
    ['0', '10', '100', '1000'],
  );
  assert.equal(title(log, 'y'), 'examples (log scale)');
  // log1p spacing: 1,000 sits at log1p(1000) / log1p(9991) = 0.75 of the plot's height.
  const ys = [
    ...log.querySelectorAll<SVGLineElement>('g.tsfx-stats-yaxis line.tsfx-stats-grid'),
  ].map((l) => Number(l.getAttribute('y1')));
  const share =
    (ys[0]! - ys[3]!) /
    (ys[0]! - Number(log.querySelector('rect.tsfx-stats-hit')!.getAttribute('y')));
  assert.ok(Math.abs(share - 0.75) < 0.01, `1,000 at ${share}`);

  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-percent')!);
  const tips = chart(host, 'tips');
  assert.ok(
    tickLabels(tips, 'y').every((l) => /^\d+\.\d%$/.test(l)),
    `${tickLabels(tips, 'y')}`,
  );
  assert.equal(title(tips, 'y'), '% of examples');
});

test('statistics expanded: top values, CDF, quantiles and list lengths have axes', () => {
  const host = expanded();
  const payment = chart(host, 'payment_type');
  assert.equal(payment.getAttribute('data-chart'), 'bars');
  assert.deepEqual(
    [...payment.querySelectorAll('text.tsfx-stats-label')].map((t) => t.textContent),
    ['Cash', 'Credit Card', 'No Charge', 'Unknown', 'Dispute', 'Pcard', 'Prcard'],
  );
  // Train's Cash: 6,601 examples.
  assert.deepEqual(tickLabels(payment, 'x'), ['0', '2,000', '4,000', '6,000']);
  assert.equal(title(payment, 'x'), 'examples');
  assert.equal(title(payment, 'y'), 'payment_type');

  const company = chart(host, 'company');
  assert.equal(company.getAttribute('data-chart'), 'cdf');
  const ranks = tickLabels(company, 'x');
  assert.equal(ranks[0], '1');
  assert.equal(ranks[ranks.length - 1], '50', 'train has 50 companies');
  assert.equal(title(company, 'x'), 'company: value rank');
  assert.equal(title(company, 'y'), 'cumulative examples');

  toggle(host, 'fare', 'quantiles').click();
  const quantiles = chart(host, 'fare');
  assert.equal(quantiles.getAttribute('data-chart'), 'quantiles');
  const q = tickLabels(quantiles, 'x');
  assert.deepEqual([q[0], q[q.length - 1]], ['0', '700.07']);
  assert.deepEqual(tickLabels(quantiles, 'y'), ['train', 'eval']);
  assert.equal(title(quantiles, 'y'), 'dataset');

  toggle(host, 'fare', 'lengths').click();
  const lengths = chart(host, 'fare');
  assert.equal(lengths.getAttribute('data-chart'), 'lengths');
  // Every taxi example has one fare value.
  assert.deepEqual(tickLabels(lengths, 'x'), ['1']);
  assert.equal(title(lengths, 'x'), 'values per example');
});

test('statistics expanded: tick labels stay inside the chart, from 200 to 720 px', () => {
  const model = new StatisticsModel(taxi());
  model.expanded = true;
  for (const width of [200, 480, 720]) {
    model.expandedWidth = width;
    for (const name of ['fare', 'trip_start_timestamp', 'payment_type', 'company']) {
      const f = model.features.find((x) => x.name === name)!;
      const svg = featureChart(document, f, model.chartMode(f), model.chartOptions(f));
      assert.equal(svg.getAttribute('width'), String(width));
      for (const t of svg.querySelectorAll('g.tsfx-stats-xaxis text.tsfx-stats-tick')) {
        const x = Number(t.getAttribute('x'));
        const half = textWidth(labelOf(t)) / 2;
        assert.ok(
          x - half >= 0 && x + half <= width,
          `${name} "${labelOf(t)}" at ${x} of ${width}`,
        );
      }
    }
  }
});

test('statistics expanded: off again, the compact charts are as before; state survives redraws', () => {
  const host = render(taxi());
  const tables = (): string =>
    [...host.querySelectorAll('.tsfx-stats-scroll')].map((s) => s.innerHTML).join('');
  const before = tables();
  const box = expandBox(host);
  check(box);
  // Sorting, searching and percentages redraw the tables: the charts stay expanded.
  choose(host.querySelector<HTMLSelectElement>('select.tsfx-stats-sort')!, 'name');
  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-percent')!);
  assert.equal(chart(host, 'fare').getAttribute('data-expanded'), 'true');
  assert.equal(chart(host, 'payment_type').getAttribute('data-expanded'), 'true');
  toggle(host, 'fare', 'quantiles').click();
  assert.equal(chart(host, 'fare').getAttribute('data-chart'), 'quantiles');
  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-percent')!);
  choose(host.querySelector<HTMLSelectElement>('select.tsfx-stats-sort')!, 'order');
  check(box);
  // Compact again, the per-chart choice kept; toggled back, every chart is as it was.
  assert.equal(chart(host, 'fare').getAttribute('data-chart'), 'quantiles');
  assert.equal(chart(host, 'fare').getAttribute('data-expanded'), null);
  toggle(host, 'fare', 'quantiles').click();
  assert.equal(tables(), before);
});

test('statistics expanded: tick labels are thinned to every k-th, keeping the first and last', () => {
  const ticks = Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i), at: i * 10 }));
  // Labels 20 px wide need 26 px apart: every third tick, and the last (9 is too close to the
  // last, 10, and gives way to it).
  assert.deepEqual(
    thinned(ticks, () => 20).map((t) => t.value),
    [0, 3, 6, 10],
  );
  assert.deepEqual(
    thinned(ticks, () => 4).map((t) => t.value),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    thinned(ticks, () => 200).map((t) => t.value),
    [0],
  );
});
