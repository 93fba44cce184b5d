import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanCsv } from '../../../kernel-lib/src/csv/scanCsv';
import { InputError } from '../../../kernel-lib/src/errors';
import { tempDir, writeFile } from '../../helpers';

const dir = tempDir();

async function read(
  content: string | Buffer,
): Promise<{ columns: string[]; rows: string[][]; lines: number[] }> {
  const file = writeFile(dir, `in-${Math.random().toString(36).slice(2)}.csv`, content);
  const rows: string[][] = [];
  const lines: number[] = [];
  const result = await scanCsv(file, {
    onRecord(fields, line) {
      rows.push(fields);
      lines.push(line);
    },
  });
  return { columns: result.columns, rows, lines };
}

async function refusal(content: string | Buffer): Promise<InputError> {
  const file = writeFile(dir, `bad-${Math.random().toString(36).slice(2)}.csv`, content);
  try {
    await scanCsv(file, { onRecord() {} });
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.ok(error.message.startsWith(file), 'the message names the file first');
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    return error;
  }
  assert.fail('the CSV was accepted');
}

describe('scanCsv reads valid CSV exactly', () => {
  it('reads a header and records with their line numbers', async () => {
    const { columns, rows, lines } = await read('a,b,c\n1,2,3\n4,5,6\n');
    assert.deepEqual(columns, ['a', 'b', 'c']);
    assert.deepEqual(rows, [
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    assert.deepEqual(lines, [2, 3]);
  });

  it('strips a UTF-8 BOM and reads CRLF line ends', async () => {
    const { columns, rows } = await read('\ufeffname,n\r\nx,1\r\ny,2\r\n');
    assert.deepEqual(columns, ['name', 'n']);
    assert.deepEqual(rows, [
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  it('reads quoted commas, doubled quotes, quoted newlines (LF and CRLF) and unicode', async () => {
    const { rows, lines } = await read(
      'a,b\n"x, y","say ""hi"""\n"two\nlines","crlf\r\ninside"\r\n"ünï ☃ 😀",""\nlast,"no newline at end"',
    );
    assert.deepEqual(rows, [
      ['x, y', 'say "hi"'],
      ['two\nlines', 'crlf\r\ninside'],
      ['ünï ☃ 😀', ''],
      ['last', 'no newline at end'],
    ]);
    assert.deepEqual(lines, [2, 3, 6, 7]);
  });

  it('skips blank lines and keeps empty fields', async () => {
    const { rows } = await read('a,b\n\n1,\n\n,2\n\n');
    assert.deepEqual(rows, [
      ['1', ''],
      ['', '2'],
    ]);
  });

  it('reads a quote inside an unquoted field literally, as Python and DuckDB do', async () => {
    const { rows } = await read('a,b\n5" tall,x\n');
    assert.deepEqual(rows, [['5" tall', 'x']]);
  });

  it('reads fields that span read chunks', async () => {
    const long = 'z'.repeat(3 << 20);
    const { rows } = await read(`a,b\n"${long}",1\n${long},2\n`);
    assert.equal(rows.length, 2);
    assert.equal(rows[0][0].length, long.length);
    assert.equal(rows[1][0], long);
    assert.equal(rows[1][1], '2');
  });

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    const text = '€'.repeat((1 << 20) / 3 + 7);
    const { rows } = await read(`a\n${text}\n`);
    assert.equal(rows[0][0], text);
  });
});

describe('scanCsv refuses bad CSV with file, line and column', () => {
  it('an empty file', async () => {
    assert.match((await refusal('')).message, /:1: the file is empty/);
    assert.match((await refusal('\ufeff\n\n')).message, /:1: the file is empty/);
  });

  it('a header with no rows', async () => {
    const error = await refusal('a,b,c\n');
    assert.match(error.message, /the header has no data rows/);
    assert.equal(error.line, 2);
  });

  it('a ragged row: too few fields', async () => {
    const error = await refusal('a,b,c\n1,2,3\n4,5\n');
    assert.equal(error.line, 3);
    assert.equal(error.column, 4);
    assert.match(error.message, /too few fields: found 2, expected 3/);
  });

  it('a ragged row: too many fields', async () => {
    const error = await refusal('a,b\n1,2\n3,4\n5,6,7\n');
    assert.equal(error.line, 4);
    assert.equal(error.column, 5);
    assert.match(error.message, /too many fields/);
  });

  it('an unterminated quote, at the line and column where it opens', async () => {
    const error = await refusal('a,b\n1,2\n3,"open\n4,5\n6,7\n');
    assert.equal(error.line, 3);
    assert.equal(error.column, 3);
    assert.match(error.message, /unterminated quoted field/);
  });

  it('text after a closing quote', async () => {
    const error = await refusal('a,b\n"x"y,2\n');
    assert.equal(error.line, 2);
    assert.equal(error.column, 4);
  });

  it('duplicate column names', async () => {
    const error = await refusal('id,name,id\n1,2,3\n');
    assert.equal(error.line, 1);
    assert.equal(error.column, 9);
    assert.match(error.message, /duplicate column name "id" \(also column 1\)/);
  });

  it('an empty column name', async () => {
    const error = await refusal('a,,c\n1,2,3\n');
    assert.match(error.message, /column 2 of the header has no name/);
  });

  it('invalid UTF-8 (Latin-1 text)', async () => {
    const error = await refusal(
      Buffer.concat([Buffer.from('city,n\nK'), Buffer.from([0xf6]), Buffer.from('ln,1\n')]),
    );
    assert.equal(error.line, 2);
    assert.equal(error.column, 2);
    assert.match(error.message, /invalid UTF-8 \(byte 0xf6/);
  });

  it('binary input (NUL bytes)', async () => {
    const error = await refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x0a, 0x01]));
    assert.match(error.message, /binary data/);
    assert.equal(error.line, 1);
  });

  it('a truncated multi-byte character at the end', async () => {
    const error = await refusal(Buffer.concat([Buffer.from('a\nx'), Buffer.from([0xe2, 0x82])]));
    assert.match(error.message, /invalid UTF-8/);
  });
});
