/// <reference lib="dom" />
// The statistics payload, checked by the protocol's validator before drawing: proto3 JSON defaults, malformed payloads rejected with the path
// of the problem, and shown as an error in JupyterLab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { rendererFor } from '../../../../extension/src/registry';
import { TsfxRenderer } from '../../../../extension/src/widget';
import { PayloadError, parsePayload } from '@tsfx/protocol';
import { fixture, renderLoggingErrors } from '../../render-helpers';
import { render } from './helpers';

type Json = Record<string, unknown>;

test('statistics: proto3 JSON defaults are read, malformed payloads rejected with a path', () => {
  // Absent fields are proto3 defaults (0, empty, first enum value); 64-bit integers may be numbers.
  const minimal = parsePayload('statistics', {
    kind: 'statistics',
    artifacts: [],
    datasets: [
      {
        name: 'd',
        numExamples: 3,
        features: [
          { name: 'x', numStats: { commonStats: { numNonMissing: '3' }, mean: 'NaN' } },
          { path: { step: ['a', 'b'] }, type: 'STRING', stringStats: {} },
        ],
      },
    ],
  });
  const [x, ab] = minimal.datasets[0]!.features;
  assert.equal(x!.type, 'INT');
  assert.ok(Number.isNaN(x!.numStats!.mean));
  assert.equal(x!.numStats!.numZeros, '0');
  assert.equal(ab!.name, 'a.b');
  assert.equal(minimal.datasets[0]!.numExamples, '3');
  const host = render(minimal);
  assert.equal(host.querySelectorAll('tbody.tsfx-stats-feature').length, 2);
  assert.equal(host.querySelector('tbody[data-feature="x"] td[data-stat="2"]')?.textContent, 'NaN');
  // One dataset: no dataset column, no distance sorts.
  assert.equal(host.querySelector('td.tsfx-stats-ds'), null);
  assert.deepEqual(
    [...host.querySelectorAll('select.tsfx-stats-sort option')].map((o) => o.getAttribute('value')),
    ['order', 'name', 'nonuniformity', 'missing'],
  );

  const bad = (mutate: (p: Json) => void) => {
    const p = fixture('statistics.json') as Json;
    mutate(p);
    return p;
  };
  const ds0 = (p: Json) => (p['datasets'] as Json[])[0]!;
  const feature0 = (p: Json) => (ds0(p)['features'] as Json[])[0]!;
  const cases: [Json | unknown, RegExp][] = [
    [{ kind: 'schema' }, /payload.kind should be "statistics"/],
    [bad((p) => delete p['datasets']), /payload.datasets should be an array, got undefined/],
    [
      bad((p) => (ds0(p)['numExamples'] = '12.5')),
      /payload.datasets\[0\].numExamples should be a 64-bit integer/,
    ],
    [
      bad((p) => (feature0(p)['type'] = 'DOUBLE')),
      /payload.datasets\[0\].features\[0\].type should be one of/,
    ],
    [
      bad(
        (p) =>
          ((feature0(p)['numStats'] as Json)['histograms'] = [{ buckets: [{ lowValue: 'a' }] }]),
      ),
      /payload.datasets\[0\].features\[0\].numStats.histograms\[0\].buckets\[0\].lowValue should be a number, got "a"/,
    ],
    [bad((p) => (feature0(p)['numStats'] = [])), /numStats should be an object, got an array/],
  ];
  for (const [data, message] of cases) {
    assert.throws(
      () => parsePayload('statistics', data),
      (e: unknown) => e instanceof PayloadError && message.test(e.message),
    );
  }
});

test('statistics: in JupyterLab a malformed payload shows an error message instead of throwing', async () => {
  const renderer = new TsfxRenderer(rendererFor('statistics'));
  await renderLoggingErrors(renderer, 'application/vnd.tsfx.statistics+json', {
    kind: 'statistics',
    artifacts: [],
    datasets: [{ name: 1 }],
  });
  assert.equal(
    renderer.node.querySelector('.tsfx-error')?.textContent,
    'tsfx payload: payload.datasets[0].name should be a string, got number',
  );
  assert.equal(renderer.node.querySelector('.tsfx-statistics'), null);
});
