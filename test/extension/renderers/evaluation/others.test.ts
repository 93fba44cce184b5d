/// <reference lib="dom" />
// The evaluation history (a metric across model versions), the blessing and the pushed model
// views on the taxi run's payloads: golden markup and what each says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber } from '@tsfx/protocol';
import '../../dom-globals';
import { assertGolden } from '../../render-helpers';
import { blessing, history, pushedModel, render, setControl } from './helpers';

test('evaluation history: golden markup, a point per evaluation, the metric selector', () => {
  const p = history();
  const host = render('evaluation-history', p);
  assertGolden('evaluation-history.html', host.innerHTML);
  assert.equal(p.evaluations.length, 2);
  const titles = () =>
    [...host.querySelectorAll('[data-chart="history"] circle title')].map((t) => t.textContent);
  const value = (i: number, m: string) =>
    p.evaluations[i]!.metrics.find((x) => x.name === m)!.value!;
  assert.match(titles()[0]!, new RegExp(`: auc ${formatNumber(value(0, 'auc'))}`));
  setControl(host, 'metric', 'loss');
  assert.equal(
    host.querySelector('[data-chart="history"]')?.getAttribute('aria-label'),
    'loss across model versions',
  );
  assert.match(titles()[1]!, new RegExp(`: loss ${formatNumber(value(1, 'loss'))}`));
  // Oldest first: the 100-step baseline, then the 400-step model.
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-eval-table tbody tr')].map((tr) =>
      tr.getAttribute('data-evaluation'),
    ),
    p.evaluations.map((e) => String(e.artifact.id)),
  );
});

test('blessing: golden markup; the verdict, the models and the failed thresholds', () => {
  const p = blessing();
  const host = render('blessing', p);
  assertGolden('blessing.html', host.innerHTML);
  const verdict = host.querySelector('.tsfx-eval-verdict')!;
  assert.equal(verdict.textContent, p.blessed ? 'BLESSED' : 'NOT BLESSED');
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-model-ref code')].map((c) => c.textContent),
    [p.model!.uri, p.baseline!.uri],
  );
  assert.equal(host.querySelectorAll('.tsfx-eval-failures li').length, p.failures.length);
  const blessed = render('blessing', { ...p, blessed: true, failures: [] });
  assert.equal(blessed.querySelector('.tsfx-eval-verdict-ok')?.textContent, 'BLESSED');
  assert.equal(blessed.querySelector('.tsfx-eval-failures'), null);
});

test('pushed model: golden markup; pushed or not, destination, version and model', () => {
  const p = pushedModel();
  const host = render('pushed-model', p);
  assertGolden('pushed-model.html', host.innerHTML);
  const facts = [...host.querySelectorAll('.tsfx-eval-facts dd')].map((d) => d.textContent);
  assert.equal(facts[0], p.destination ?? '—');
  assert.equal(facts[1], p.version ?? '—');
  const pushed = render('pushed-model', {
    ...p,
    pushed: true,
    destination: '/serving/7',
    version: '7',
  });
  assert.equal(pushed.querySelector('.tsfx-eval-verdict-ok')?.textContent, 'PUSHED');
  assert.equal(pushed.querySelector('.tsfx-subtitle')?.textContent, 'Pushed: version 7');
  const refused = render('pushed-model', { ...p, pushed: false, destination: null, version: null });
  assert.equal(
    refused.querySelector('.tsfx-eval-verdict-failed')?.textContent,
    'NOT PUSHED: the model was not blessed',
  );
});
