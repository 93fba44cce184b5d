import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowBucketer } from '../../../kernel-lib/src/csv/rowBucket';
import { duckdbRows } from '../../helpers';

describe('RowBucketer', () => {
  it("gives DuckDB's own hash(text) % n for texts of every block length, ASCII and not", async () => {
    const texts = [
      '',
      'a',
      'abcdefg',
      'abcdefgh',
      'abcdefghi',
      '33\u001f6.75\u001f12\u001f\u001f\u001fCash',
      'ünï ☃ 😀',
      'x'.repeat(100),
      ...Array.from(
        { length: 40 },
        (_, i) => String(i * 7919).repeat(1 + (i % 5)) + 'é'.repeat(i % 3),
      ),
    ];
    const values = texts.map((t) => `('${t.replace(/'/g, "''")}')`).join(', ');
    const expected = await duckdbRows(
      `SELECT (hash(t) % 3)::INT AS b3, (hash(t) % 10)::INT AS b10, (hash(t) % 1000003)::INT AS big
       FROM (VALUES ${values}) v(t)`,
    );
    const bucketer = new RowBucketer(8);
    texts.forEach((text, i) => {
      bucketer.ensure(Buffer.byteLength(text));
      const length = bucketer.bytes.write(text, 0);
      assert.deepEqual(
        [3, 10, 1000003].map((n) => bucketer.bucket(length, n)),
        [expected[i].b3, expected[i].b10, expected[i].big],
        JSON.stringify(text),
      );
    });
  });
});
