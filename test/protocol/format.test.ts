import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatNumber, formatPercent, formatValue, shorten } from '@tsfx/protocol';

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
