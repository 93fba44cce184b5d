import type { ValueType } from '@tsfx/protocol';
import { compileTransform, type LoadedTransformGraph, type RawRow } from './graph';
import { analyzeGraph } from './analyze';
import { readParquetRows, writeParquetRows } from './rows';
import { tracePreprocessingFn, type PreprocessingFn } from './tft';

/** Traces a preprocessing function and computes its analyzers over Parquet files (full passes). */
export async function buildTransformGraph(
  preprocessingFn: PreprocessingFn,
  rawFeatures: { name: string; type: ValueType }[],
  analysisFiles: readonly string[],
  onPass?: (pass: number, analyzers: number) => void,
): Promise<LoadedTransformGraph> {
  const traced = tracePreprocessingFn(preprocessingFn, rawFeatures);
  const columns = rawFeatures.map((f) => f.name);
  return analyzeGraph(traced, () => readParquetRows(analysisFiles, columns), onPass);
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
