/// <reference lib="dom" />
// The model view on the taxi model (fixtures/model.json, the kernel's modelPayload of a real
// Trainer run): golden markup, Keras' summary and totals, the signature and files, and a click
// on a layer that shows its weights and wiring.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePayload, PayloadError, type ModelPayload } from '@tsfx/protocol';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import { assertGolden, fixture, newDocument } from '../../render-helpers';

const taxi = (): ModelPayload => fixture('model.json') as ModelPayload;

function render(data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor('model'), host, data);
  return host;
}

const cells = (row: Element): string[] =>
  [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');

test('model: golden markup of the taxi model', () => {
  assertGolden('model.html', render(taxi()).innerHTML);
});

test("model: Keras' summary rows and totals of the taxi wide & deep model", () => {
  const host = render(taxi());
  const rows = [...host.querySelectorAll('table.tsfx-model-layers tbody tr')];
  assert.equal(rows.length, taxi().layers.length);
  const byName = new Map(rows.map((r) => [r.getAttribute('data-layer'), cells(r)]));
  // taxi_utils.ts: 3 dense numbers + 3 logs = 6; deep_0 has 64 units, deep_1 32.
  assert.deepEqual(byName.get('dense'), ['dense (InputLayer)', '(None, 6)', '0', '']);
  assert.deepEqual(byName.get('deep_1'), ['deep_1 (Dense)', '(None, 32)', '2,080', 'deep_0']);
  assert.deepEqual(byName.get('probability'), [
    'probability (Activation)',
    '(None, 1)',
    '0',
    'add_Add1',
  ]);
  const totals = [...host.querySelectorAll('.tsfx-model-total')].map((t) => t.textContent);
  const p = taxi().params;
  assert.equal(
    totals[2],
    `Non-trainable params: ${p.nonTrainable} (${(p.nonTrainable * 4).toFixed(2)} B)`,
  );
  assert.equal(p.total, p.trainable + p.nonTrainable);
});

test('model: the signature and the files', () => {
  const host = render(taxi());
  const inputs = [...host.querySelectorAll('table.tsfx-model-inputs tbody tr')].map(cells);
  assert.deepEqual(
    inputs.find((r) => r[0] === 'company'),
    ['company', 'STRING', 'DT_STRING'],
  );
  const outputs = [...host.querySelectorAll('table.tsfx-model-outputs tbody tr')].map(cells);
  assert.deepEqual(outputs[0], [
    'serving_default',
    'predict',
    'probability',
    'DT_FLOAT',
    '[batch]',
  ]);
  const files = [...host.querySelectorAll('table.tsfx-model-files tbody tr')].map(
    (r) => cells(r)[0],
  );
  assert.ok(files.includes('Format-Serving/weights.bin'));
});

test('model: a click on a layer shows its weights and marks its wiring, a second click hides them', () => {
  const host = render(taxi());
  const button = () =>
    host.querySelector<HTMLButtonElement>('tr[data-layer="deep_1"] .tsfx-model-layer-name')!;
  assert.equal(host.querySelector('.tsfx-model-details'), null);
  button().click();
  const details = host.querySelector('.tsfx-model-details');
  assert.equal(details?.getAttribute('data-layer'), 'deep_1');
  assert.deepEqual([...details!.querySelectorAll('tbody tr')].map(cells), [
    ['deep_1/kernel', '[64, 32]', 'float32', '2,048', 'yes'],
    ['deep_1/bias', '[32]', 'float32', '32', 'yes'],
  ]);
  assert.equal(host.querySelector('tr.tsfx-model-inbound')?.getAttribute('data-layer'), 'deep_0');
  assert.equal(
    host.querySelector('tr.tsfx-model-outbound')?.getAttribute('data-layer'),
    'deep_logit',
  );
  assert.equal(button().getAttribute('aria-pressed'), 'true');
  assert.equal(host.ownerDocument.activeElement, button(), 'the focus stays on the layer');
  button().click();
  assert.equal(host.querySelector('.tsfx-model-details'), null);
});

test('model: the protocol refuses a payload with a bad layer', () => {
  const bad = structuredClone(taxi()) as unknown as { layers: { params: unknown }[] };
  bad.layers[1]!.params = 'many';
  assert.throws(
    () => parsePayload('model', bad),
    (e: unknown) =>
      e instanceof PayloadError &&
      /payload\.layers\[1\]\.params should be a finite number/.test(e.message),
  );
});
