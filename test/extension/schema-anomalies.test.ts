/// <reference lib="dom" />
// The schema and anomalies renderers on the taxi pipeline's artifacts (fixtures/schema.json:
// SchemaGen's schema.json; fixtures/anomalies.json: ExampleValidator's SchemaDiff.json of train,
// without anomalies, and eval, with one on `company`): golden markup, the tables, the "No
// anomalies found" state, escaping and malformed payloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './dom-globals';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import { TsfxRenderer } from '../../extension/src/widget';
import { PayloadError, parsePayload } from '@tsfx/protocol';
import { valencyOf } from '../../extension/src/renderers/schema';
import type { AnomaliesPayload, SchemaPayload } from '@tsfx/protocol';
import { TAXI_PAYMENT_TYPES } from '../helpers';
import { assertGolden, fixture, newDocument, renderLoggingErrors } from './render-helpers';

type Json = Record<string, unknown>;

function render(kind: 'schema' | 'anomalies', data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor(kind), host, data);
  return host;
}

const schemaFixture = (): SchemaPayload => fixture('schema.json') as SchemaPayload;
const anomaliesFixture = (): AnomaliesPayload => fixture('anomalies.json') as AnomaliesPayload;

function row(host: HTMLElement, feature: string): string[] {
  const tr = host.querySelector(`tr[data-feature="${feature}"]`);
  assert.ok(tr, `row of ${feature}`);
  return [...tr.children].map((c) => c.textContent ?? '');
}

test('schema: golden markup', () => {
  assertGolden('schema.html', render('schema', schemaFixture()).innerHTML);
});

test('schema: one row per feature with type, presence, valency and domain', () => {
  const host = render('schema', schemaFixture());
  const root = host.querySelector('.tsfx-schema');
  assert.ok(root);
  assert.equal(root.querySelector('.tsfx-subtitle')?.textContent, '18 features · 2 string domains');
  assert.deepEqual(
    [...root.querySelectorAll('thead th')].map((th) => th.textContent),
    ['feature', 'type', 'presence', 'valency', 'domain'],
  );
  assert.equal(root.querySelectorAll('tbody tr').length, 18);
  assert.deepEqual(row(host, 'fare'), ['fare', 'FLOAT', 'requiredmin count 1', 'single', '—']);
  assert.deepEqual(row(host, 'dropoff_latitude').slice(0, 4), [
    'dropoff_latitude',
    'FLOAT',
    'optionalmin count 1',
    'single',
  ]);
  // No value count: the valency is not constrained.
  assert.deepEqual(row(host, 'pickup_census_tract').slice(1, 4), [
    'BYTES',
    'optionalmin count 0',
    '—',
  ]);
  // A short domain: its values in full.
  const payment = host.querySelector('tr[data-feature="payment_type"] td.tsfx-domain')!;
  assert.equal(payment.querySelector('.tsfx-domain-name')?.textContent, 'payment_type');
  assert.deepEqual(
    [...payment.querySelectorAll('.tsfx-domain-value')].map((v) => v.textContent),
    TAXI_PAYMENT_TYPES,
  );
  assert.equal(payment.querySelector('details'), null);
  // A long one (53 companies): folded, expandable.
  const company = host.querySelector('tr[data-feature="company"] td.tsfx-domain')!;
  const details = company.querySelector('details');
  assert.ok(details);
  assert.equal(details.open, false);
  assert.equal(
    details.querySelector('summary')?.textContent,
    '50 values: 0118 - 42111 Godfrey S.…, 0694 - 59280 Chinesco T…, …',
  );
  assert.equal(details.querySelectorAll('.tsfx-domain-value').length, 50);
  details.open = true;
  assert.equal(
    details.querySelectorAll('.tsfx-domain-value')[49]?.textContent,
    'Top Cab Affiliation',
  );
});

test('schema: valency, other domains, lifecycle, an unknown domain', () => {
  const f = (extra: Json) => ({ name: 'x', ...extra }) as Parameters<typeof valencyOf>[0];
  assert.equal(valencyOf(f({ valueCount: { min: '1', max: '1' } })), 'single');
  assert.equal(valencyOf(f({ valueCount: { min: '3', max: '3' } })), '3 values');
  assert.equal(valencyOf(f({ valueCount: { min: '1', max: '4' } })), '1–4 values');
  assert.equal(valencyOf(f({ valueCount: { min: '2' } })), 'at least 2 values');
  assert.equal(valencyOf(f({ shape: { dim: [{ size: '2' }, { size: '3' }] } })), 'shape [2, 3]');

  const payload = schemaFixture();
  payload.schema.feature.push(
    { name: 'hour', type: 'INT', intDomain: { min: '0', max: '23' } },
    { name: 'ratio', type: 'FLOAT', floatDomain: { min: 0, max: 1, disallowNan: true } },
    { name: 'flag', type: 'INT', boolDomain: {} },
    { name: 'old', type: 'BYTES', lifecycleStage: 'DEPRECATED', domain: 'nowhere' },
  );
  const host = render('schema', payload);
  assert.equal(row(host, 'hour')[4], 'int[0, 23]');
  assert.equal(row(host, 'ratio')[4], 'float[0, 1], no NaN');
  assert.equal(row(host, 'flag')[4], 'bool');
  assert.deepEqual(row(host, 'old').slice(0, 1), ['olddeprecated']);
  assert.ok(
    host.querySelector('tr[data-feature="old"]')?.classList.contains('tsfx-schema-inactive'),
  );
  assert.equal(
    host.querySelector('tr[data-feature="old"] .tsfx-domain-missing')?.textContent,
    'domain not found in the schema',
  );
  const empty = render('schema', { ...schemaFixture(), schema: {} });
  assert.equal(empty.querySelector('tbody td')?.textContent, 'The schema has no features');
});

test('schema: names and values are text, never markup', () => {
  const payload = schemaFixture();
  payload.schema.feature[0]!.name = '<img onerror=x>';
  payload.schema.stringDomain![0]!.value[0] = '<b>bold</b>';
  const host = render('schema', payload);
  assert.equal(host.querySelector('img'), null);
  assert.equal(host.querySelector('b'), null);
  assert.equal(host.querySelector('tbody tr th')?.textContent, '<img onerror=x>');
  assert.ok(host.innerHTML.includes('&lt;img onerror=x&gt;'));
  assert.equal(
    host.querySelector('tr[data-feature="payment_type"] .tsfx-domain-value')?.textContent,
    '<b>bold</b>',
  );
});

test('schema: malformed payloads are rejected with the path of the problem', () => {
  const cases: [unknown, RegExp][] = [
    [
      { kind: 'schema', artifact: schemaFixture().artifact },
      /payload.schema should be an object, got undefined/,
    ],
    [
      { ...schemaFixture(), schema: { feature: [{ name: 'a', type: 'DOUBLE' }] } },
      /payload.schema.feature\[0\].type should be one of TYPE_UNKNOWN, BYTES, INT, FLOAT, STRUCT, got "DOUBLE"/,
    ],
    [
      { ...schemaFixture(), schema: { feature: [{ name: 'a', presence: { minFraction: '1' } }] } },
      /payload.schema.feature\[0\].presence.minFraction should be a finite number, got "1"/,
    ],
    [
      { ...schemaFixture(), schema: { feature: [], stringDomain: [{ name: 'd', value: [1] }] } },
      /payload.schema.stringDomain\[0\].value\[0\] should be a string, got number/,
    ],
  ];
  for (const [data, message] of cases)
    assert.throws(
      () => parsePayload('schema', data),
      (e: unknown) => e instanceof PayloadError && message.test(e.message),
    );
});

test('anomalies: golden markup', () => {
  assertGolden('anomalies.html', render('anomalies', anomaliesFixture()).innerHTML);
});

test('anomalies: per split, a table of anomalies or "No anomalies found"', () => {
  const host = render('anomalies', anomaliesFixture());
  const root = host.querySelector('.tsfx-anomalies');
  assert.ok(root);
  assert.equal(
    root.querySelector('.tsfx-anomalies-summary')?.textContent,
    '1 anomaly in 1 of 2 splits',
  );
  const [train, evalSplit] = [...root.querySelectorAll('section.tsfx-anomalies-split')];
  assert.ok(train && evalSplit);
  assert.equal(train.getAttribute('data-split'), 'train');
  assert.equal(train.querySelector('.tsfx-anomalies-none')?.textContent, 'No anomalies found');
  assert.equal(train.querySelector('table'), null);

  assert.equal(evalSplit.querySelector('.tsfx-anomalies-none'), null);
  assert.deepEqual(
    [...evalSplit.querySelectorAll('thead th')].map((th) => th.textContent),
    ['feature', 'short description', 'long description', 'severity'],
  );
  const rows = [...evalSplit.querySelectorAll('tbody tr')];
  assert.equal(rows.length, 1);
  const cells = [...rows[0]!.children].map((c) => c.textContent);
  assert.equal(cells[0], 'company');
  assert.equal(cells[1], 'Unexpected string values');
  assert.match(
    cells[2] ?? '',
    /^Examples contain values missing from the schema: 2809 - 95474 C & D Cab Co Inc\. \(<1%\),/,
  );
  assert.match(cells[2] ?? '', /ENUM_TYPE_UNEXPECTED_STRING_VALUES$/);
  assert.equal(cells[3], 'ERROR');
  const severity = rows[0]!.querySelector('td.tsfx-severity')!;
  assert.ok(severity.classList.contains('tsfx-severity-error'));
  assert.equal(evalSplit.querySelector('.tsfx-anomalies-count')?.textContent, '1 anomaly');
});

test('anomalies: a clean artifact says "No anomalies found"; other severities and reasons', () => {
  const clean = anomaliesFixture();
  for (const split of clean.splits) split.anomalies.anomalyInfo = {};
  const host = render('anomalies', clean);
  assert.equal(host.querySelector('.tsfx-anomalies-summary')?.textContent, 'No anomalies found');
  assert.equal(host.querySelectorAll('.tsfx-anomalies-none').length, 2);
  assert.equal(host.querySelector('.tsfx-has-anomalies'), null);
  assert.equal(host.querySelector('table'), null);

  const payload = anomaliesFixture();
  const train = payload.splits[0]!.anomalies;
  train.anomalyInfo['tips'] = {
    severity: 'WARNING',
    shortDescription: 'Multiple errors',
    description: 'The feature has several problems.',
    reason: [
      { type: 'FLOAT_TYPE_HAS_NAN', shortDescription: 'Has NaN', description: 'NaN values.' },
      {
        type: 'FEATURE_TYPE_LOW_FRACTION_PRESENT',
        shortDescription: 'Missing',
        description: 'Present in 90% of examples.',
      },
    ],
  };
  train.datasetAnomalyInfo = {
    severity: 'ERROR',
    shortDescription: 'Low num examples',
    description: 'The dataset has 3 examples.',
    reason: [],
  };
  const many = render('anomalies', payload);
  assert.equal(
    many.querySelector('.tsfx-anomalies-summary')?.textContent,
    '3 anomalies in 2 of 2 splits',
  );
  const trainRows = [...many.querySelectorAll('section[data-split="train"] tbody tr')];
  assert.deepEqual(
    trainRows.map((r) => [
      r.getAttribute('data-feature'),
      r.querySelector('.tsfx-severity')?.textContent,
    ]),
    [
      ['(dataset)', 'ERROR'],
      ['tips', 'WARNING'],
    ],
  );
  assert.ok(
    trainRows[1]!.querySelector('td.tsfx-severity')?.classList.contains('tsfx-severity-warning'),
  );
  assert.deepEqual(
    [...trainRows[1]!.querySelectorAll('.tsfx-anomaly-reasons li')].map((li) => li.textContent),
    ['NaN values.', 'Present in 90% of examples.'],
  );
});

test('anomalies: descriptions and names are text, never markup', () => {
  const payload = anomaliesFixture();
  const info = payload.splits[1]!.anomalies.anomalyInfo['company']!;
  payload.splits[1]!.anomalies.anomalyInfo = {
    '<img onerror=x>': { ...info, path: undefined, description: '<script>x()</script>' },
  };
  const host = render('anomalies', payload);
  assert.equal(host.querySelector('img'), null);
  assert.equal(host.querySelector('script'), null);
  assert.equal(host.querySelector('tbody tr th')?.textContent, '<img onerror=x>');
  assert.match(
    host.querySelector('td.tsfx-anomaly-long')?.textContent ?? '',
    /^<script>x\(\)<\/script>/,
  );
});

test('anomalies: malformed payloads are rejected with the path of the problem', () => {
  const withInfo = (info: unknown) => {
    const p = fixture('anomalies.json') as { splits: { anomalies: Json }[] };
    p.splits[1]!.anomalies['anomalyInfo'] = { company: info };
    return p;
  };
  const cases: [unknown, RegExp][] = [
    [{ kind: 'schema' }, /payload.kind should be "anomalies"/],
    [{ ...anomaliesFixture(), splits: {} }, /payload.splits should be an array, got object/],
    [
      withInfo({ severity: 'FATAL' }),
      /payload.splits\[1\].anomalies.anomalyInfo\["company"\].severity should be one of UNKNOWN, WARNING, ERROR, got "FATAL"/,
    ],
    [
      withInfo({ reason: [{ description: 7 }] }),
      /anomalyInfo\["company"\].reason\[0\].description should be a string, got number/,
    ],
    [withInfo('bad'), /anomalyInfo\["company"\] should be an object/],
  ];
  for (const [data, message] of cases)
    assert.throws(
      () => parsePayload('anomalies', data),
      (e: unknown) => e instanceof PayloadError && message.test(e.message),
    );
});

test('schema and anomalies: in JupyterLab a malformed payload shows an error message instead of throwing', async () => {
  for (const kind of ['schema', 'anomalies'] as const) {
    const renderer = new TsfxRenderer(rendererFor(kind));
    const logged = await renderLoggingErrors(renderer, `application/vnd.tsfx.${kind}+json`, {
      kind,
      artifact: { id: 'x' },
    });
    assert.equal(
      renderer.node.querySelector('.tsfx-error')?.textContent,
      'tsfx payload: payload.artifact.id should be a finite number, got "x"',
    );
    assert.equal(logged.length, 1);
  }
});
