/// <reference lib="dom" />
// TensorBoard's run comparison in the training view: the taxi run twice (as two model runs, the
// second with its values shifted), compared by the protocol's compareTrainingRuns: runs named
// after their model run, a colour per model run, and legend buttons that hide a model run or a
// kind of run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTrainingRuns, parsePayload, type TrainingPayload } from '@tsfx/protocol';
import { assertGolden } from '../../render-helpers';
import { render, taxi } from './helpers';

/** The taxi run, and the same run with every value 0.1 higher (a second model run). */
function comparison(): TrainingPayload {
  const a = taxi();
  const b = structuredClone(a);
  for (const run of b.runs) for (const s of run.series) for (const p of s.points) p.value += 0.1;
  return compareTrainingRuns([
    { name: 'Trainer #7', payload: a },
    { name: 'Trainer #7', payload: b },
  ]);
}

const linesOf = (host: HTMLElement, tag: string) =>
  [...host.querySelectorAll(`figure[data-tag="${tag}"] g.tsfx-training-line`)].map((g) => [
    g.getAttribute('data-run'),
    g.getAttribute('class'),
  ]);

test('comparison: the payload names each run after its model run (a repeated name made unique)', () => {
  const payload = parsePayload('training', comparison());
  assert.deepEqual(
    payload.modelRuns?.map((m) => m.name),
    ['Trainer #7', 'Trainer #7 (2)'],
  );
  assert.deepEqual(
    payload.runs.map((r) => r.name),
    [
      'Trainer #7/train',
      'Trainer #7/train_epoch',
      'Trainer #7/validation',
      'Trainer #7 (2)/train',
      'Trainer #7 (2)/train_epoch',
      'Trainer #7 (2)/validation',
    ],
  );
  assert.equal(payload.status, 'done');
  assert.equal(payload.artifact, null);
});

test('comparison: golden markup, a colour per model run', () => {
  const host = render(comparison());
  assertGolden('training-comparison.html', host.innerHTML);
  assert.deepEqual(linesOf(host, 'loss'), [
    ['Trainer #7/train', 'tsfx-training-line tsfx-ds-0'],
    ['Trainer #7/train_epoch', 'tsfx-training-line tsfx-ds-0'],
    ['Trainer #7/validation', 'tsfx-training-line tsfx-ds-0'],
    ['Trainer #7 (2)/train', 'tsfx-training-line tsfx-ds-1'],
    ['Trainer #7 (2)/train_epoch', 'tsfx-training-line tsfx-ds-1'],
    ['Trainer #7 (2)/validation', 'tsfx-training-line tsfx-ds-1'],
  ]);
  const legend = [...host.querySelectorAll('button.tsfx-training-model-run')];
  assert.deepEqual(
    legend.map((b) => b.getAttribute('data-model-run')),
    ['Trainer #7', 'Trainer #7 (2)'],
  );
  assert.match(legend[1]!.textContent ?? '', /done · step 400 · validation auc/);
});

test('comparison: a model run hides from the legend, then a kind of run in every model run', () => {
  const host = render(comparison());
  const second = host.querySelector<HTMLButtonElement>('button[data-model-run="Trainer #7 (2)"]')!;
  second.click();
  assert.equal(second.getAttribute('aria-pressed'), 'false');
  assert.deepEqual(
    linesOf(host, 'auc').map(([run]) => run),
    ['Trainer #7/train', 'Trainer #7/train_epoch', 'Trainer #7/validation'],
  );
  host.querySelector<HTMLButtonElement>('button[data-run-kind="train"]')!.click();
  assert.deepEqual(
    linesOf(host, 'auc').map(([run]) => run),
    ['Trainer #7/train_epoch', 'Trainer #7/validation'],
  );
  // Shown again, a model run shows all its runs.
  second.click();
  assert.deepEqual(
    linesOf(host, 'auc').map(([run]) => run),
    [
      'Trainer #7/train_epoch',
      'Trainer #7/validation',
      'Trainer #7 (2)/train',
      'Trainer #7 (2)/train_epoch',
      'Trainer #7 (2)/validation',
    ],
  );
});
