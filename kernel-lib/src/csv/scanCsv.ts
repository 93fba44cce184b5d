import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors';

/**
 * A streaming RFC 4180 reader: header first, then one callback per record, never holding the
 * file. It is hand-written rather than taken from a CSV library because every refusal must name
 * the exact line and column (including where an unterminated quote was opened), and because it
 * validates UTF-8 and rejects binary input on the raw bytes before decoding.
 *
 * Accepted: a UTF-8 BOM, LF / CRLF / CR line ends, quoted fields with commas, doubled quotes and
 * newlines, blank lines (skipped). Refused: empty file, header without rows, duplicate or empty
 * column names, ragged rows, unterminated quotes, text after a closing quote, NUL bytes and
 * invalid UTF-8. A quote inside an unquoted field is literal (Python's csv and DuckDB agree).
 */
export interface CsvScanHandler {
  /** Called once with the header's column names. */
  onHeader?(columns: readonly string[]): void;
  /** Called for every data record; `line` is the 1-based line the record starts on. */
  onRecord(fields: string[], line: number): void;
}

export interface CsvScanResult {
  columns: string[];
  numRecords: number;
  bytes: number;
  /** The longest record, in UTF-16 units (a bound for readers with a line-size limit). */
  maxRecordLength: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export async function scanCsv(file: string, handler: CsvScanHandler): Promise<CsvScanResult> {
  const scanner = new CsvScanner(file, handler);
  let carry: Buffer | null = null;
  let bytesSeen = 0;
  let linesBeforeChunk = 1;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const raw of stream as AsyncIterable<Buffer>) {
    let bytes: Buffer = carry ? Buffer.concat([carry, raw]) : raw;
    const cut = completeUtf8Length(bytes);
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : null;
    bytes = bytes.subarray(0, cut);
    checkBytes(file, bytes, bytesSeen, linesBeforeChunk);
    bytesSeen += bytes.length;
    linesBeforeChunk += countNewlines(bytes);
    scanner.push(bytes.toString('utf8'));
  }
  if (carry) checkBytes(file, carry, bytesSeen, linesBeforeChunk, true);
  return { ...scanner.finish(), bytes: bytesSeen };
}

class CsvScanner {
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private fieldStartCol = 1;
  private fieldStartLine = 1;
  private recordLine = 1;
  private line = 1;
  /** Absolute offset (in UTF-16 units) where the current line starts. */
  private lineStart = 0;
  private offset = 0;
  private skipLf = false;
  private quoteLine = 0;
  private quoteCol = 0;
  private first = true;
  private columns: string[] | null = null;
  private numRecords = 0;
  private lastFieldQuoted = false;
  private recordStart = 0;
  private maxRecordLength = 0;

  constructor(
    private readonly file: string,
    private readonly handler: CsvScanHandler,
  ) {}

  push(text: string): void {
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          if (this.state === State.Quoted) this.field += '\n';
          i++;
          this.lineStart = this.offset + i;
          continue;
        }
      }
      switch (this.state) {
        case State.FieldStart:
          this.fieldStartCol = this.offset + i - this.lineStart + 1;
          this.fieldStartLine = this.line;
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            this.quoteCol = this.fieldStartCol;
            i++;
            break;
          }
          this.state = State.Unquoted;
        // falls through
        case State.Unquoted: {
          let j = i;
          let d = c;
          while (d !== COMMA && d !== LF && d !== CR && d !== QUOTE) {
            if (++j === n) break;
            d = text.charCodeAt(j);
          }
          if (j > i) this.field += text.slice(i, j);
          if (j === n) {
            i = j;
            break;
          }
          if (d === QUOTE) {
            // A quote inside an unquoted field is literal, as in Python's csv module and DuckDB.
            this.field += '"';
            i = j + 1;
            break;
          }
          i = j + 1;
          if (d === COMMA) this.endField();
          else this.endRecord(d, i);
          break;
        }
        case State.Quoted: {
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === QUOTE || d === LF || d === CR) break;
            j++;
          }
          if (j > i) this.field += text.slice(i, j);
          if (j === n) {
            i = n;
            break;
          }
          const d = text.charCodeAt(j);
          i = j + 1;
          if (d === QUOTE) {
            this.state = State.QuoteInQuoted;
          } else {
            this.field += text[j];
            this.newline(d, i);
          }
          break;
        }
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === COMMA) {
            this.endField();
            i++;
          } else if (c === LF || c === CR) {
            i++;
            this.endRecord(c, i);
          } else {
            this.fail(
              this.line,
              this.offset + i - this.lineStart + 1,
              'unexpected character after a closing quote',
            );
          }
          break;
      }
    }
    this.offset += n;
  }

  finish(): Omit<CsvScanResult, 'bytes'> {
    if (this.state === State.Quoted) {
      this.fail(
        this.quoteLine,
        this.quoteCol,
        'unterminated quoted field: the quote opened here is never closed',
      );
    }
    if (this.state !== State.FieldStart || this.fields.length > 0) {
      this.endField();
      this.emitRecord();
    }
    if (this.columns === null)
      this.fail(1, null, 'the file is empty: expected a header line and data rows');
    if (this.numRecords === 0) {
      this.fail(this.line, null, 'the header has no data rows after it');
    }
    return {
      columns: this.columns!,
      numRecords: this.numRecords,
      maxRecordLength: this.maxRecordLength,
    };
  }

  private endField(): void {
    if (this.columns !== null && this.fields.length === this.columns.length) {
      this.fail(
        this.fieldStartLine,
        this.fieldStartCol,
        `too many fields: expected ${this.columns.length} as in the header`,
      );
    }
    this.lastFieldQuoted = this.state === State.QuoteInQuoted;
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  /** Ends the record at a line break `c`; `next` is the index after it in the current chunk. */
  private endRecord(c: number, next: number): void {
    const col = this.offset + next - this.lineStart;
    this.endField();
    this.emitRecord(col);
    this.newline(c, next);
  }

  private newline(c: number, next: number): void {
    this.line++;
    this.lineStart = this.offset + next;
    if (this.state === State.FieldStart) this.recordStart = this.lineStart;
    this.skipLf = c === CR;
    this.recordLine = this.state === State.FieldStart ? this.line : this.recordLine;
  }

  private emitRecord(endCol?: number): void {
    const fields = this.fields;
    this.fields = [];
    this.state = State.FieldStart;
    const line = this.recordLine;
    this.recordLine = this.line + 1;
    const end = endCol === undefined ? this.offset : this.lineStart + endCol - 1;
    const length = end - this.recordStart + 1;
    if (length > this.maxRecordLength) this.maxRecordLength = length;
    // A blank line is skipped (as TFX's, pandas' and DuckDB's readers do), except in a
    // one-column file where it is a missing value, as DuckDB reads it.
    const blank = fields.length === 1 && fields[0] === '' && !this.lastFieldQuoted;
    if (blank && (this.columns === null || this.columns.length > 1)) return;
    if (this.columns === null) {
      this.columns = checkHeader(this.file, fields);
      this.handler.onHeader?.(this.columns);
      return;
    }
    if (fields.length < this.columns.length) {
      this.fail(
        endCol === undefined ? line : this.line,
        endCol ?? null,
        `too few fields: found ${fields.length}, expected ${this.columns.length} as in the header`,
      );
    }
    this.numRecords++;
    this.handler.onRecord(fields, line);
  }

  private fail(line: number, column: number | null, reason: string): never {
    throw new InputError(this.file, line, column, reason);
  }
}

function checkHeader(file: string, names: string[]): string[] {
  const seen = new Map<string, number>();
  let col = 1;
  names.forEach((name, index) => {
    if (name.trim() === '')
      throw new InputError(file, 1, col, `column ${index + 1} of the header has no name`);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new InputError(
        file,
        1,
        col,
        `duplicate column name "${name}" (also column ${earlier + 1})`,
      );
    }
    seen.set(name, index);
    col += name.length + 1;
  });
  return names;
}

/** Length of the prefix of `bytes` that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  let i = bytes.indexOf(LF);
  while (i !== -1) {
    count++;
    i = bytes.indexOf(LF, i + 1);
  }
  return count;
}

/** Refuses NUL bytes (binary input) and invalid UTF-8, naming the line and column. */
function checkBytes(
  file: string,
  bytes: Buffer,
  offset: number,
  line: number,
  atEnd = false,
): void {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const where = locate(bytes, nul, line);
    throw new InputError(
      file,
      where.line,
      where.column,
      `binary data (a NUL byte at byte offset ${offset + nul}): expected UTF-8 CSV text`,
    );
  }
  if (!atEnd && isUtf8(bytes)) return;
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) return;
  const where = locate(bytes, bad, line);
  throw new InputError(
    file,
    where.line,
    where.column,
    `invalid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte offset ${offset + bad}): expected UTF-8 CSV text`,
  );
}

function locate(bytes: Buffer, index: number, firstLine: number): { line: number; column: number } {
  const before = bytes.subarray(0, index);
  const lastLf = before.lastIndexOf(LF);
  return {
    line: firstLine + countNewlines(before),
    column: before.subarray(lastLf + 1).toString('utf8').length + 1,
  };
}

function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cb = bytes[i + k];
      if (cb === undefined || (cb & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cb & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
