/// <reference lib="dom" />
// The training view's readability: three distinct run colours, axis titles, charts that scale
// with their card, and the final validation metrics in the view (not only in the fallback).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { chooseAxis, render, taxi } from './helpers';

test('training: train, train_epoch and validation have distinct colour slots', () => {
  const host = render(taxi());
  const colours = [...host.querySelectorAll('button.tsfx-training-run')].map((b) => [
    b.getAttribute('data-run'),
    [...b.classList].find((c) => c.startsWith('tsfx-ds-')),
  ]);
  assert.deepEqual(colours, [
    ['train', 'tsfx-ds-2'],
    ['train_epoch', 'tsfx-ds-0'],
    ['validation', 'tsfx-ds-1'],
  ]);
});

test('training: each chart titles its axes, the x title follows the x axis control', () => {
  const host = render(taxi());
  const titles = (tag: string) =>
    [...host.querySelectorAll(`figure[data-tag="${tag}"] .tsfx-training-axis-title`)].map(
      (t) => t.textContent,
    );
  assert.deepEqual(titles('loss'), ['step', 'loss']);
  assert.deepEqual(titles('auc'), ['step', 'auc']);
  chooseAxis(host, 'relative');
  assert.deepEqual(titles('loss'), ['relative time', 'loss']);
});

test('training: the final validation metrics are shown', () => {
  const host = render(taxi());
  const final = host.querySelector('.tsfx-training-final');
  assert.ok(final);
  assert.match(final.textContent ?? '', /^Final validation \(step [\d,]+\)/);
  const values = Object.fromEntries(
    [...final.querySelectorAll('.tsfx-training-metric')].map((m) => [
      m.getAttribute('data-tag'),
      m.querySelector('.tsfx-training-metric-value')?.textContent,
    ]),
  );
  // The fixture's last validation points (step 400): 0.21631, 0.8962, 0.950389.
  assert.match(final.textContent ?? '', /^Final validation \(step 400\)/);
  assert.deepEqual(values, { loss: '0.2163', accuracy: '0.8962', auc: '0.9504' });
});
