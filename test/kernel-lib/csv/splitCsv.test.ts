import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { splitCarefully } from '../../../kernel-lib/src/csv/splitCarefully';
import {
  splitCsv,
  splitPlan,
  type SplitCsvOptions,
  type SplitCsvResult,
} from '../../../kernel-lib/src/csv/splitCsv';
import { duckdbRows, TAXI_CSV, tempDir, writeFile } from '../../helpers';
import { PINNED_CSV, PINNED_SPLITS } from '../../pinnedSplits';

const root = tempDir();
let runs = 0;

async function split(
  files: string[],
  options: SplitCsvOptions & { careful?: boolean } = {},
): Promise<SplitCsvResult> {
  const partDir = join(root, `parts-${runs++}`);
  mkdirSync(partDir);
  const plan = splitPlan([2, 1], partDir);
  return options.careful ? splitCarefully(files, plan) : splitCsv(files, plan, options);
}

/** The values of each split's rows, in order, as DuckDB reads the part files. */
async function values(result: SplitCsvResult): Promise<unknown[][][]> {
  const columns = `{${result.columns.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
  return Promise.all(
    result.parts.map(async (parts) =>
      (
        await duckdbRows(
          `SELECT * FROM read_csv([${parts.map((p) => `'${p}'`).join(', ')}], header = false,
             auto_detect = false, columns = ${columns}, new_line = '\\n', strict_mode = true)`,
        )
      ).map((row) => Object.values(row)),
    ),
  );
}

const bytesOf = (parts: string[]): Buffer => Buffer.concat(parts.map((p) => readFileSync(p)));

function assertSameReading(a: SplitCsvResult, b: SplitCsvResult): void {
  assert.deepEqual(a.columns, b.columns);
  assert.deepEqual(a.types, b.types);
  assert.deepEqual(a.needsNormalizing, b.needsNormalizing);
  assert.deepEqual(a.rows, b.rows);
}

describe('splitCsv', () => {
  it('reads the taxi sample on the fast path exactly as the careful path reads it', async () => {
    const fast = await split([TAXI_CSV]);
    const careful = await split([TAXI_CSV], { careful: true });
    assert.equal(fast.carefulBecause, undefined);
    assertSameReading(fast, careful);
    assert.deepEqual(fast.rows, [10000, 5000]);
    assert.deepEqual(await values(fast), await values(careful));
  });

  it('routes rows on the careful path by the same pinned rule', async () => {
    const file = writeFile(tempDir(), 'pinned.csv', PINNED_CSV);
    for (const [splits, expected] of PINNED_SPLITS) {
      const partDir = join(root, `parts-${runs++}`);
      mkdirSync(partDir);
      const plan = splitPlan(
        splits.map((s) => s.hashBuckets),
        partDir,
      );
      const careful = await splitCarefully([file], plan);
      const ids = (await values(careful)).map((rows) => rows.map((row) => Number(row[0])));
      assert.deepEqual(
        ids,
        splits.map((_, index) => expected.flatMap((s, i) => (s === index ? [i + 1] : []))),
      );
    }
  });

  it('reads ranges on worker threads into the same parts as one range', async () => {
    const one = await split([TAXI_CSV]);
    const four = await split([TAXI_CSV], { threads: 4, minParallelBytes: 0 });
    assert.deepEqual(
      four.parts.map((parts) => parts.length),
      [4, 4],
    );
    assertSameReading(one, four);
    for (const s of [0, 1]) assert.deepEqual(bytesOf(four.parts[s]), bytesOf(one.parts[s]));
  });

  it('reads a file again as one range when a quoted field spans a range boundary', async () => {
    const dir = tempDir();
    const lines = ['a,b'];
    for (let i = 0; i < 200; i++) lines.push(`${i},x${i}`);
    lines.push(`200,"${Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n')}"`);
    for (let i = 201; i < 400; i++) lines.push(`${i},y${i}`);
    const file = writeFile(dir, 'spanning.csv', lines.join('\n') + '\n');
    const ranged = await split([file], { threads: 2, minParallelBytes: 0 });
    const careful = await split([file], { careful: true });
    assert.equal(ranged.carefulBecause, undefined);
    const partDir = dirname(ranged.parts[0][0]);
    assert.ok(existsSync(join(partDir, '0.0.1.csv')), 'first read in two ranges');
    assert.deepEqual(
      ranged.parts.map((parts) => parts.length),
      [1, 1],
      'then as one',
    );
    assertSameReading(ranged, careful);
    assert.deepEqual(await values(ranged), await values(careful));
  });

  it('leaves unusual but valid CSV to the careful path, which reads it', async () => {
    const dir = tempDir();
    const cases: [string, string, string][] = [
      ['quote.csv', 'a,b\n5" tall,1\nx,2\n', 'a quote inside an unquoted field'],
      ['cr.csv', 'a,b\r1,2\r3,4\r', 'an unusual header'],
      ['late-cr.csv', 'a,b\n1,2\r3,4\n', 'a CR line end without LF'],
      ['one-column.csv', 'a\n1\n\n2\n', 'an unusual header'],
    ];
    for (const [name, content, reason] of cases) {
      const result = await split([writeFile(dir, name, content)]);
      assert.equal(result.carefulBecause, reason, name);
      const careful = await split([join(dir, name)], { careful: true });
      assertSameReading(result, careful);
    }
  });

  it('reads a BOM, CRLF, blank lines and quoted fields on the fast path', async () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'awkward.csv',
      '\ufeff\r\nid,"na,me",n\r\n\r\n1,"a ""b""\r\nc",2.5\r\n2,,\n\n3,"",1e3',
    );
    const fast = await split([file]);
    const careful = await split([file], { careful: true });
    assert.equal(fast.carefulBecause, undefined);
    assert.deepEqual(fast.columns, ['id', 'na,me', 'n']);
    assert.deepEqual(fast.types, ['INT', 'STRING', 'FLOAT']);
    assertSameReading(fast, careful);
    assert.deepEqual(await values(fast), await values(careful));
  });
});

describe('splitCsv refuses bad input as scanCsv does, wherever a range finds it', () => {
  const csv = (line: number, bad: string | Buffer): Buffer => {
    const lines = ['a,b', ...Array.from({ length: 3000 }, (_, i) => `${i},x`)];
    const text = (from: number, to: number) => Buffer.from(lines.slice(from, to).join('\n') + '\n');
    return Buffer.concat([
      text(0, line - 1),
      Buffer.from(bad),
      Buffer.from('\n'),
      text(line, 3001),
    ]);
  };
  const cases: [string, Buffer, RegExp][] = [
    ['ragged', csv(2501, '7'), /:2501:2: too few fields/],
    ['unterminated', csv(2901, '1,"open'), /:2901:3: unterminated quoted field/],
    ['invalid UTF-8', csv(2601, Buffer.from([0x31, 0x2c, 0xff])), /:2601:3: invalid UTF-8/],
  ];
  for (const [name, content, expected] of cases) {
    it(name, async () => {
      const file = writeFile(tempDir(), `${name}.csv`, content);
      await assert.rejects(split([file], { threads: 2, minParallelBytes: 0 }), (error: Error) => {
        assert.match(error.message, expected);
        assert.ok(error.message.startsWith(file));
        return true;
      });
    });
  }
});
