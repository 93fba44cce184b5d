import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { TypeRank, type ValueType } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { runInWorkerThread, workerThreadCode } from '../workerThread';
import { readCsvHeader, type CsvHeader } from './csvHeader';
import { splitCarefully } from './splitCarefully';
import { splitRange, type RangeJob, type RangeResult } from './splitRange';

/**
 * Reads CSV files once, validating them, typing their columns as TFX does and routing each row
 * to its split: the rows of each split land, in input order, in part files that DuckDB then
 * reads as plain, known-good CSV. Large inputs are read in ranges by worker threads (the fast
 * path, `splitRange`); anything the fast path does not read, including every kind of bad input,
 * is read again by the careful path (`splitCarefully`), whose `scanCsv` is the one authority on
 * what is refused and how.
 */
export interface SplitPlan {
  numSplits: number;
  totalBuckets: number;
  /** The split index of each bucket: split i owns the next `hashBuckets` buckets. */
  splitOfBucket: number[];
  /** Where the part files go; null to only validate and type the input (one split, no parts). */
  partDir: string | null;
}

export interface SplitCsvResult {
  columns: string[];
  types: ValueType[];
  needsNormalizing: boolean[];
  /** Rows per split. */
  rows: number[];
  /** Per split, its part files, in input order. */
  parts: string[][];
  /** The longest record, in bytes. */
  maxRecordBytes: number;
  /** Why the careful path read the input (undefined: the fast path did). */
  carefulBecause?: string;
}

export interface SplitCsvOptions {
  signal?: AbortSignal;
  /** Threads that read ranges of the input at once (default: the machine's parallelism). */
  threads?: number;
  /** Inputs smaller than this are read on the calling thread, in one range per file. */
  minParallelBytes?: number;
}

export function splitPlan(hashBuckets: number[], partDir: string): SplitPlan {
  return {
    numSplits: hashBuckets.length,
    totalBuckets: hashBuckets.reduce((a, b) => a + b, 0),
    splitOfBucket: hashBuckets.flatMap((buckets, split) => new Array<number>(buckets).fill(split)),
    partDir,
  };
}

/** Validates CSV files and types their columns, as CsvExampleGen does, without splitting them. */
export function readCsvColumns(
  files: string[],
  options: SplitCsvOptions = {},
): Promise<SplitCsvResult> {
  return splitCsv(
    files,
    { numSplits: 1, totalBuckets: 1, splitOfBucket: [0], partDir: null },
    options,
  );
}

export async function splitCsv(
  files: string[],
  plan: SplitPlan,
  options: SplitCsvOptions = {},
): Promise<SplitCsvResult> {
  const headers = files.map(readCsvHeader);
  const first = headers[0];
  const sameHeaders =
    first !== null &&
    headers.every((h) => h !== null && h.columns.join('\u0000') === first.columns.join('\u0000'));
  if (!sameHeaders) return careful(files, plan, options, 'an unusual header');
  const threads = options.threads ?? availableParallelism();
  const sizes = files.map((file) => statSync(file).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const parallel = total >= (options.minParallelBytes ?? 16 << 20) && threads > 1;
  let jobs = files.flatMap((file, i) =>
    rangeJobs(file, i, headers[i]!, parallel ? Math.ceil((threads * sizes[i]) / total) : 1, plan),
  );
  let results = await readRanges(jobs, parallel ? threads : 0, options.signal);
  if (results.some((r, i) => r.unusual === null && r.stoppedAt !== jobs[i].end)) {
    // A range began inside a quoted field: read each file as one range.
    jobs = files.map((file, i) => rangeJobs(file, i, headers[i]!, 1, plan)[0]);
    results = await readRanges(jobs, parallel ? threads : 0, options.signal);
  }
  const unusual = results.find((r) => r.unusual !== null)?.unusual;
  if (unusual) return careful(files, plan, options, unusual);
  const rowsOfFile = files.map((file) =>
    results.reduce(
      (n, r, i) => (jobs[i].file === file ? n + r.rows.reduce((a, b) => a + b) : n),
      0,
    ),
  );
  if (rowsOfFile.some((n) => n === 0)) return careful(files, plan, options, 'a file without rows');
  return merge(first.columns, results, plan);
}

async function careful(
  files: string[],
  plan: SplitPlan,
  options: SplitCsvOptions,
  reason: string,
): Promise<SplitCsvResult> {
  return { ...(await splitCarefully(files, plan, options.signal)), carefulBecause: reason };
}

/** Ranges of about equal size, each starting after a line end. */
function rangeJobs(
  file: string,
  fileIndex: number,
  header: CsvHeader,
  count: number,
  plan: SplitPlan,
): RangeJob[] {
  const size = statSync(file).size;
  const starts = [header.dataStart];
  const fd = openSync(file, 'r');
  try {
    for (let k = 1; k < count; k++) {
      const nominal = header.dataStart + Math.floor(((size - header.dataStart) * k) / count);
      const start = lineStartAtOrAfter(fd, Math.max(nominal, starts[starts.length - 1]), size);
      if (start > starts[starts.length - 1] && start < size) starts.push(start);
    }
  } finally {
    closeSync(fd);
  }
  return starts.map((start, k) => ({
    file,
    start,
    end: starts[k + 1] ?? size,
    numColumns: header.columns.length,
    totalBuckets: plan.totalBuckets,
    splitOfBucket: plan.splitOfBucket,
    partDir: plan.partDir,
    part: `${fileIndex}.${k}`,
  }));
}

/** The offset just after the first LF at or after `offset - 1`, or `size`. */
function lineStartAtOrAfter(fd: number, offset: number, size: number): number {
  const window = Buffer.allocUnsafe(1 << 16);
  for (let at = offset - 1; at < size; at += window.length) {
    const length = readSync(fd, window, 0, window.length, at);
    const lf = window.subarray(0, length).indexOf(0x0a);
    if (lf !== -1) return at + lf + 1;
  }
  return size;
}

/** Reads the ranges on worker threads (`threads` at a time), or here when `threads` is 0. */
async function readRanges(
  jobs: RangeJob[],
  threads: number,
  signal?: AbortSignal,
): Promise<RangeResult[]> {
  if (threads === 0) {
    return jobs.map((job) => {
      if (signal?.aborted) throw new TsfxError('interrupted');
      return splitRange(job);
    });
  }
  const results: RangeResult[] = new Array<RangeResult>(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await readRangeInWorker(jobs[i], signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, lane));
  return results;
}

const WORKER_CODE = workerThreadCode(__filename, 'splitRangeWorker');

function readRangeInWorker(job: RangeJob, signal?: AbortSignal): Promise<RangeResult> {
  return runInWorkerThread<RangeResult>(WORKER_CODE, job, 'a CSV reader thread', { signal });
}

function merge(columns: string[], results: RangeResult[], plan: SplitPlan): SplitCsvResult {
  const ranks = columns.map((_, c) => Math.max(...results.map((r) => r.ranks[c])));
  return {
    columns,
    types: ranks.map((rank) =>
      rank === TypeRank.Int ? 'INT' : rank === TypeRank.Float ? 'FLOAT' : 'STRING',
    ),
    needsNormalizing: columns.map((_, c) => results.some((r) => r.needsNormalizing[c])),
    rows: Array.from({ length: plan.numSplits }, (_, s) =>
      results.reduce((n, r) => n + r.rows[s], 0),
    ),
    parts: Array.from({ length: plan.numSplits }, (_, s) => results.map((r) => r.paths[s])),
    maxRecordBytes: Math.max(...results.map((r) => r.maxRecordBytes)),
  };
}
