import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  columnFormat,
  featureFormat,
  formatCount,
  formatNumber,
  formatPercent,
  formatTimestamp,
  formatValue,
  isTimestampLike,
  schemaTimeFormats,
  SchemaSchema,
  shorten,
  timestampFormat,
} from '@tsfx/protocol';
import * as v from 'valibot';

describe('number formats shared by the kernel fallbacks and the JupyterLab views', () => {
  it('groups counts whatever the locale', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(-1234.6), '-1,235');
    assert.equal(formatCount(999), '999');
  });

  it('writes whole numbers in full and others to about four significant digits', () => {
    const cases: [number | null, string][] = [
      [17031081500, '17,031,081,500'],
      [41.8987, '41.9'],
      [1.40813e9 + 0.5, '1.408e+9'],
      [0.0123, '0.0123'],
      [0.000012, '1.2e-5'],
      [0, '0'],
      [NaN, 'NaN'],
      [-Infinity, '-∞'],
      [null, '—'],
    ];
    for (const [value, text] of cases) assert.equal(formatNumber(value), text, String(value));
  });

  it('never rounds a share to 0% or 100% falsely', () => {
    assert.equal(formatPercent(1, 3), '33.3%');
    assert.equal(formatPercent(1, 100000), '<0.1%');
    assert.equal(formatPercent(99999, 100000), '>99.9%');
    assert.equal(formatPercent(0, 5), '0%');
    assert.equal(formatPercent(1, 0), '—');
  });

  it('shows JSON scalars in cells and shortens text by characters', () => {
    assert.equal(formatValue(null), 'null');
    assert.equal(formatValue(3), '3');
    assert.equal(formatValue(0.1 + 0.2), '0.3');
    assert.equal(formatValue(true), 'true');
    assert.equal(shorten('abcdef', 4), 'abc…');
    assert.equal(shorten('😀😀😀', 3), '😀😀😀');
  });
});

describe('one number format per column, chosen from its range', () => {
  it('gives a column as many decimals as its range needs, grouped, the same for every value', () => {
    // Expected values written with Python's format(): f'{x:,.0f}', f'{x:.2f}', f'{x:.4f}'.
    const timestamps = columnFormat([1357000200, 1483116300], { integer: true });
    assert.equal(timestamps(1408348139.85), '1,408,348,140');
    assert.equal(timestamps(29159042.714932352), '29,159,043');
    assert.equal(timestamps(1357000200), '1,357,000,200');
    const fares = columnFormat([0, 700.07]);
    assert.equal(fares(11.846882999999975), '11.85');
    assert.equal(fares(700.07), '700.07');
    assert.equal(fares(0), '0');
    const latitudes = columnFormat([41.694878966, 42.009622881]);
    assert.equal(latitudes(41.90307247640192), '41.9031');
    assert.equal(latitudes(0.03792731504615891), '0.0379');
    const longitudes = columnFormat([-87.913624596, -87.572781987]);
    assert.equal(longitudes(-87.65766271329923), '-87.6577');
    const hours = columnFormat([0, 23], { integer: true });
    assert.deepEqual([hours(13.6284), hours(0), hours(23)], ['13.63', '0', '23']);
  });

  it('writes exponents past what fixed digits show, and never -0', () => {
    const tiny = columnFormat([0.00001, 0.00004]);
    assert.equal(tiny(0.0000123), '1.23e-5');
    const huge = columnFormat([1e15, 3e16]);
    assert.equal(huge(2.5e16), '2.50e+16');
    assert.equal(columnFormat([-1, 1])(-0.0001), '0.000');
    assert.equal(columnFormat([])(1.5), '1.5');
    assert.equal(columnFormat([5, 5])(5), '5.000');
    assert.equal(columnFormat([5, 5], { integer: true })(5), '5');
  });

  it('reads INT features named as timestamps, within 1973-2100, as dates', () => {
    assert.equal(isTimestampLike('trip_start_timestamp', 1357000200, 1483116300), true);
    assert.equal(isTimestampLike('created_at', 1357000200, 1483116300), true);
    assert.equal(isTimestampLike('fare', 1357000200, 1483116300), false);
    assert.equal(isTimestampLike('trip_start_timestamp', 0, 23), false);
    assert.equal(isTimestampLike('dropoff_census_tract', 17031010100, 17031980100), false);
    // Python: datetime.fromtimestamp(t, UTC)
    assert.equal(formatTimestamp(1357000200), '2013-01-01 00:30:00 UTC');
    assert.equal(formatTimestamp(1408348139.85), '2014-08-18 07:49:00 UTC');
    const ts = featureFormat('trip_start_timestamp', [
      { name: 'trip_start_timestamp', type: 'INT', numStats: { min: 1357000200, max: 1483116300 } },
      undefined,
    ] as never);
    assert.equal(ts.number(1408348139.85), '1,408,348,140');
    assert.equal(ts.date?.(1483116300), '2016-12-30 16:45:00 UTC');
    const fare = featureFormat('fare', [
      { name: 'fare', type: 'FLOAT', numStats: { min: 0, max: 700.07 } },
    ] as never);
    assert.equal(fare.date, undefined);
    assert.equal(fare.number(7.85), '7.85');
  });

  it("reads INT features a schema's time domain marks as dates, in its unit, whatever their name", () => {
    const schema = v.parse(SchemaSchema, {
      feature: [
        { name: 'pickup', type: 'INT', timeDomain: { integerFormat: 'UNIX_MILLISECONDS' } },
        { name: 'day', type: 'INT', timeDomain: { integerFormat: 'UNIX_DAYS' } },
        { name: 'ns', type: 'INT', timeDomain: { integerFormat: 'UNIX_NANOSECONDS' } },
        { name: 'us', type: 'INT', timeDomain: { integerFormat: 'UNIX_MICROSECONDS' } },
        { name: 'when', type: 'BYTES', timeDomain: { stringFormat: '%Y-%m-%d' } },
        { name: 'unknown', type: 'INT', timeDomain: { integerFormat: 'FORMAT_UNKNOWN' } },
        { name: 'fare', type: 'FLOAT' },
      ],
    });
    const formats = schemaTimeFormats(schema);
    assert.deepEqual(formats, {
      pickup: 'UNIX_MILLISECONDS',
      day: 'UNIX_DAYS',
      ns: 'UNIX_NANOSECONDS',
      us: 'UNIX_MICROSECONDS',
    });
    // Python: datetime.fromtimestamp(1357000200, UTC); date(2013, 1, 1) is day 15706.
    assert.equal(
      timestampFormat('pickup', 0, 1, 'UNIX_MILLISECONDS')?.(1357000200000),
      '2013-01-01 00:30:00 UTC',
    );
    assert.equal(timestampFormat('day', 0, 1, 'UNIX_DAYS')?.(15706), '2013-01-01 00:00:00 UTC');
    assert.equal(
      // Nanoseconds past 2^53 are a double's nearest value (here exact).
      timestampFormat('ns', 0, 1, 'UNIX_NANOSECONDS')?.(1357000200123456800),
      '2013-01-01 00:30:00 UTC',
    );
    assert.equal(
      timestampFormat('us', 0, 1, 'UNIX_MICROSECONDS')?.(1357000200500000),
      '2013-01-01 00:30:01 UTC',
    );
    // Without an annotation, the name and the range decide.
    assert.equal(timestampFormat('pickup', 1357000200, 1483116300), undefined);
    assert.equal(
      timestampFormat('trip_start_timestamp', 1357000200, 1483116300, undefined)?.(1357000200),
      '2013-01-01 00:30:00 UTC',
    );
    assert.equal(timestampFormat('x', 1357000200, 1483116300, 'FORMAT_UNKNOWN'), undefined);
    const annotated = featureFormat(
      'pickup',
      [
        { name: 'pickup', type: 'INT', numStats: { min: 1357000200000, max: 1483116300000 } },
      ] as never,
      'UNIX_MILLISECONDS',
    );
    assert.equal(annotated.date?.(1483116300000), '2016-12-30 16:45:00 UTC');
    assert.equal(
      featureFormat('pickup', [
        { name: 'pickup', type: 'INT', numStats: { min: 1357000200000, max: 1483116300000 } },
      ] as never).date,
      undefined,
    );
  });
});
