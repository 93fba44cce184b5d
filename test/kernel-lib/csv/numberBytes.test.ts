import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferValueRank, normalizeNumber, TypeRank } from '@tsfx/protocol';
import { BYTE_TALLY, fieldRank, NEEDS_NORMALIZING } from '../../../kernel-lib/src/csv/numberBytes';

/** What the one rule says of a value, with the flag CsvExampleGen's SQL needs. */
function ruled(value: string): number {
  const rank = inferValueRank(value);
  return rank !== TypeRank.String && normalizeNumber(value) !== value
    ? rank | NEEDS_NORMALIZING
    : rank;
}

function fromBytes(value: string): number {
  const bytes = Buffer.from(value);
  const tally = bytes.reduce((t, b) => t + BYTE_TALLY[b], 0);
  return fieldRank(bytes, 0, bytes.length, tally);
}

describe('fieldRank types bytes exactly as the value-type rule types text', () => {
  it('every string of up to 4 characters over the characters numbers are made of', () => {
    const alphabet = [
      '0',
      '7',
      '.',
      '+',
      '-',
      'e',
      'E',
      '_',
      ' ',
      'i',
      'n',
      'f',
      'a',
      'x',
      '\u00a0',
    ];
    let strings = [''];
    let checked = 0;
    for (let length = 1; length <= 4; length++) {
      strings = strings.flatMap((s) => alphabet.map((c) => s + c));
      for (const value of strings) {
        assert.equal(fromBytes(value), ruled(value), JSON.stringify(value));
        checked++;
      }
    }
    assert.equal(checked, 15 + 15 ** 2 + 15 ** 3 + 15 ** 4);
  });

  it('long values, where the byte counts would overflow', () => {
    const values = [
      '9'.repeat(18),
      '9'.repeat(19),
      '9223372036854775807',
      '-9223372036854775809',
      '1'.repeat(1023),
      '1'.repeat(1024) + '.5',
      '1' + '.'.repeat(16),
      '1' + '.'.repeat(17) + '5',
      '-'.repeat(16) + '1',
      '1' + 'e'.repeat(16),
      'x'.repeat(16) + '1.5',
      '_'.repeat(16) + '1',
      ' '.repeat(40) + '12' + ' '.repeat(40),
      'infinity',
      '-Infinity',
      'nAn',
      '1_000.000_1',
      '.5',
      '5.',
      '+.5e-3',
      '41.701405426',
      '-87.746576989',
      '٣',
    ];
    for (const value of values) assert.equal(fromBytes(value), ruled(value), JSON.stringify(value));
  });
});
