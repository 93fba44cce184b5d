import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SchemaPayload } from '@tsfx/protocol';
import { schemaHtml, schemaText } from '../../../kernel-lib/src/display/schemaView';
import {
  assertGoldenViews,
  assertSelfContained,
  cellsOf,
  fixtures,
  isRed,
  rowsWith,
  textOf as text,
} from './golden';

/** Cells of the row of a feature: feature, type, presence, valency, domain[, checks]. */
const row = (html: string, feature: string): string[] => {
  const rows = rowsWith(html, feature)
    .map(cellsOf)
    .filter((cells) => text(cells[0]).replace(/ \(.*\)$/, '') === feature);
  assert.equal(rows.length, 1, `one row for ${feature}`);
  return rows[0];
};

describe('schema view: golden files', () => {
  it('renders the schema inferred from the taxi data', () => {
    const payload = fixtures.schemaTaxi();
    assertGoldenViews('schema-taxi', schemaHtml(payload), schemaText(payload));
  });

  it('renders the schema of the crafted data (string and bool domains, a <script> name)', () => {
    const payload = fixtures.schemaEdge();
    assertGoldenViews('schema-edge', schemaHtml(payload), schemaText(payload));
  });
});

describe('schema view: what it shows', () => {
  const taxi = schemaHtml(fixtures.schemaTaxi());

  it('has one row per feature, in schema order, with its type', () => {
    const names = fixtures.schemaTaxi().schema.feature.map((f) => f.name);
    assert.equal(names.length, 18);
    const rows = (taxi.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).slice(1); // after the header
    assert.deepEqual(
      rows.map((r) => text(cellsOf(r)[0])),
      names,
    );
    assert.equal(text(row(taxi, 'fare')[1]), 'FLOAT');
    assert.equal(text(row(taxi, 'company')[1]), 'BYTES');
    assert.match(taxi, /Features \(18\)/);
  });

  it('tells required from optional features, with their presence constraints', () => {
    assert.equal(text(row(taxi, 'fare')[2]), 'required min fraction 1, min count 1');
    assert.equal(text(row(taxi, 'dropoff_latitude')[2]), 'optional min count 1');
    assert.equal(text(row(taxi, 'pickup_census_tract')[2]), 'optional min count 0');
  });

  it('shows valency from the shape or the value count', () => {
    assert.equal(text(row(taxi, 'fare')[3]), 'single fixed shape');
    assert.equal(text(row(taxi, 'dropoff_latitude')[3]), 'single');
    assert.equal(text(row(taxi, 'pickup_census_tract')[3]), '—');
  });

  it('lists a short domain in full and shortens a long one, with its size', () => {
    const payment = text(row(taxi, 'payment_type')[4]);
    assert.equal(
      payment,
      "payment_type 'Cash', 'Credit Card', 'Dispute', 'No Charge', 'Pcard', 'Prcard', 'Unknown'",
    );
    const companyCell = row(taxi, 'company')[4];
    const company = text(companyCell);
    assert.match(company, /^company 45 values: '0118 - 42111 Godfrey S\.Awir', /);
    assert.equal(company.match(/', '/g)?.length, 7, '8 values shown');
    assert.match(company, /, …$/);
    // Every value is in the tooltip.
    const domain = fixtures.schemaTaxi().schema.stringDomain?.find((d) => d.name === 'company');
    const title = /title="([^"]*)"/.exec(companyCell)?.[1] ?? '';
    for (const v of domain?.value ?? []) assert.ok(text(title).includes(v), v);
    assert.equal(text(row(taxi, 'fare')[4]), '—');
  });

  it('shows int, float and bool domains, lifecycle notes, checks, and a dangling domain in red', () => {
    const payload: SchemaPayload = {
      kind: 'schema',
      artifact: { id: 1, type: 'Schema', uri: '/s', producer: null },
      schema: {
        feature: [
          { name: 'hour', type: 'INT', intDomain: { min: '0', max: '23', isCategorical: true } },
          {
            name: 'fare',
            type: 'FLOAT',
            floatDomain: { min: 0, disallowNan: true },
            driftComparator: { infinityNorm: { threshold: 0.01 } },
            skewComparator: { jensenShannonDivergence: { threshold: 0.1 } },
          },
          { name: 'flag', type: 'BYTES', boolDomain: { trueValue: 'Y', falseValue: 'N' } },
          { name: 'old', type: 'INT', lifecycleStage: 'DEPRECATED' },
          { name: 'label', type: 'INT', notInEnvironment: ['SERVING'] },
          { name: 'kind', type: 'BYTES', domain: 'kinds' },
          { name: 'size', type: 'INT', valueCount: { min: '1', max: '3' } },
          { name: 'pair', type: 'FLOAT', shape: { dim: [{ size: '2' }, { size: '3' }] } },
        ],
        datasetConstraints: { minExamplesCount: '1000' },
        defaultEnvironment: ['TRAINING', 'SERVING'],
      },
    };
    const html = schemaHtml(payload);
    assert.equal(text(row(html, 'hour')[4]), 'int [0, 23], categorical');
    assert.equal(text(row(html, 'fare')[4]), 'float [0, ∞], no NaN');
    assert.equal(text(row(html, 'fare')[5]), 'drift L-infinity ≤ 0.01; skew Jensen-Shannon ≤ 0.1');
    assert.equal(text(row(html, 'hour')[5]), '—');
    assert.equal(text(row(html, 'flag')[4]), "bool true 'Y', false 'N'");
    assert.match(row(html, 'old')[0], /\(deprecated\)/);
    assert.match(row(html, 'old')[0], /color:#777/);
    assert.match(row(html, 'label')[0], /\(not in SERVING\)/);
    const kind = row(html, 'kind')[4];
    assert.equal(text(kind), 'kinds no such string domain');
    assert.ok(isRed(kind));
    assert.equal(text(row(html, 'size')[3]), '1–3 values');
    assert.equal(text(row(html, 'pair')[3]), 'shape [2, 3]');
    assert.match(html, /Dataset: examples in \[1000, ∞\]/);
    assert.match(html, /Default environments: TRAINING, SERVING/);
    assert.match(html, /<th[^>]*>checks<\/th>/);
    assert.ok(!taxi.includes('>checks</th>'), 'no checks column without checks');
    const plain = schemaText(payload);
    assert.match(plain, /^kind +BYTES +optional +— +kinds: no such string domain!/m);
    assert.match(plain, /^fare .* drift L-infinity ≤ 0\.01; skew Jensen-Shannon ≤ 0\.1$/m);
  });

  it('escapes names and values', () => {
    const html = schemaHtml(fixtures.schemaEdge());
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img'));
    assert.match(html, />&lt;script&gt;<\/td>/);
    assert.match(html, /&#39;&lt;img src=x&gt;&#39;|'&lt;img src=x&gt;'/);
    assertSelfContained(html);
    assertSelfContained(taxi);
  });

  it('reads as a plain text table', () => {
    const plain = schemaText(fixtures.schemaTaxi());
    const lines = plain.split('\n');
    assert.equal(
      lines[0],
      `Schema artifact 4 from SchemaGen at ${fixtures.schemaTaxi().artifact.uri}`,
    );
    assert.match(
      plain,
      /^fare +FLOAT +required: min fraction 1, min count 1 +single: fixed shape +—$/m,
    );
    assert.match(plain, /^company .* company: 45 values: '0118 - 42111 Godfrey S\.Awir', /m);
    assert.equal(lines.filter((l) => /^\S/.test(l)).length, 1 + 1 + 1 + 1 + 18);
  });
});
