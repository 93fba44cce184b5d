import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';

export interface CsvHeader {
  columns: string[];
  /** The offset of the first byte after the header line. */
  dataStart: number;
}

/**
 * The header of a CSV file for the fast path: its column names and where the data starts, after
 * a UTF-8 BOM, blank lines and the header line (LF or CRLF). Null for anything the fast path
 * leaves to the careful reader: a header spread over lines or with odd quoting, a lone CR, NUL or
 * invalid UTF-8, fewer than two columns, empty or repeated names, no line after the header.
 */
export function readCsvHeader(file: string): CsvHeader | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let want = 1 << 16; ; want *= 4) {
      const bytes = Buffer.allocUnsafe(Math.min(want, size));
      const length = readSync(fd, bytes, 0, bytes.length, 0);
      const header = parseHeader(bytes.subarray(0, length));
      if (header !== undefined || length >= size) return header ?? null;
    }
  } finally {
    closeSync(fd);
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** The header, null when unusual, undefined when `bytes` ends before the header line does. */
function parseHeader(bytes: Buffer): CsvHeader | null | undefined {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (;;) {
    const lf = bytes.indexOf(LF, start);
    if (lf === -1) return undefined;
    const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
    const line = bytes.subarray(start, end);
    if (line.length === 0) {
      start = lf + 1; // a blank line
      continue;
    }
    if (line.includes(CR) || line.includes(0) || !isUtf8(line)) return null;
    const columns = splitHeaderLine(line.toString('utf8'));
    if (columns === null || columns.length < 2) return null;
    if (columns.some((c) => c.trim() === '') || new Set(columns).size < columns.length) return null;
    return { columns, dataStart: lf + 1 };
  }
}

function splitHeaderLine(line: string): string[] | null {
  const names: string[] = [];
  let i = 0;
  for (;;) {
    let name: string;
    if (line[i] === '"') {
      name = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote === -1) return null;
        name += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        name += '"';
        i++;
      }
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      name = line.slice(i, end);
      if (name.includes('"')) return null;
      i = end;
    }
    names.push(name);
    if (i >= line.length) return names;
    i++; // the comma
  }
}
