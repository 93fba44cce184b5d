import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  byteCompare,
  check,
  FeatureNameStatisticsSchema,
  jensenShannonOfCounts,
  lInftyDistance,
  stringValuesWithCounts,
  type FeatureNameStatistics,
} from '@tsfx/protocol';

const categorical = (counts: Record<string, number>): FeatureNameStatistics =>
  check(FeatureNameStatisticsSchema, {
    name: 'c',
    type: 'STRING',
    stringStats: {
      rankHistogram: {
        buckets: Object.entries(counts).map(([label, sampleCount]) => ({ label, sampleCount })),
      },
    },
  });

describe('drift and skew distances (one definition for ExampleValidator and the view)', () => {
  it('orders strings by their UTF-8 bytes, as TFDV (std::string) does', () => {
    const words = ['b', 'é', 'a', '😀', '\uffff', 'Z', ''];
    const byBuffer = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...words].sort(byteCompare), byBuffer);
    // UTF-16 order would put U+FFFF after the emoji (a surrogate pair); UTF-8 puts it before.
    assert.ok(byteCompare('\uffff', '😀') < 0);
  });

  it('reads a categorical feature’s values from its rank histogram, in byte order', () => {
    assert.deepEqual(
      [...stringValuesWithCounts(categorical({ b: 2, a: 1 }))],
      [
        ['a', 1],
        ['b', 2],
      ],
    );
  });

  it('measures L-infinity on normalised frequencies and names the value where it is reached', () => {
    // a: 0.5 vs 0.2, b: 0.5 vs 0.2, c: 0 vs 0.6 → 0.6 at "c".
    const d = lInftyDistance(categorical({ a: 5, b: 5 }), categorical({ a: 2, b: 2, c: 6 }));
    assert.equal(d.value, 'c');
    assert.ok(Math.abs(d.distance - 0.6) < 1e-12);
  });

  it('measures Jensen–Shannon in bits: 0 for equal, 1 for disjoint distributions', () => {
    const same = new Map([
      ['x', 3],
      ['y', 1],
    ]);
    assert.equal(
      jensenShannonOfCounts(
        same,
        new Map([
          ['x', 6],
          ['y', 2],
        ]),
      ),
      0,
    );
    assert.equal(jensenShannonOfCounts(new Map([['x', 1]]), new Map([['y', 1]])), 1);
    // p = (0.5, 0.5), q = (0.9, 0.1), m = (0.7, 0.3): written out, JS = 0.14679…
    const p = [0.5, 0.5];
    const q = [0.9, 0.1];
    const m = p.map((pi, i) => (pi + q[i]!) / 2);
    const kl = (a: number[]) => a.reduce((s, ai, i) => s + ai * Math.log2(ai / m[i]!), 0);
    const expected = (kl(p) + kl(q)) / 2;
    const actual = jensenShannonOfCounts(
      new Map([
        ['x', 5],
        ['y', 5],
      ]),
      new Map([
        ['x', 9],
        ['y', 1],
      ]),
    );
    assert.ok(Math.abs(actual - expected) < 1e-12 && Math.abs(expected - 0.14679) < 1e-5);
  });
});
