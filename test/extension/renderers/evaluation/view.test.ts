/// <reference lib="dom" />
// The evaluation view on the taxi evaluation: golden markup, the verdict and failures, the
// thresholds' pass and fail, and one test per interaction: sorting, the metric selector, the
// minimum example count and the threshold slider (plus a row selecting the plotted slice).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, type EvaluationPayload } from '@tsfx/protocol';
import '../../dom-globals';
import { assertGolden } from '../../render-helpers';
import { columnTexts, evaluation, render, setControl, tableSlices } from './helpers';

const sliceValue = (p: EvaluationPayload, slice: string, metric: string) =>
  p.slices.find((s) => s.name === slice)!.metrics.find((m) => m.name === metric)!.candidate;

test('evaluation: golden markup of the taxi evaluation', () => {
  assertGolden('evaluation.html', render('evaluation', evaluation()).innerHTML);
});

test('evaluation: the verdict, the failures, the models and the thresholds', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  const verdict = host.querySelector('.tsfx-eval-verdict');
  assert.equal(
    verdict?.classList.contains(`tsfx-eval-verdict-${p.validation.ok ? 'ok' : 'failed'}`),
    true,
  );
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-eval-failures li')].map((li) => li.textContent),
    p.validation.failures.map((f) => f.message),
  );
  assert.equal(
    host.querySelector('.tsfx-eval-thresholds')?.textContent,
    'Thresholds: binary_accuracy ≥ 0.6; change ≥ -1e-10 (HIGHER_IS_BETTER) · auc ≥ 0.9',
  );
  // The fixture's validations.json: 14 change failures of binary_accuracy (Overall and 13 hours).
  assert.equal(verdict?.textContent, 'Validation failed: 14 threshold failures');
  assert.equal(host.querySelectorAll('.tsfx-eval-failures li').length, 14);
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-eval-models code')].map((c) => c.textContent),
    [p.candidate, p.baseline],
  );
});

test('evaluation: each threshold passes or fails in colour, as validations.json says', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  setControl(host, 'metric', 'binary_accuracy');
  const rows = [...host.querySelectorAll<HTMLElement>('.tsfx-eval-table tbody tr')];
  let checked = 0;
  for (const row of rows) {
    const slice = row.getAttribute('data-slice')!;
    const value = row.querySelector('td .tsfx-eval-value');
    const diff = row.querySelector('td .tsfx-eval-diff');
    if (!value) continue; // a suppressed slice
    const failed = (isDiff: boolean) =>
      p.validation.failures.some(
        (f) => f.slice === slice && f.metric === 'binary_accuracy' && f.isDiff === isDiff,
      );
    assert.ok(value.classList.contains(failed(false) ? 'tsfx-eval-fail' : 'tsfx-eval-pass'), slice);
    assert.ok(diff?.classList.contains(failed(true) ? 'tsfx-eval-fail' : 'tsfx-eval-pass'), slice);
    checked++;
  }
  assert.ok(checked > 10);
  // A metric without a threshold has no colour.
  setControl(host, 'metric', 'loss');
  assert.equal(
    host.querySelector('.tsfx-eval-table tbody tr td:nth-child(2) .tsfx-eval-value')?.className,
    'tsfx-eval-value',
  );
});

test('evaluation: sorting the table by a metric, then the other way', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  const hours = p.slices.filter((s) => s.slicing === 'trip_start_hour');
  assert.deepEqual(
    tableSlices(host),
    hours.map((s) => s.name).sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])),
  );
  host.querySelector<HTMLButtonElement>('[data-sort="auc"]')!.click();
  const withAuc = hours.filter((s) => sliceValue(p, s.name, 'auc') !== null);
  const descending = [...withAuc].sort(
    (a, b) => sliceValue(p, b.name, 'auc')! - sliceValue(p, a.name, 'auc')!,
  );
  assert.deepEqual(
    tableSlices(host).slice(0, withAuc.length),
    descending.map((s) => s.name),
  );
  assert.deepEqual(
    columnTexts(host, 'auc').slice(0, withAuc.length),
    descending.map((s) => formatNumber(sliceValue(p, s.name, 'auc')!)),
  );
  assert.equal(
    host.querySelector('[data-sort="auc"]')?.closest('th')?.getAttribute('aria-sort'),
    'descending',
  );
  host.querySelector<HTMLButtonElement>('[data-sort="auc"]')!.click();
  assert.deepEqual(
    tableSlices(host).slice(0, withAuc.length),
    [...descending].reverse().map((s) => s.name),
  );
  assert.equal(
    host.querySelector('[data-sort="auc"]')?.closest('th')?.getAttribute('aria-sort'),
    'ascending',
  );
});

test('evaluation: the metric selector sets the bars and the first column', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  assert.equal(
    host.querySelector('[data-chart="slices"]')?.getAttribute('aria-label'),
    'auc of each slice, and its example count',
  );
  setControl(host, 'metric', 'binary_accuracy');
  const chart = host.querySelector('[data-chart="slices"]')!;
  assert.equal(
    chart.getAttribute('aria-label'),
    'binary_accuracy of each slice, and its example count',
  );
  assert.equal(
    host.querySelector('.tsfx-eval-table thead th:nth-child(2) button')?.getAttribute('data-sort'),
    'binary_accuracy',
  );
  const bar = chart.querySelector('rect.tsfx-eval-bar[data-slice="trip_start_hour:12"] title');
  const base = p.slices
    .find((s) => s.name === 'trip_start_hour:12')!
    .metrics.find((m) => m.name === 'binary_accuracy')!;
  assert.match(
    bar?.textContent ?? '',
    new RegExp(
      `^trip_start_hour:12: binary_accuracy ${formatNumber(base.candidate!)} \\(baseline ${formatNumber(base.baseline!)}\\)`,
    ),
  );
  assert.equal(
    (host.querySelector('[data-control="metric"]') as HTMLSelectElement).value,
    'binary_accuracy',
  );
});

test('evaluation: the minimum example count filters slices (never the overall slice)', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  const hours = p.slices.filter((s) => s.slicing === 'trip_start_hour');
  const counts = hours.map((s) => s.exampleCount ?? 0).sort((a, b) => a - b);
  const min = counts[Math.floor(counts.length / 2)]!;
  setControl(host, 'min-examples', String(min));
  const expected = hours.filter((s) => (s.exampleCount ?? 0) >= min).map((s) => s.name);
  assert.deepEqual([...tableSlices(host)].sort(), [...expected].sort());
  assert.ok(expected.length < hours.length);
  assert.equal(host.querySelectorAll('rect.tsfx-eval-bar').length, expected.length);
  assert.match(
    host.querySelector('.tsfx-eval-count-line')?.textContent ?? '',
    new RegExp(`^${expected.length} of ${hours.length} slices`),
  );
  setControl(host, 'min-examples', '-3');
  assert.equal(tableSlices(host).length, expected.length, 'a negative count is ignored');
  setControl(host, 'slicing', 'Overall');
  setControl(host, 'min-examples', '1000000000');
  assert.deepEqual(tableSlices(host), ['Overall']);
});

test('evaluation: the threshold slider sets the confusion matrix and the curves marker', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  const overall = p.plots.find((x) => x.slice === 'Overall' && x.model === 'candidate')!;
  const k = 20;
  setControl(host, 'threshold', String(k), 'input');
  const cm = host.querySelector('.tsfx-eval-confusion[data-model="candidate"]')!;
  const cell = (cls: string) => cm.querySelector(`.${cls}`)?.textContent?.replace(/,/g, '');
  assert.equal(cell('tsfx-eval-cm-tp'), String(overall.confusion.truePositives[k]));
  assert.equal(cell('tsfx-eval-cm-fp'), String(overall.confusion.falsePositives[k]));
  assert.equal(cell('tsfx-eval-cm-tn'), String(overall.confusion.trueNegatives[k]));
  assert.equal(cell('tsfx-eval-cm-fn'), String(overall.confusion.falseNegatives[k]));
  assert.equal(
    host.querySelector('.tsfx-eval-threshold-value')?.textContent,
    formatNumber(overall.confusion.thresholds[k]!),
  );
  const marker = host.querySelector('[data-chart="roc"] .tsfx-eval-marker')!;
  // The ROC marker is at (FPR, TPR) of that threshold: x = 34 + 190·FPR, y = 18 + 190·(1 − TPR).
  assert.equal(
    Number(marker.getAttribute('cx')),
    Math.round((34 + 190 * overall.confusion.falsePositiveRate[k]!) * 10) / 10,
  );
  assert.equal(
    Number(marker.getAttribute('cy')),
    Math.round((18 + 190 * (1 - overall.confusion.recall[k]!)) * 10) / 10,
  );
  assert.equal(
    host.querySelectorAll('[data-chart="roc"] path.tsfx-eval-curve').length,
    2,
    'candidate and baseline',
  );
});

test('evaluation: a table row selects the slice whose plots are drawn', () => {
  const p = evaluation();
  const host = render('evaluation', p);
  const row = host.querySelector<HTMLElement>(
    '.tsfx-eval-table tbody tr[data-slice="trip_start_hour:7"]',
  )!;
  row.click();
  assert.equal(
    (host.querySelector('[data-control="plot-slice"]') as HTMLSelectElement).value,
    'trip_start_hour:7',
  );
  const plots = p.plots.find((x) => x.slice === 'trip_start_hour:7' && x.model === 'candidate')!;
  const k = Number((host.querySelector('[data-control="threshold"]') as HTMLInputElement).value);
  assert.equal(
    host
      .querySelector('.tsfx-eval-confusion[data-model="candidate"] .tsfx-eval-cm-tp')
      ?.textContent?.replace(/,/g, ''),
    String(plots.confusion.truePositives[k]),
  );
  // At the default threshold (0.5, index 51), hour 7's candidate: 11 true positives, 6 false
  // negatives, 5 false positives, 84 true negatives (the fixture's plots, read in Python).
  assert.equal(k, 51);
  assert.deepEqual(
    ['tp', 'fn', 'fp', 'tn'].map(
      (c) =>
        host.querySelector(`.tsfx-eval-confusion[data-model="candidate"] .tsfx-eval-cm-${c}`)
          ?.textContent,
    ),
    ['11', '6', '5', '84'],
  );
  assert.ok(host.querySelector('tr.tsfx-eval-selected[data-slice="trip_start_hour:7"]'));
  // Every slicing's plots are in the payload (1 + 24 slices): no note of plots left out.
  assert.doesNotMatch(host.querySelector('.tsfx-eval-plots')?.textContent ?? '', /plots\.jsonl/);
});

test('evaluation: the plots of a slicing left out of the payload are named', () => {
  const p = {
    ...evaluation(),
    plotsOmitted: [{ slicing: 'trip_start_day_X_trip_start_hour', slices: 168 }],
  };
  const host = render('evaluation', p);
  assert.match(
    host.querySelector('.tsfx-eval-plots')?.textContent ?? '',
    /Plots of trip_start_day_X_trip_start_hour \(168 slices\) are in plots\.jsonl, not in this view\./,
  );
});
