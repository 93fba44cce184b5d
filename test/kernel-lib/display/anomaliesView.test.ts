import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anomaliesHtml, anomaliesText } from '../../../kernel-lib/src/display/anomaliesView';
import type { AnomaliesPayload } from '@tsfx/protocol';
import {
  assertGolden,
  assertGoldenViews,
  assertSelfContained,
  cellsOf,
  fixtures,
  isRed,
  rowsWith,
  textOf as text,
} from './golden';

// The messages as a reader sees them (not the view's own constants, which could change with it).
const NO_ANOMALIES = 'No anomalies found';
const DATA_MISSING = 'No data in this split: nothing was validated';
/** The HTML of one split: from its heading to the next one. */
const splitPart = (html: string, name: string): string => {
  const start = html.indexOf(`<b>Split ${name}</b>`);
  assert.ok(start >= 0, `split ${name} is shown`);
  const next = html.indexOf('<b>Split ', start + 1);
  return html.slice(start, next < 0 ? undefined : next);
};
/** Cells of the row of a feature in a split: feature, short, long, severity. */
const row = (part: string, feature: string): string[] => {
  const rows = rowsWith(part, `>${feature}</td>`);
  assert.equal(rows.length, 1, `one row for ${feature}`);
  return cellsOf(rows[0]);
};

const clean = (): AnomaliesPayload => {
  const payload = fixtures.anomaliesTaxi();
  return { ...payload, splits: payload.splits.filter((s) => s.name === 'train') };
};

describe('anomalies view: golden files', () => {
  it('renders a clean train split and an eval split with errors and warnings', () => {
    const payload = fixtures.anomaliesTaxi();
    assertGoldenViews('anomalies-taxi', anomaliesHtml(payload), anomaliesText(payload));
  });

  it('renders a payload without anomalies', () => {
    assertGolden('anomalies-clean.html', anomaliesHtml(clean()));
  });
});

describe('anomalies view: what it shows', () => {
  const html = anomaliesHtml(fixtures.anomaliesTaxi());

  it('says "No anomalies found" for a clean split, and shows no table there', () => {
    const train = splitPart(html, 'train');
    assert.ok(train.includes(NO_ANOMALIES));
    assert.ok(!train.includes('<table'));
    const eval_ = splitPart(html, 'eval');
    assert.ok(!eval_.includes(NO_ANOMALIES));
    const only = anomaliesHtml(clean());
    assert.ok(only.includes(NO_ANOMALIES));
    assert.ok(!only.includes('<table'));
    assert.match(anomaliesText(clean()), /^Split train: No anomalies found$/m);
  });

  it('lists every anomaly of a split with its descriptions and counts them', () => {
    const eval_ = splitPart(html, 'eval');
    const expected = fixtures.anomaliesTaxi().splits[1].anomalies;
    const features = Object.keys(expected.anomalyInfo);
    assert.equal(features.length, 7);
    for (const feature of features.filter((f) => f !== '<script>')) {
      const cells = row(eval_, feature);
      assert.equal(text(cells[2]), expected.anomalyInfo[feature].description.trim());
      assert.equal(text(cells[3]), expected.anomalyInfo[feature].severity);
    }
    assert.match(eval_, /8 anomalies \(6 errors, 2 warnings\)/);
    assert.equal(text(row(eval_, 'dropoff_community_area')[1]), 'Column dropped');
    assert.equal(
      text(row(eval_, 'trip_start_hour')[2]),
      'Expected data of type: INT but got STRING',
    );
  });

  it('shows the dataset-level anomaly first', () => {
    const rows = (splitPart(html, 'eval').match(/<tr>[\s\S]*?<\/tr>/g) ?? []).slice(1);
    assert.equal(rows.length, 8);
    assert.equal(text(cellsOf(rows[0])[0]), '(dataset)');
    assert.equal(text(cellsOf(rows[0])[1]), 'Low num examples in dataset.');
  });

  it('names the reasons of a multi-reason anomaly', () => {
    const fare = row(splitPart(html, 'eval'), 'fare');
    assert.equal(text(fare[1]), 'Multiple errors: Feature shape dropped; Column dropped');
  });

  it('shows errors in red and warnings not in red', () => {
    const eval_ = splitPart(html, 'eval');
    const payment = row(eval_, 'payment_type');
    assert.equal(text(payment[3]), 'ERROR');
    assert.ok(isRed(payment[3]) && isRed(payment[1]));
    const surge = row(eval_, 'surge_multiplier');
    assert.equal(text(surge[3]), 'WARNING');
    assert.ok(!isRed(surge[3]) && !isRed(surge[1]));
  });

  it('says when a split had no data', () => {
    const payload = clean();
    payload.splits.push({
      name: 'serving',
      anomalies: { baseline: { feature: [] }, anomalyInfo: {}, dataMissing: true },
    });
    const out = anomaliesHtml(payload);
    const serving = splitPart(out, 'serving');
    assert.ok(serving.includes(DATA_MISSING));
    assert.ok(!serving.includes(NO_ANOMALIES));
    assert.ok(isRed(serving));
    assert.match(anomaliesText(payload), /^Split serving: No data in this split/m);
  });

  it('escapes feature names and descriptions', () => {
    assert.ok(!html.includes('<script>'));
    const script = row(splitPart(html, 'eval'), '&lt;script&gt;');
    assert.equal(text(script[1]), 'New column');
    const payload = clean();
    payload.splits[0].anomalies.anomalyInfo['a&b'] = {
      severity: 'ERROR',
      shortDescription: '<b>short</b>',
      description: 'values "<i>x</i>"',
      reason: [],
    };
    const out = anomaliesHtml(payload);
    assert.match(out, />a&amp;b<\/td>/);
    assert.match(out, /&lt;b&gt;short&lt;\/b&gt;/);
    assert.match(out, /values &quot;&lt;i&gt;x&lt;\/i&gt;&quot;/);
    assert.ok(!out.includes('<i>'));
    assertSelfContained(out);
    assertSelfContained(html);
  });

  it('reads as text: one line per anomaly with its severity', () => {
    const plain = anomaliesText(fixtures.anomaliesTaxi());
    assert.match(plain, /^Split eval: 8 anomalies \(6 errors, 2 warnings\)$/m);
    assert.match(plain, /^payment_type +ERROR +Unexpected string values +Examples contain values/m);
    assert.match(plain, /^<script> +WARNING +New column /m);
    assert.equal(plain.split('\n').filter((l) => / (ERROR|WARNING) /.test(l)).length, 8);
  });
});
