import { TsfxError } from '../errors';
import { openDuckDB, sqlIdentifier, withDuckDB } from '../duckdb/withDuckDB';
import { seededRandom } from '../random';
import { parquetSource, toValue } from '../transform/rows';
import type { Value } from '../transform/graph';
import {
  encodeFeatures,
  specColumns,
  type EncodedFeatures,
  type ExampleColumns,
  type FeatureSpec,
} from './features';

/**
 * Training examples as `fitBinaryClassifier` reads them: one pass (an epoch) at a time, in batches,
 * shuffled. `inMemoryBatches` shuffles encoded rows held in memory (a full permutation per epoch);
 * `parquetBatches` streams them from Parquet and shuffles with a buffer, as tf.data's
 * `shuffle(bufferSize)` does, so memory is the buffer's, whatever the number of rows.
 */
export interface ExampleBatches {
  /** Rows in one pass. */
  readonly numRows: number;
  /** The next pass's batches of `batchSize` rows (the last one may be smaller). */
  epoch(batchSize: number): AsyncIterable<EncodedFeatures>;
}

/** Rows of the validation sample when evalArgs.numSteps is 0: five batches of 4,096. */
export const DEFAULT_VALIDATION_ROWS = 5 * 4096;

/** The rows validation scores: `evalSteps` batches of `evalBatchSize`, or the default sample. */
export function validationRows(evalSteps: number, evalBatchSize = 4096): number {
  return evalSteps > 0 ? evalSteps * evalBatchSize : DEFAULT_VALIDATION_ROWS;
}

/** Encoded rows in memory, a new Fisher–Yates permutation each epoch (from one seeded generator). */
export function inMemoryBatches(data: EncodedFeatures, seed: number): ExampleBatches {
  const rand = seededRandom(seed);
  const order = Int32Array.from({ length: data.numRows }, (_, i) => i);
  return {
    numRows: data.numRows,
    async *epoch(batchSize) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (let start = 0; start < order.length; start += batchSize) {
        yield gatherRows(data, order.subarray(start, Math.min(order.length, start + batchSize)));
      }
    },
  };
}

/** Copies chosen rows of encoded features (in the order given) into new arrays. */
export function gatherRows(data: EncodedFeatures, rows: Int32Array): EncodedFeatures {
  const n = rows.length;
  const d = data.numRows > 0 ? data.dense.length / data.numRows : 0;
  const k = data.numRows > 0 ? data.ids.length / data.numRows : 0;
  const out = allocate(n, d, k, data.labels.length > 0);
  for (let i = 0; i < n; i++) copyRow(data, rows[i], out, i, d, k);
  return out;
}

export interface ParquetBatchesOptions {
  /** Rows held for shuffling (tf.data's buffer_size); default 100,000 (12 MB for the taxi model). */
  shuffleBuffer?: number;
  seed?: number;
}

/**
 * Transformed examples streamed from Parquet files, encoded chunk by chunk and shuffled with a
 * buffer of `shuffleBuffer` rows: the buffer fills with the first rows, then each incoming row
 * takes the place of a row drawn from it at random, which goes to the batch; at the end of the
 * files the buffer empties in random order. Every epoch reads the files again with the generator
 * where the last one left it, so epochs differ. With `shuffleBuffer` at least the number of rows
 * this is a full shuffle; below it, a row moves at most about `shuffleBuffer` places forward.
 */
export async function parquetBatches(
  files: readonly string[],
  spec: FeatureSpec,
  options: ParquetBatchesOptions = {},
): Promise<ExampleBatches> {
  const capacity = options.shuffleBuffer ?? 100_000;
  if (!(Number.isInteger(capacity) && capacity >= 1)) {
    throw new TsfxError('shuffleBuffer must be a whole number >= 1');
  }
  const rand = seededRandom(options.seed ?? 42);
  const numRows = await parquetRowCount(files);
  const d = spec.dense.length;
  const k = spec.categorical.length;
  return {
    numRows,
    async *epoch(batchSize) {
      const buffer = allocate(Math.min(capacity, Math.max(1, numRows)), d, k, true);
      const size = buffer.labels.length;
      let filled = 0;
      let batch = allocate(batchSize, d, k, true);
      let inBatch = 0;
      const emit = (row: number): EncodedFeatures | null => {
        copyRow(buffer, row, batch, inBatch++, d, k);
        if (inBatch < batchSize) return null;
        const full = batch;
        batch = allocate(batchSize, d, k, true);
        inBatch = 0;
        return full;
      };
      for await (const chunk of encodedChunks(files, spec)) {
        for (let r = 0; r < chunk.numRows; r++) {
          if (filled < size) {
            copyRow(chunk, r, buffer, filled++, d, k);
            continue;
          }
          const j = Math.floor(rand() * size);
          const full = emit(j);
          copyRow(chunk, r, buffer, j, d, k);
          if (full) yield full;
        }
      }
      // Drain: the rows left, in random order (a Fisher–Yates pass over what the buffer holds).
      for (let left = filled; left > 0; left--) {
        const j = Math.floor(rand() * left);
        const full = emit(j);
        copyRow(buffer, left - 1, buffer, j, d, k);
        if (full) yield full;
      }
      if (inBatch > 0) yield sliceRows(batch, inBatch, d, k);
    },
  };
}

/** The first `maxRows` rows of Parquet files (file order), encoded: the validation sample. */
export async function readExampleSample(
  files: readonly string[],
  spec: FeatureSpec,
  maxRows: number,
): Promise<EncodedFeatures> {
  const parts: EncodedFeatures[] = [];
  let count = 0;
  for await (const chunk of encodedChunks(files, spec, maxRows)) {
    parts.push(chunk);
    count += chunk.numRows;
  }
  const d = spec.dense.length;
  const k = spec.categorical.length;
  const out = allocate(count, d, k, true);
  let at = 0;
  for (const part of parts) {
    out.dense.set(part.dense, at * d);
    out.ids.set(part.ids, at * k);
    out.labels.set(part.labels, at);
    at += part.numRows;
  }
  return out;
}

/** The number of rows of Parquet files (from their footers). */
export async function parquetRowCount(files: readonly string[]): Promise<number> {
  return withDuckDB(async (db) => {
    const rows = (
      await db.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${parquetSource(files)}`)
    ).getRows();
    return Number(rows[0][0]);
  });
}

/**
 * The spec's columns of Parquet files, encoded chunk by chunk (DuckDB's chunks of 2,048 rows),
 * with `encodeFeatures`' checks; row numbers in its errors count from the first file's first row.
 */
async function* encodedChunks(
  files: readonly string[],
  spec: FeatureSpec,
  limit?: number,
): AsyncGenerator<EncodedFeatures> {
  const names = specColumns(spec, true);
  const db = await openDuckDB({ threads: 1 });
  try {
    const source = parquetSource(files);
    const types = new Map(
      (await db.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`))
        .getRowObjectsJson()
        .map((row) => [String(row.column_name), String(row.column_type)]),
    );
    // Integers as DOUBLE (as exact as Number(bigint)): JavaScript numbers, no BigInt per value.
    const select = names.map((name) => {
      if (!types.has(name)) throw new TsfxError(`feature ${name} is not in the examples`);
      const id = sqlIdentifier(name);
      return /INT/.test(types.get(name)!) ? `CAST(${id} AS DOUBLE) AS ${id}` : id;
    });
    const result = await db.connection.stream(
      `SELECT ${select.join(', ')} FROM ${source}${limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`,
    );
    let firstRow = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const data = chunk.getColumns();
      const columns: Record<string, Value[]> = {};
      names.forEach((name, c) => (columns[name] = data[c].map(toValue)));
      const block: ExampleColumns = { numRows: chunk.rowCount, columns };
      yield encodeFeatures(spec, block, true, firstRow);
      firstRow += chunk.rowCount;
    }
  } finally {
    db.close();
  }
}

function allocate(n: number, d: number, k: number, withLabels: boolean): EncodedFeatures {
  return {
    numRows: n,
    dense: new Float32Array(n * d),
    ids: new Int32Array(n * k),
    labels: new Float32Array(withLabels ? n : 0),
  };
}

function copyRow(
  from: EncodedFeatures,
  row: number,
  to: EncodedFeatures,
  at: number,
  d: number,
  k: number,
): void {
  for (let j = 0; j < d; j++) to.dense[at * d + j] = from.dense[row * d + j];
  for (let j = 0; j < k; j++) to.ids[at * k + j] = from.ids[row * k + j];
  if (to.labels.length > 0) to.labels[at] = from.labels[row];
}

function sliceRows(data: EncodedFeatures, n: number, d: number, k: number): EncodedFeatures {
  return {
    numRows: n,
    dense: data.dense.slice(0, n * d),
    ids: data.ids.slice(0, n * k),
    labels: data.labels.slice(0, n),
  };
}
