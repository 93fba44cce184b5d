import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generateStatistics } from '../../../kernel-lib/src/statistics';
import type { DatasetFeatureStatistics, FeatureNameStatistics, Histogram } from '@tsfx/protocol';
import { TAXI_CSV, duckdbRows, tempDir, writeFile } from '../../helpers';
import {
  QUANTILE_SAMPLE_ROWS,
  quantilePoints,
  quantilesFromCounts,
} from '../../../kernel-lib/src/statistics/numeric';
import { type Reference, rankError, referenceStatistics } from './reference';

const close = (actual: number, expected: number, rel = 1e-9, what = ''): void => {
  const tol = rel * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs expected ${expected}`);
};
const n = (s: string | undefined): number => Number(s ?? '0');
const sum = (h: Histogram): number => h.buckets.reduce((s, b) => s + b.sampleCount, 0);

describe('statistics of the Chicago Taxi sample (vs an independent pandas reference)', () => {
  let dataset: DatasetFeatureStatistics;
  let ref: Reference;
  const feature = (name: string): FeatureNameStatistics => {
    const f = dataset.features.find((x) => x.name === name);
    assert.ok(f, `feature ${name} missing`);
    return f;
  };

  before(async () => {
    const stats = await generateStatistics(TAXI_CSV);
    assert.equal(stats.datasets.length, 1);
    dataset = stats.datasets[0];
    ref = referenceStatistics(TAXI_CSV);
  });

  it('counts the examples and keeps every column in order, typed as TFX types them', () => {
    assert.equal(n(dataset.numExamples), 15000);
    assert.equal(ref.rows, 15000);
    assert.deepEqual(
      dataset.features.map((f) => f.name),
      Object.keys(ref.columns),
    );
    for (const [name, c] of Object.entries(ref.columns))
      assert.equal(feature(name).type, c.type, name);
    // The all-empty column is STRING (TFX), though pandas would call it float.
    assert.equal(feature('pickup_census_tract').type, 'STRING');
  });

  it('has exact presence counts and TFDV common statistics', () => {
    for (const [name, c] of Object.entries(ref.columns)) {
      const common = (feature(name).numStats ?? feature(name).stringStats)!.commonStats;
      assert.equal(n(common.numNonMissing), c.present, `${name} numNonMissing`);
      assert.equal(n(common.numMissing), c.missing, `${name} numMissing`);
      assert.equal(n(common.totNumValues), c.present, `${name} totNumValues`);
      assert.equal(n(common.minNumValues), c.present > 0 ? 1 : 0);
      assert.equal(n(common.maxNumValues), c.present > 0 ? 1 : 0);
      if (c.present > 0) {
        assert.equal(common.avgNumValues, 1);
        assert.equal(common.numValuesHistogram?.type, 'QUANTILES');
        close(sum(common.numValuesHistogram!), c.present, 1e-9, `${name} numValuesHistogram`);
      } else {
        assert.equal(common.numValuesHistogram, undefined);
      }
    }
  });

  it('matches mean, population std, min, max and zeros of every numeric feature', () => {
    for (const [name, c] of Object.entries(ref.columns)) {
      if (c.type === 'STRING') continue;
      const s = feature(name).numStats!;
      close(s.mean!, c.mean!, 1e-9, `${name} mean`);
      close(s.stdDev!, c.std!, 1e-6, `${name} stdDev`);
      assert.equal(s.min, c.min, `${name} min`);
      assert.equal(s.max, c.max, `${name} max`);
      assert.equal(n(s.numZeros), c.zeros, `${name} numZeros`);
    }
  });

  it('has medians and quantile boundaries within 1% rank error', () => {
    for (const [name, c] of Object.entries(ref.columns)) {
      if (c.type === 'STRING') continue;
      const s = feature(name).numStats!;
      assert.ok(rankError(c.sorted!, s.median!, 0.5) <= 0.01, `${name} median ${s.median}`);
      const q = s.histograms.find((h) => h.type === 'QUANTILES')!;
      assert.equal(q.buckets.length, 10);
      q.buckets.forEach((b, i) => {
        assert.ok(rankError(c.sorted!, b.lowValue, i / 10) <= 0.01, `${name} q${i / 10}`);
        assert.ok(b.lowValue <= b.highValue);
      });
      assert.equal(q.buckets[0].lowValue, c.min);
      assert.equal(q.buckets[9].highValue, c.max);
      close(sum(q), c.present, 1e-9, `${name} quantiles total`);
    }
  });

  it('counts STANDARD histogram buckets exactly over 10 equal-width buckets', () => {
    for (const [name, c] of Object.entries(ref.columns)) {
      if (c.type === 'STRING') continue;
      const h = feature(name).numStats!.histograms.find((x) => x.type === 'STANDARD')!;
      assert.equal(h.buckets.length, 10, name);
      assert.equal(h.buckets[0].lowValue, c.min);
      assert.equal(h.buckets[9].highValue, c.max);
      assert.equal(sum(h), c.present, `${name} bucket counts sum to the non-missing count`);
      const width = (c.max! - c.min!) / 10;
      h.buckets.forEach((b, i) => {
        close(b.lowValue, c.min! + i * width, 1e-12, `${name} edge ${i}`);
        // Values strictly inside the bucket are all counted in it; values on an edge may go
        // either side of it.
        const lo = b.lowValue;
        const hi = b.highValue;
        const inside = c.sorted!.filter((v) => v > lo && v < hi).length;
        const edges = c.sorted!.filter((v) => v === lo || v === hi).length;
        assert.ok(
          b.sampleCount >= inside && b.sampleCount <= inside + edges,
          `${name} bucket ${i}`,
        );
      });
    }
  });

  it('matches unique count, top values, frequencies and average length of string features', () => {
    for (const [name, c] of Object.entries(ref.columns)) {
      if (c.type !== 'STRING') continue;
      const s = feature(name).stringStats!;
      assert.equal(n(s.unique), c.unique, `${name} unique`);
      assert.deepEqual(
        s.topValues.map((v) => [v.value, v.frequency]),
        c.top,
        `${name} top values`,
      );
      close(s.avgLength, c.avgLength!, 1e-6, `${name} avgLength`);
      assert.equal(s.rankHistogram.buckets.length, c.unique);
      s.rankHistogram.buckets.forEach((b, i) => {
        assert.equal(b.lowRank, String(i));
        assert.equal(b.highRank, String(i));
      });
    }
    assert.deepEqual(feature('payment_type').stringStats!.topValues[0], {
      value: 'Cash',
      frequency: 9909,
    });
  });
});

describe('statistics options and inputs', () => {
  it('types CSV columns over the whole file, not the sniffer sample', async () => {
    const dir = tempDir();
    const lines = ['late_float,dot_zero,late_text,late_int,empty,nan_col'];
    for (let i = 0; i < 30000; i++) lines.push(`${i},${i},${i},,,${i % 3 === 0 ? 'nan' : i}`);
    lines.push('2.5,7.0,abc,12,,1');
    const file = writeFile(dir, 'types.csv', lines.join('\n') + '\n');
    const stats = await generateStatistics(file);
    const types = Object.fromEntries(stats.datasets[0].features.map((f) => [f.name, f.type]));
    assert.deepEqual(types, {
      late_float: 'FLOAT',
      dot_zero: 'FLOAT',
      late_text: 'STRING',
      late_int: 'INT',
      empty: 'STRING',
      nan_col: 'FLOAT',
    });
    const byName = new Map(stats.datasets[0].features.map((f) => [f.name, f]));
    const lateInt = byName.get('late_int')!.numStats!;
    assert.equal(lateInt.commonStats.numNonMissing, '1');
    assert.equal(lateInt.min, 12);
    // NaN is present but left out of mean/min/max, and counted in the histograms.
    const nan = byName.get('nan_col')!.numStats!;
    assert.equal(nan.commonStats.numNonMissing, '30001');
    assert.equal(nan.histograms[0].numNan, '10000');
    assert.equal(nan.min, 1);
    assert.equal(
      nan.histograms[0].buckets.reduce((s, b) => s + b.sampleCount, 0),
      20001,
    );
    const text = byName.get('late_text')!.stringStats!;
    assert.equal(text.unique, '30001');
    assert.equal(text.topValues.length, 20);
    assert.equal(text.rankHistogram.buckets.length, 1000);
  });

  it('keeps sampled quantiles within 1% rank error, and exact where few values repeat', async () => {
    // More rows than the quantile sample: quantiles come from a random sample of the rows, but
    // for features with few distinct values (small), which are counted value by value.
    const rows = 3 * QUANTILE_SAMPLE_ROWS;
    const columns: Record<string, number[]> = { id: [], skewed: [], zeros: [], small: [] };
    const lines = ['id,skewed,zeros,small'];
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < rows; i++) {
      const skewed = Math.floor(Math.exp(random() * 12));
      const zeros = random() < 0.6 ? 0 : Math.round(random() * 10000) / 100;
      const small = Math.floor(random() * 5);
      columns.id.push(i);
      columns.skewed.push(skewed);
      columns.zeros.push(zeros);
      columns.small.push(small);
      lines.push(`${i},${skewed},${zeros.toFixed(2)},${small}`);
    }
    const file = writeFile(tempDir(), 'many.csv', lines.join('\n') + '\n');
    const stats = await generateStatistics(file);
    const again = await generateStatistics(file);
    const deciles = Array.from({ length: 10 }, (_, i) => i / 10);
    const [small] = await duckdbRows(
      `SELECT quantile_disc(small, [${deciles.join(', ')}]) AS q FROM read_csv('${file}')`,
    );
    for (const [name, values] of Object.entries(columns)) {
      const sorted = [...values].sort((a, b) => a - b);
      const f = stats.datasets[0].features.find((x) => x.name === name)!.numStats!;
      const g = again.datasets[0].features.find((x) => x.name === name)!.numStats!;
      const standard = (x: typeof f) => x.histograms.find((h) => h.type === 'STANDARD');
      assert.deepEqual(standard(f), standard(g), `${name} STANDARD histogram is exact`);
      // Exact: every row counted (values strictly inside a bucket in it, edge values either side).
      const h = standard(f)!;
      assert.equal(sum(h), rows, `${name} STANDARD histogram counts every row`);
      h.buckets.forEach((b, i) => {
        const inside = sorted.filter((v) => v > b.lowValue && v < b.highValue).length;
        const edges = sorted.filter((v) => v === b.lowValue || v === b.highValue).length;
        assert.ok(
          b.sampleCount >= inside && b.sampleCount <= inside + edges,
          `${name} bucket ${i}`,
        );
      });
      if (name === 'small') {
        assert.deepEqual(f.histograms, g.histograms, `${name} quantiles are exact`);
        assert.deepEqual(
          f.histograms.find((x) => x.type === 'QUANTILES')!.buckets.map((b) => b.lowValue),
          (small.q as unknown[]).map(Number),
          `${name} quantiles are DuckDB's quantile_disc`,
        );
        assert.equal(f.median, sorted[Math.ceil(sorted.length / 2) - 1]);
      }
      assert.ok(rankError(sorted, f.median!, 0.5) <= 0.01, `${name} median ${f.median}`);
      const q = f.histograms.find((h) => h.type === 'QUANTILES')!;
      q.buckets.forEach((b, i) => {
        assert.ok(rankError(sorted, b.lowValue, i / 10) <= 0.01, `${name} q${i / 10}`);
      });
      assert.equal(q.buckets[0].lowValue, sorted[0]);
      assert.equal(q.buckets[9].highValue, sorted[sorted.length - 1]);
    }
  });

  it('samples rows one by one: a row repeated many times is not left out whole', async () => {
    // 60% of the rows are one row repeated; the rest are distinct. A sample by row hash would
    // keep or drop the repeated row whole, most often drop it (median rank error ~30%).
    const rows = 3 * QUANTILE_SAMPLE_ROWS;
    const lines = ['v,w'];
    const values: number[] = [];
    for (let i = 0; i < rows; i++) {
      const repeated = i % 5 < 3;
      const v = repeated ? 1_000_000 : i;
      lines.push(repeated ? '1000000,0.5' : `${i},${(i % 9973) / 7}`);
      values.push(v);
    }
    const file = writeFile(tempDir(), 'one-row-repeated.csv', lines.join('\n') + '\n');
    const stats = await generateStatistics(file);
    const v = stats.datasets[0].features.find((f) => f.name === 'v')!.numStats!;
    const sorted = values.sort((a, b) => a - b);
    assert.ok(rankError(sorted, v.median!, 0.5) <= 0.01, `median ${v.median}`);
    v.histograms
      .find((h) => h.type === 'QUANTILES')!
      .buckets.forEach((b, i) => {
        assert.ok(rankError(sorted, b.lowValue, i / 10) <= 0.01, `q${i / 10} ${b.lowValue}`);
      });
  });

  it('computes quantiles from value counts exactly as quantile_disc does', async () => {
    const points = quantilePoints(10);
    for (const [distinct, seed] of [
      [1, 1],
      [2, 7],
      [5, 3],
      [37, 11],
      [400, 5],
    ]) {
      const counts = Array.from({ length: distinct }, (_, i) => ({
        value: ((i * 7919 + seed) % 1000) / 8 - 20,
        count: 1 + ((i * 31 + seed) % 17),
      }));
      const values = counts.flatMap((c) => Array<number>(c.count).fill(c.value));
      const [row] = await duckdbRows(
        `SELECT quantile_disc(x, [${points.join(', ')}]) AS q FROM (SELECT unnest([${values.join(', ')}]::DOUBLE[]) AS x)`,
      );
      assert.deepEqual(
        quantilesFromCounts(counts, points),
        (row.q as unknown[]).map(Number),
        `${distinct} distinct values`,
      );
    }
  });

  it('counts features with few values value by value: exact quantiles even when rows repeat', async () => {
    // A few distinct rows, each repeated many times (a row-hash sample would keep or drop each
    // one whole): every feature has few values, so each is counted value by value.
    const distinct = [
      [3, 100, 0],
      [3, 250, 1],
      [5, 100, 1],
      [7, 40000, 0],
      [1, 40000, 1],
      [2, 640, 0],
      [9, 100, 1],
      [4, 12, 0],
    ];
    const weights = [9, 1, 4, 2, 7, 3, 5, 6];
    const rows = 3 * QUANTILE_SAMPLE_ROWS;
    const lines = ['code,span,flag'];
    const columns: number[][] = [[], [], []];
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rows; i++) {
      // Rows in a fixed round-robin by weight: the counts are known exactly.
      let slot = i % total;
      let k = 0;
      while (slot >= weights[k]) slot -= weights[k++];
      lines.push(distinct[k].join(','));
      distinct[k].forEach((v, c) => columns[c].push(v));
    }
    const file = writeFile(tempDir(), 'repeated.csv', lines.join('\n') + '\n');
    const stats = await generateStatistics(file);
    const [exact] = await duckdbRows(
      `SELECT quantile_disc(code, [0.1, 0.5, 0.9]) AS code, quantile_disc(span, [0.1, 0.5, 0.9]) AS span, quantile_disc(flag, [0.5]) AS flag FROM read_csv('${file}')`,
    );
    ['code', 'span', 'flag'].forEach((name, c) => {
      const f = stats.datasets[0].features.find((x) => x.name === name)!;
      assert.equal(f.type, 'INT');
      const q = f.numStats!.histograms.find((h) => h.type === 'QUANTILES')!;
      const expected = (exact[name] as unknown[]).map(Number);
      assert.equal(f.numStats!.median, expected[name === 'flag' ? 0 : 1], `${name} median`);
      if (name !== 'flag') {
        assert.equal(q.buckets[1].lowValue, expected[0], `${name} 0.1-quantile`);
        assert.equal(q.buckets[9].lowValue, expected[2], `${name} 0.9-quantile`);
      }
      const sorted = [...columns[c]].sort((a, b) => a - b);
      q.buckets.forEach((b, i) => {
        assert.ok(rankError(sorted, b.lowValue, i / 10) <= 0.01, `${name} q${i / 10}`);
      });
      const standard = f.numStats!.histograms.find((h) => h.type === 'STANDARD')!;
      assert.equal(
        standard.buckets.reduce((sum, b) => sum + b.sampleCount, 0),
        rows,
      );
    });
  });

  it('honours excluded features, bucket counts, top values and sample rate', async () => {
    const stats = await generateStatistics(TAXI_CSV, {
      excludedFeatures: ['fare', 'company'],
      numTopValues: 3,
      numHistogramBuckets: 4,
      numQuantilesHistogramBuckets: 5,
    });
    const names = stats.datasets[0].features.map((f) => f.name);
    assert.ok(!names.includes('fare') && !names.includes('company'));
    assert.equal(names.length, 16);
    const hour = stats.datasets[0].features.find((f) => f.name === 'trip_start_hour')!.numStats!;
    assert.equal(hour.histograms.find((h) => h.type === 'STANDARD')!.buckets.length, 4);
    assert.equal(hour.histograms.find((h) => h.type === 'QUANTILES')!.buckets.length, 5);
    const pay = stats.datasets[0].features.find((f) => f.name === 'payment_type')!.stringStats!;
    assert.equal(pay.topValues.length, 3);
    assert.equal(pay.rankHistogram.buckets.length, 7);

    const sampled = await generateStatistics(TAXI_CSV, { sampleRate: 0.2 });
    const again = await generateStatistics(TAXI_CSV, { sampleRate: 0.2 });
    const count = Number(sampled.datasets[0].numExamples);
    assert.ok(count > 2700 && count < 3300, `sampled ${count} of 15000`);
    assert.deepEqual(sampled, again, 'sampling is deterministic');
    for (const f of sampled.datasets[0].features) {
      const common = (f.numStats ?? f.stringStats)!.commonStats;
      assert.equal(Number(common.numNonMissing) + Number(common.numMissing), count);
    }
  });

  it('reads Parquet (an Examples split) with its column types and the same results', async () => {
    const dir = tempDir();
    const parquet = `${dir}/Split-train`;
    await duckdbRows(
      `COPY (SELECT * FROM read_csv('${TAXI_CSV}', types={'pickup_census_tract': 'VARCHAR'})) TO '${parquet}' (FORMAT parquet, PER_THREAD_OUTPUT true)`,
    );
    const fromParquet = (await generateStatistics(parquet)).datasets[0];
    const fromCsv = (await generateStatistics(TAXI_CSV)).datasets[0];
    assert.equal(fromParquet.numExamples, fromCsv.numExamples);
    for (const f of fromCsv.features) {
      const p = fromParquet.features.find((x) => x.name === f.name)!;
      assert.equal(p.type, f.type, f.name);
      assert.deepEqual(
        (p.numStats ?? p.stringStats)!.commonStats,
        (f.numStats ?? f.stringStats)!.commonStats,
      );
      if (f.numStats) {
        close(p.numStats!.mean!, f.numStats.mean!, 1e-9, f.name);
        assert.equal(p.numStats!.median, f.numStats.median);
        assert.deepEqual(p.numStats!.histograms, f.numStats.histograms);
      } else {
        assert.deepEqual(p.stringStats!.topValues, f.stringStats!.topValues);
      }
    }
  });
});
