import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { TypeRank } from '@tsfx/protocol';
import { BYTE_TALLY, fieldRank, NEEDS_NORMALIZING, textRank } from './numberBytes';
import { FNV_OFFSET_BASIS, FNV_PRIME } from '../transform/hash';
import { bucketOf } from './rowBucket';
import { SplitParts } from './splitParts';

/**
 * The CSV fast path: reads the records that start in a byte range of a file, straight from the
 * bytes, and in the same pass types their values (TFX's rule), gives each row its split bucket
 * and copies it to that split's part file. It reads the CSV most files are (LF or CRLF line
 * ends, quoted fields with doubled quotes, commas and newlines, blank lines skipped, UTF-8) and
 * steps aside at anything else: a quote inside an unquoted field, text after a closing quote, a
 * lone CR, a ragged row, an unclosed quote, a NUL byte, invalid UTF-8. Then the careful reader
 * (`scanCsv`) reads the input instead, and refuses it with file, line and column if it is bad.
 *
 * Ranges let several workers read one file: a range starts after a line end and reads every
 * record that starts before its end. If that line end was inside a quoted field, the range
 * before it reads past its end, which `stoppedAt` shows, and the caller reads the file as one.
 */
export interface RangeJob {
  file: string;
  /** The first byte of the range's first record. */
  start: number;
  /** Records that start before this offset are read. */
  end: number;
  numColumns: number;
  totalBuckets: number;
  /** The split index of each bucket. */
  splitOfBucket: number[];
  /** Where the part files go; null to only validate and type. */
  partDir: string | null;
  /** Names this range's part files. */
  part: string;
}

export interface RangeResult {
  /** Why the fast path stepped aside, or null when it read the whole range. */
  unusual: string | null;
  /** Where the last record read ends (after its line end). */
  stoppedAt: number;
  /** Per column, a `TypeRank`. */
  ranks: number[];
  needsNormalizing: boolean[];
  /** Rows per split. */
  rows: number[];
  /** The longest record, in bytes. */
  maxRecordBytes: number;
  /** The part file of each split. */
  paths: string[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const CHUNK_BYTES = 4 << 20;
const NORMALIZE = NEEDS_NORMALIZING;

export function splitRange(job: RangeJob): RangeResult {
  const reader = new RangeReader(job);
  const fd = openSync(job.file, 'r');
  try {
    reader.read(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
    reader.parts?.close();
  }
  return reader.result();
}

/** `scan` returns this when the chunk ends inside a record. */
const INCOMPLETE = -1;
/** `scan` returns this when it steps aside (`unusual` says why). */
const UNUSUAL = -2;

class RangeReader {
  readonly parts: SplitParts | null;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES + 1);
  private readonly ranks: Uint8Array;
  private readonly normalize: Uint8Array;
  private readonly rows: number[];
  private maxRecordBytes = 0;
  private unusual: string | null = null;
  private stoppedAt: number;
  /** The range's end was reached: the next record starts at or after it. */
  private done = false;
  // The run of consecutive lines of one split not yet copied.
  private runSplit = -1;
  private runStart = 0;
  private runEnd = 0;

  constructor(private readonly job: RangeJob) {
    this.parts =
      job.partDir === null
        ? null
        : new SplitParts(job.partDir, Math.max(...job.splitOfBucket) + 1, job.part);
    this.ranks = new Uint8Array(job.numColumns);
    this.normalize = new Uint8Array(job.numColumns);
    this.rows = new Array<number>(Math.max(...job.splitOfBucket) + 1).fill(0);
    this.stoppedAt = job.start;
  }

  read(fd: number, size: number): void {
    let offset = this.job.start; // file offset of buffer[0]
    let have = 0;
    while (offset + have < size || have > 0) {
      if (have === this.buffer.length - 1) this.grow();
      const wanted = Math.min(this.buffer.length - 1 - have, size - offset - have);
      have += readSync(fd, this.buffer, have, wanted, offset + have);
      const eof = offset + have >= size;
      if (this.buffer.subarray(0, have).indexOf(0) !== -1) return this.stepAside('a NUL byte');
      const consumed = this.scan(have, eof, this.job.end - offset);
      if (consumed === UNUSUAL) return;
      if (consumed === INCOMPLETE) continue;
      if (!isUtf8(this.buffer.subarray(0, consumed))) return this.stepAside('invalid UTF-8');
      offset += consumed;
      this.stoppedAt = offset;
      if (this.done || eof) return;
      this.buffer.copy(this.buffer, 0, consumed, have);
      have -= consumed;
    }
  }

  result(): RangeResult {
    return {
      unusual: this.unusual,
      stoppedAt: this.stoppedAt,
      ranks: Array.from(this.ranks),
      needsNormalizing: Array.from(this.normalize, (n) => n === 1),
      rows: this.rows,
      maxRecordBytes: this.maxRecordBytes,
      paths: this.parts?.paths ?? [],
    };
  }

  private stepAside(reason: string): void {
    this.unusual = reason;
  }

  private grow(): void {
    const bigger = Buffer.allocUnsafe(this.buffer.length * 2 - 1);
    this.buffer.copy(bigger);
    this.buffer = bigger;
  }

  /**
   * Reads the whole records of `buffer[0, have)` that start before `limit`; returns the length
   * read (up to the end of its last record), INCOMPLETE when not even one record is whole, or
   * UNUSUAL. A field is typed only once it is whole.
   */
  private scan(have: number, eof: boolean, limit: number): number {
    const buffer = this.buffer;
    const ranks = this.ranks;
    const numColumns = this.job.numColumns;
    const parts = this.parts;
    // Imported constants are read through getters when modules are transpiled to CommonJS.
    const byteTally = BYTE_TALLY;
    const stringRank = TypeRank.String;
    const intRank = TypeRank.Int;
    const rankOfBytes = fieldRank;
    const rankOfText = textRank;
    const hashing = parts !== null;
    const prime = FNV_PRIME;
    const offsetBasis = FNV_OFFSET_BASIS;
    const bucket = bucketOf;
    buffer[have] = LF; // a sentinel: every unquoted field ends
    let p = 0;
    let consumed = 0;
    records: while (p < have) {
      if (p >= limit) {
        this.done = true;
        break;
      }
      const recordStart = p;
      // The row's FNV-1a hash (see rowBucket.ts), taken as the bytes go by.
      let hash = offsetBasis;
      let field = 0;
      let c = 0;
      let quoted = false;
      for (;;) {
        const start = p;
        c = buffer[p];
        let tally = 0;
        quoted = c === QUOTE;
        if (quoted) {
          p++;
          for (;;) {
            c = buffer[p++];
            if (c === QUOTE) {
              c = buffer[p];
              if (c !== QUOTE) break;
              if (hashing) hash = Math.imul(hash ^ QUOTE, prime);
              p++;
            } else if (p > have) {
              if (!eof) break records;
              this.stepAside('a quoted field is not closed');
              return UNUSUAL;
            } else if (hashing) {
              hash = Math.imul(hash ^ c, prime);
            }
          }
          if (c !== COMMA && c !== LF && c !== CR) {
            this.stepAside('text after a closing quote');
            return UNUSUAL;
          }
        } else if (hashing) {
          // Every delimiter is below 0x2d: digits, letters, '.' and '-' need one test.
          while (c > COMMA || (c !== COMMA && c !== LF && c !== CR && c !== QUOTE)) {
            hash = Math.imul(hash ^ c, prime);
            tally += byteTally[c];
            c = buffer[++p];
          }
        } else {
          while (c > COMMA || (c !== COMMA && c !== LF && c !== CR && c !== QUOTE)) {
            tally += byteTally[c];
            c = buffer[++p];
          }
        }
        if (c === QUOTE) {
          this.stepAside('a quote inside an unquoted field');
          return UNUSUAL;
        }
        if (p === have && !eof) break records;
        if (field < numColumns && ranks[field] !== stringRank) {
          const rank = quoted
            ? p - start > 2
              ? rankOfText(buffer.toString('utf8', start + 1, p - 1).replace(/""/g, '"'))
              : -1
            : p === start
              ? -1
              : tally === p - start && tally <= 18 // digits only
                ? intRank
                : rankOfBytes(buffer, start, p, tally);
          if (rank >= 0) this.observe(field, rank);
        }
        field++;
        if (c !== COMMA) break;
        if (field === numColumns) {
          this.stepAside('a row with more fields than the header');
          return UNUSUAL;
        }
        if (hashing) hash = Math.imul(hash, prime); // the NUL between values
        p++;
      }
      // The record ends at p: LF, CR LF, or the end of the file (the sentinel).
      const recordEnd = p;
      let lineEnd = true; // ends in LF alone: its bytes can be copied with the line end
      if (c === CR) {
        if (p + 1 >= have) {
          if (!eof) break;
          this.stepAside('a CR line end without LF');
          return UNUSUAL;
        }
        if (buffer[p + 1] !== LF) {
          this.stepAside('a CR line end without LF');
          return UNUSUAL;
        }
        p += 2;
        lineEnd = false;
      } else if (p === have) {
        lineEnd = false; // the last record, without a line end
      } else {
        p++;
      }
      consumed = p;
      if (field === 1 && recordEnd === recordStart) {
        this.flushRun();
        continue; // a blank line
      }
      if (field !== numColumns) {
        this.stepAside('a row with fewer fields than the header');
        return UNUSUAL;
      }
      if (recordEnd - recordStart > this.maxRecordBytes)
        this.maxRecordBytes = recordEnd - recordStart;
      if (parts === null) {
        this.rows[0]++;
        continue;
      }
      const split = this.job.splitOfBucket[bucket(hash >>> 0, this.job.totalBuckets)];
      this.rows[split]++;
      if (!lineEnd) {
        this.flushRun();
        parts.copyLine(split, buffer, recordStart, recordEnd);
      } else if (split === this.runSplit && recordStart === this.runEnd) {
        this.runEnd = p;
      } else {
        this.flushRun();
        this.runSplit = split;
        this.runStart = recordStart;
        this.runEnd = p;
      }
    }
    this.flushRun();
    return consumed === 0 && !this.done ? INCOMPLETE : consumed;
  }

  private observe(column: number, rank: number): void {
    if (rank & NORMALIZE) this.normalize[column] = 1;
    const plain = rank & ~NORMALIZE;
    if (plain > this.ranks[column]) this.ranks[column] = plain;
  }

  private flushRun(): void {
    if (this.runSplit >= 0)
      this.parts!.copy(this.runSplit, this.buffer, this.runStart, this.runEnd);
    this.runSplit = -1;
  }
}
