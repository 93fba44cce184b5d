import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatisticsPayload } from '@tsfx/protocol';
import {
  DATASET_COLORS,
  statisticsHtml,
  statisticsText,
} from '../../../kernel-lib/src/display/statisticsView';
import { generateStatistics } from '../../../kernel-lib/src/statistics';
import { TAXI_COLUMNS, TAXI_CSV } from '../../helpers';
import {
  assertGoldenViews,
  assertSelfContained,
  cellsOf,
  fixtures,
  isRed,
  rowsWith,
  textOf as text,
} from './golden';

/** The cells of the first row of a feature (the row of the first dataset). */
const firstRow = (html: string, feature: string): string[] => {
  const rows = rowsWith(html, `>${feature} <span`);
  assert.equal(rows.length, 1, `one first row for ${feature}`);
  return cellsOf(rows[0]);
};

// Columns of the first row of a feature with two datasets: feature, dataset, then the values.
const NUMERIC = { count: 2, missing: 3, mean: 4, stdDev: 5, zeros: 6, min: 7, max: 9, chart: 10 };
const CATEGORICAL = { count: 2, missing: 3, unique: 4, top: 5 };

describe('statistics view: golden files', () => {
  it('renders train vs eval of the taxi data', () => {
    const payload = fixtures.statisticsTaxi();
    assertGoldenViews('statistics-taxi', statisticsHtml(payload), statisticsText(payload));
  });

  it('renders one dataset with the suspicious cases', () => {
    const payload = fixtures.statisticsEdge();
    assertGoldenViews('statistics-edge', statisticsHtml(payload), statisticsText(payload));
  });
});

describe('statistics view: what it shows', () => {
  const taxi = statisticsHtml(fixtures.statisticsTaxi());
  const edge = statisticsHtml(fixtures.statisticsEdge());

  it('shows each of the 18 taxi features once, in a numeric or a categorical table', () => {
    for (const name of TAXI_COLUMNS) firstRow(taxi, name);
    assert.match(taxi, /Numeric features \(15\)/);
    assert.match(taxi, /Categorical features \(3\)/);
    const plain = statisticsText(fixtures.statisticsTaxi());
    for (const name of TAXI_COLUMNS) assert.match(plain, new RegExp(`^${name} `, 'm'));
  });

  it('puts train and eval side by side with their example counts and a legend', () => {
    assert.match(taxi, /train \(10,000 examples\)/);
    assert.match(taxi, /eval \(5,000 examples\)/);
    const fare = rowsWith(taxi, '>fare <span');
    const evalRow = rowsWith(taxi, 'eval</td>');
    assert.equal(evalRow.length, 18, 'one eval row per feature');
    assert.equal(text(cellsOf(fare[0])[1]), 'train');
    assert.equal(text(cellsOf(fare[0])[NUMERIC.count]), '10,000');
    assert.match(fare[0], /rowspan="2"/);
  });

  it('shows missing values in red, and only those', () => {
    const dropoff = firstRow(taxi, 'dropoff_latitude');
    assert.equal(text(dropoff[NUMERIC.missing]), '3.2%');
    assert.ok(isRed(dropoff[NUMERIC.missing]));
    const fare = firstRow(taxi, 'fare');
    assert.equal(text(fare[NUMERIC.missing]), '0%');
    assert.ok(!isRed(fare[NUMERIC.missing]));
    const company = firstRow(taxi, 'company');
    assert.equal(text(company[CATEGORICAL.missing]), '34.1%');
    assert.ok(isRed(company[CATEGORICAL.missing]));
    assert.ok(!isRed(firstRow(taxi, 'payment_type')[CATEGORICAL.missing]));
  });

  it('flags mostly-zero features but not ones with some zeros', () => {
    const tips = firstRow(taxi, 'tips');
    assert.equal(text(tips[NUMERIC.zeros]), '68.4%');
    assert.ok(isRed(tips[NUMERIC.zeros]));
    const miles = firstRow(taxi, 'trip_miles');
    assert.equal(text(miles[NUMERIC.zeros]), '27.4%');
    assert.ok(!isRed(miles[NUMERIC.zeros]));
  });

  it('flags an all-missing feature', () => {
    const census = firstRow(taxi, 'pickup_census_tract');
    assert.match(census[0], /all values missing/);
    assert.equal(text(census[CATEGORICAL.count]), '0');
    assert.ok(isRed(census[CATEGORICAL.count]));
    assert.ok(!/all values missing/.test(firstRow(taxi, 'company')[0]));
  });

  it('flags a constant: one unique string, or min = max', () => {
    const constant = cellsOf(rowsWith(edge, '>constant <span')[0]);
    // One dataset: no dataset column.
    assert.equal(text(constant[CATEGORICAL.unique - 1]), '1');
    assert.ok(isRed(constant[CATEGORICAL.unique - 1]));
    const script = cellsOf(rowsWith(edge, '>&lt;script&gt; <span')[0]);
    assert.ok(!isRed(script[CATEGORICAL.unique - 1]));
    const fixed = cellsOf(rowsWith(edge, '>fixed <span')[0]);
    assert.equal(text(fixed[NUMERIC.min - 1]), '7');
    assert.ok(isRed(fixed[NUMERIC.min - 1]) && isRed(fixed[NUMERIC.max - 1]));
    const withMissing = cellsOf(rowsWith(edge, '>with_missing <span')[0]);
    assert.ok(!isRed(withMissing[NUMERIC.min - 1]));
  });

  it('draws one STANDARD histogram per numeric feature, both datasets in their colours', () => {
    assert.equal(taxi.match(/aria-label="histogram of /g)?.length, 15);
    const chart = firstRow(taxi, 'trip_start_hour')[NUMERIC.chart];
    assert.equal(chart.match(/<rect /g)?.length, 20, '10 buckets of train and 10 of eval');
    const groups = [...chart.matchAll(/<g fill="([^"]+)"[^>]*>([\s\S]*?)<\/g>/g)];
    assert.deepEqual(
      groups.map((g) => [g[1], g[2].match(/<rect /g)?.length]),
      [
        [DATASET_COLORS[0], 10],
        [DATASET_COLORS[1], 10],
      ],
    );
    assert.match(groups[1][2], /<title>eval: 0 to 2\.30: /);
    // The axis reads the bucket range.
    assert.match(chart, />0<\/text>/);
    assert.match(chart, />23<\/text>/);
  });

  it('scales bars to the share of values: the tallest bucket fills the plot', () => {
    const payload = fixtures.statisticsEdge();
    const chart = cellsOf(rowsWith(edge, '>mostly_zero <span')[0]).find((c) => c.includes('<svg'));
    assert.ok(chart);
    const heights = [...chart.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    const feature = payload.datasets[0].features.find((f) => f.name === 'mostly_zero');
    const buckets = feature?.numStats?.histograms[0].buckets ?? [];
    assert.equal(heights.length, buckets.length);
    const max = Math.max(...buckets.map((b) => b.sampleCount));
    buckets.forEach((b, i) => {
      assert.ok(Math.abs(heights[i] - (34 * b.sampleCount) / max) < 0.01, `bucket ${i}`);
    });
    assert.equal(heights[0], 34, '27 zeros of 30 values: the tallest bucket');
  });

  it('draws the top values of categorical features, at most 10', () => {
    assert.equal(taxi.match(/aria-label="top values of /g)?.length, 2);
    const payload = fixtures.statisticsTaxi();
    const stats = payload.datasets[0].features.find((f) => f.name === 'company')?.stringStats;
    assert.ok(stats);
    for (let i = 0; i < 5; i++) stats.topValues.push({ value: `extra ${i}`, frequency: 1 });
    assert.equal(stats.topValues.length, 15);
    const company = rowsWith(statisticsHtml(payload), '>company <span')[0];
    const labels = company.match(/<text [^>]*text-anchor="end"[^>]*>/g) ?? [];
    assert.equal(labels.length, 10);
    assert.match(company, /Taxi Affiliation Services/);
    assert.ok(!company.includes('extra 0'));
    const payment = rowsWith(taxi, '>payment_type <span')[0];
    assert.equal(payment.match(/<text [^>]*text-anchor="end"[^>]*>/g)?.length, 7);
    assert.match(firstRow(taxi, 'pickup_census_tract').join(''), /no values/);
  });

  it('marks a feature absent from a dataset or of another type there', () => {
    const payload = fixtures.statisticsTaxi();
    const evalStats = payload.datasets[1];
    evalStats.features = evalStats.features.filter((f) => f.name !== 'tips');
    const hour = evalStats.features.find((f) => f.name === 'trip_start_hour');
    assert.ok(hour?.numStats);
    hour.type = 'STRING';
    hour.stringStats = {
      commonStats: hour.numStats.commonStats,
      unique: '24',
      topValues: [{ value: 'noon', frequency: 1 }],
      avgLength: 2,
      rankHistogram: { buckets: [] },
    };
    delete hour.numStats;
    const html = statisticsHtml(payload);
    const tipsEval = rowsWith(html, 'eval</td>').find((r) => r.includes('not in this dataset'));
    assert.ok(tipsEval && isRed(tipsEval), 'tips is not in eval, in red');
    // trip_start_hour: in the numeric table (eval: "of type STRING") and the categorical one.
    assert.equal(rowsWith(html, '>trip_start_hour <span').length, 2);
    assert.match(html, /of type STRING in this dataset/);
    assert.match(html, /Categorical features \(4\)/);
    assert.match(statisticsText(payload), /not in this dataset!/);
  });

  it('escapes feature names and values, in tables and in the SVG', () => {
    assert.ok(!edge.includes('<script>'));
    assert.ok(!edge.includes('<img'));
    assert.match(edge, /&lt;script&gt; <span/);
    assert.match(edge, /aria-label="top values of &lt;script&gt;"/);
    assert.match(edge, /&lt;img src=x&gt;<title>/);
    assertSelfContained(edge);
    assertSelfContained(taxi);
  });

  it('leaves the payload unchanged and names unnamed datasets', () => {
    const payload = fixtures.statisticsEdge();
    payload.datasets[0].name = '';
    const before = JSON.stringify(payload);
    const html = statisticsHtml(payload);
    assert.equal(JSON.stringify(payload), before);
    assert.match(html, /dataset 1 \(30 examples\)/);
  });

  it('marks suspicious values with ! in the text view', () => {
    const lines = statisticsText(fixtures.statisticsTaxi()).split('\n');
    const dropoff = lines.find((l) => l.startsWith('dropoff_latitude '));
    assert.match(dropoff ?? '', / 3\.2%! /);
    const fare = lines.find((l) => l.startsWith('fare '));
    assert.ok(fare && !fare.includes('!'));
    assert.match(statisticsText(fixtures.statisticsEdge()), /^constant +30 +0% +1! /m);
  });
});

describe('statistics view of freshly generated statistics', () => {
  it('renders what generateStatistics produces for the whole taxi CSV', async () => {
    const list = await generateStatistics(TAXI_CSV, { datasetName: 'all' });
    const payload: StatisticsPayload = {
      kind: 'statistics',
      artifacts: [],
      datasets: list.datasets,
    };
    const html = statisticsHtml(payload);
    for (const name of TAXI_COLUMNS) firstRow(html, name);
    assert.match(html, /all \(15,000 examples\)/);
    assert.equal(html.match(/aria-label="histogram of /g)?.length, 15);
    assertSelfContained(html);
  });
});
