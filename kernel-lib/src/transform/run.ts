import type { ValueType } from '@tsfx/protocol';
import { compileTransform, type LoadedTransformGraph, type RawRow } from './graph';
import { analyzeGraph } from './analyze';
import { readParquetRows, writeParquetRows } from './rows';
import { tracePreprocessingFn, type PreprocessingFn } from './tft';
import { NotExpressibleInSql } from './sql';
import { sqlAnalysisPass, transformParquetSql } from './sqlBatch';

/** Which engine ran a batch step: DuckDB SQL, or JavaScript row by row (with the reason). */
export type BatchEngine = { engine: 'duckdb' } | { engine: 'javascript'; reason: string };

/**
 * Traces a preprocessing function and computes its analyzers over Parquet files (full passes),
 * in DuckDB (`engine: 'duckdb'`, the default: falls back to JavaScript for a graph SQL cannot
 * compute exactly) or row by row in JavaScript.
 */
export async function buildTransformGraph(
  preprocessingFn: PreprocessingFn,
  rawFeatures: { name: string; type: ValueType }[],
  analysisFiles: readonly string[],
  onPass?: (pass: number, analyzers: number) => void,
  options: { engine?: 'duckdb' | 'javascript'; onBatch?: (batch: BatchEngine) => void } = {},
): Promise<LoadedTransformGraph> {
  const traced = tracePreprocessingFn(preprocessingFn, rawFeatures);
  const columns = rawFeatures.map((f) => f.name);
  let reason = 'asked for';
  if ((options.engine ?? 'duckdb') === 'duckdb') {
    try {
      const loaded = await analyzeGraph(traced, sqlAnalysisPass(analysisFiles), onPass);
      options.onBatch?.({ engine: 'duckdb' });
      return loaded;
    } catch (error) {
      if (!(error instanceof NotExpressibleInSql)) throw error;
      reason = error.message;
    }
  }
  const loaded = await analyzeGraph(traced, () => readParquetRows(analysisFiles, columns), onPass);
  options.onBatch?.({ engine: 'javascript', reason });
  return loaded;
}

/**
 * Applies a graph to Parquet files and writes its outputs as Parquet: in DuckDB when the graph
 * compiles to SQL (the same values), else row by row in JavaScript. Returns the rows written and
 * the engine that wrote them.
 */
export async function transformParquetBatch(
  loaded: LoadedTransformGraph,
  inputFiles: readonly string[],
  outputFile: string,
  engine: 'duckdb' | 'javascript' = 'duckdb',
): Promise<{ rows: number; batch: BatchEngine }> {
  let reason = 'asked for';
  if (engine === 'duckdb') {
    try {
      const rows = await transformParquetSql(loaded, inputFiles, outputFile);
      return { rows, batch: { engine: 'duckdb' } };
    } catch (error) {
      if (!(error instanceof NotExpressibleInSql)) throw error;
      reason = error.message;
    }
  }
  const rows = await transformParquet(loaded, inputFiles, outputFile);
  return { rows, batch: { engine: 'javascript', reason } };
}

/** Applies a graph to every row of Parquet files and writes the outputs, in row order, as Parquet. */
export async function transformParquet(
  loaded: LoadedTransformGraph,
  inputFiles: readonly string[],
  outputFile: string,
): Promise<number> {
  const fn = compileTransform(loaded);
  const columns = loaded.graph.rawFeatures.map((f) => f.name);
  async function* transformed(): AsyncGenerator<RawRow[]> {
    for await (const chunk of readParquetRows(inputFiles, columns)) {
      yield chunk.map((row) => fn.apply(row));
    }
  }
  return writeParquetRows(
    outputFile,
    fn.outputs.map((o) => ({ name: o.name, type: o.type })),
    transformed(),
  );
}
