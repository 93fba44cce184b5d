/// <reference lib="dom" />
// Facets' filters on the taxi statistics: a regular-expression search, and a checkbox per
// feature type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { check, render, shown, taxi } from './helpers';

function search(host: HTMLElement, text: string): HTMLInputElement {
  const box = host.querySelector<HTMLInputElement>('input.tsfx-stats-search')!;
  box.value = text;
  box.dispatchEvent(new box.ownerDocument.defaultView!.Event('input'));
  return box;
}

test('statistics: the regex box makes the search a regular expression', () => {
  const host = render(taxi());
  search(host, '^(pickup|dropoff)_l');
  assert.deepEqual(shown(host, 'numeric'), [], 'as plain text nothing matches');
  check(host.querySelector<HTMLInputElement>('input.tsfx-stats-regex')!);
  assert.deepEqual(shown(host, 'numeric'), [
    'pickup_latitude',
    'pickup_longitude',
    'dropoff_latitude',
    'dropoff_longitude',
  ]);
  const box = search(host, 'trip_(');
  assert.equal(box.getAttribute('aria-invalid'), '', 'an invalid expression is marked');
  assert.deepEqual(shown(host, 'numeric'), []);
});

test('statistics: a checkbox per feature type hides and shows its features', () => {
  const host = render(taxi());
  const boxes = [...host.querySelectorAll<HTMLInputElement>('input.tsfx-stats-type')];
  assert.deepEqual(
    boxes.map((b) => b.getAttribute('data-type')),
    ['INT', 'FLOAT', 'STRING'],
  );
  check(boxes[0]!);
  assert.deepEqual(shown(host, 'numeric'), [
    'fare',
    'pickup_latitude',
    'pickup_longitude',
    'dropoff_latitude',
    'dropoff_longitude',
    'trip_miles',
    'tips',
  ]);
  check(boxes[0]!);
  assert.equal(shown(host, 'numeric').length, 15);
});
