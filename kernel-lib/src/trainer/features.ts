import { TsfxError } from '../errors';
import { valuesOfColumns, type TypedColumns } from '../transform/columns';
import type { TransformGraph, TransformedRow, Value } from '../transform/graph';
import { readAllParquetRows } from '../transform/rows';

/**
 * Which transformed features feed the model and how: `dense` FLOAT features side by side in one
 * float32 input, `categorical` INT features (ids in [0, numValues)) side by side in one int32
 * input, each shifted by `offset` so that all share one id space of `numIds` ids. The same spec
 * and `encodeFeatures` make the model's inputs in training, evaluation and serving.
 */
export interface FeatureSpec {
  dense: string[];
  categorical: { name: string; numValues: number; offset: number }[];
  numIds: number;
  label: string;
}

/** A FeatureSpec from the transform graph's outputs (their categorical domains come from it). */
export function featureSpec(
  graph: TransformGraph,
  options: { dense: string[]; categorical: string[]; label: string },
): FeatureSpec {
  const output = (name: string) => {
    const found = graph.outputs.find((o) => o.name === name);
    if (!found) throw new TsfxError(`the transform graph has no output "${name}"`);
    return found;
  };
  for (const name of options.dense) {
    if (output(name).type === 'STRING') throw new TsfxError(`dense feature ${name} is a STRING`);
  }
  let offset = 0;
  const categorical = options.categorical.map((name) => {
    const o = output(name);
    if (o.type !== 'INT' || o.numValues === undefined) {
      throw new TsfxError(`categorical feature ${name} has no known number of values`);
    }
    const entry = { name, numValues: o.numValues, offset };
    offset += o.numValues;
    return entry;
  });
  output(options.label);
  return { dense: [...options.dense], categorical, numIds: offset, label: options.label };
}

/** Transformed examples as columns: feature name -> one value per row. */
export interface ExampleColumns {
  numRows: number;
  columns: Record<string, Value[]>;
}

export function rowsToColumns(
  rows: readonly TransformedRow[],
  names: readonly string[],
): ExampleColumns {
  const columns: Record<string, Value[]> = {};
  for (const name of names) columns[name] = rows.map((row) => row[name] ?? null);
  return { numRows: rows.length, columns };
}

/** Reads transformed examples (Parquet) as the Trainer feeds them to the model. */
export async function readExamples(
  files: readonly string[],
  names: readonly string[],
): Promise<ExampleColumns> {
  return rowsToColumns(await readAllParquetRows(files, names), names);
}

/** Model inputs: dense [numRows x dense.length] float32, ids [numRows x categorical.length] int32. */
export interface EncodedFeatures {
  numRows: number;
  dense: Float32Array;
  ids: Int32Array;
  /** 0/1 labels (empty when the label is not asked for, as in serving). */
  labels: Float32Array;
}

/** `firstRow`: the number of rows before these ones, for the row numbers of errors. */
export function encodeFeatures(
  spec: FeatureSpec,
  data: ExampleColumns,
  withLabels: boolean,
  firstRow = 0,
): EncodedFeatures {
  const n = data.numRows;
  const d = spec.dense.length;
  const k = spec.categorical.length;
  const dense = new Float32Array(n * d);
  const ids = new Int32Array(n * k);
  spec.dense.forEach((name, j) => {
    const column = data.columns[name];
    if (!column) throw new TsfxError(`feature ${name} is not in the examples`);
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (typeof v !== 'number' || Number.isNaN(v)) {
        throw new TsfxError(
          `feature ${name} is ${v === null ? 'missing' : JSON.stringify(v)} in row ${firstRow + i + 1} after the transform: fill it in preprocessingFn (fillInMissing)`,
        );
      }
      dense[i * d + j] = v;
    }
  });
  spec.categorical.forEach(({ name, numValues, offset }, j) => {
    const column = data.columns[name];
    if (!column) throw new TsfxError(`feature ${name} is not in the examples`);
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= numValues) {
        throw new TsfxError(
          `categorical feature ${name} is ${v === null ? 'missing' : JSON.stringify(v)} in row ${firstRow + i + 1}, outside [0, ${numValues})`,
        );
      }
      ids[i * k + j] = offset + v;
    }
  });
  const labels = new Float32Array(withLabels ? n : 0);
  if (withLabels) {
    const column = data.columns[spec.label];
    if (!column) throw new TsfxError(`label ${spec.label} is not in the examples`);
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (v !== 0 && v !== 1)
        throw new TsfxError(
          `label ${spec.label} is ${JSON.stringify(v)} in row ${firstRow + i + 1}, not 0 or 1`,
        );
      labels[i] = v;
    }
  }
  return { numRows: n, dense, ids, labels };
}

/**
 * `encodeFeatures` of the transform's typed columns (no label): the same arrays, read straight
 * from number columns. Anything `encodeFeatures` refuses (a missing, NaN, text or out-of-range
 * value) goes to it, which names the feature and row.
 */
export function encodeFeatureColumns(
  spec: FeatureSpec,
  numRows: number,
  columns: TypedColumns,
  firstRow = 0,
): EncodedFeatures {
  const n = numRows;
  const d = spec.dense.length;
  const k = spec.categorical.length;
  const dense = new Float32Array(n * d);
  const ids = new Int32Array(n * k);
  const refuse = () =>
    encodeFeatures(spec, { numRows, columns: valuesOfColumns(columns) }, false, firstRow);
  for (let j = 0; j < d; j++) {
    const column = columns[spec.dense[j]];
    if (column?.kind !== 'number' || column.nulls !== null) return refuse();
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v !== v) return refuse();
      dense[i * d + j] = v;
    }
  }
  for (let j = 0; j < k; j++) {
    const { name, numValues, offset } = spec.categorical[j];
    const column = columns[name];
    if (column?.kind !== 'number' || column.nulls !== null) return refuse();
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      // An integer in [0, numValues): its own int32 value.
      if (!(v >= 0 && v < numValues) || (v | 0) !== v) return refuse();
      ids[i * k + j] = offset + v;
    }
  }
  return { numRows: n, dense, ids, labels: new Float32Array(0) };
}

/** The feature and label names a spec reads. */
export function specColumns(spec: FeatureSpec, withLabel: boolean): string[] {
  return [
    ...spec.dense,
    ...spec.categorical.map((c) => c.name),
    ...(withLabel ? [spec.label] : []),
  ];
}
