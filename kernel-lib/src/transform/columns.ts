/**
 * The transform graph evaluated a column at a time: each node's values for a whole chunk of rows
 * in one loop, numbers in typed arrays. It gives exactly what `compileTransform` gives row by row
 * (the same values, NaN, -0 and null included; tested on the taxi graph and on special values):
 * a node over number columns runs a loop written for it, and any other node (a string where a
 * number could be, a string constant) runs the row step itself (`compileStep`) over its
 * arguments' values, row by row. Hashes, vocabulary lookups and numbers printed as text are
 * remembered per distinct value within a call: a chunk has few distinct ids and tokens.
 *
 * Why: row by row, every row refilled a row object and called ~60 closures over an array of boxed
 * values; this is what most of the Evaluator's transform time went to.
 */
import { hashBucket } from './hash';
import {
  argsOf,
  compileNodes,
  type GraphNode,
  type GraphOutput,
  type LoadedTransformGraph,
  type Step,
  type Value,
} from './graph';

/** Numbers (NaN included) with the rows whose value is null (missing) marked. */
export interface NumberColumn {
  readonly kind: 'number';
  readonly values: Float64Array;
  /** 1 where the value is null; null when no value is. */
  readonly nulls: Uint8Array | null;
}

/** Any values (strings, or numbers mixed with strings). */
export interface ValueColumn {
  readonly kind: 'values';
  readonly values: readonly Value[];
}

export type Column = NumberColumn | ValueColumn;

/** Columns by name (raw features in, transformed features out), each one value a row. */
export type TypedColumns = Readonly<Record<string, Column>>;

/** A compiled graph over columns: the chosen outputs of a chunk of rows. */
export interface ColumnTransformFn {
  readonly outputs: GraphOutput[];
  /** The raw features these outputs read (an absent one is missing in every row). */
  readonly requiredFeatures: string[];
  apply(columns: TypedColumns, numRows: number): Record<string, Column>;
}

/** Row i's value. */
export function valueAt(column: Column, i: number): Value {
  if (column.kind === 'values') return column.values[i];
  return column.nulls !== null && column.nulls[i] === 1 ? null : column.values[i];
}

/** The column of some values: a number column when every value is a number or null. */
export function columnOf(values: readonly Value[]): Column {
  const n = values.length;
  let nulls: Uint8Array | null = null;
  const numbers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') numbers[i] = v;
    else if (v === null) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
    } else return { kind: 'values', values };
  }
  return { kind: 'number', values: numbers, nulls };
}

/** A column's values as an array (null where missing). */
export function valuesOf(column: Column): Value[] {
  if (column.kind === 'values') return column.values as Value[];
  return Array.from({ length: column.values.length }, (_, i) => valueAt(column, i));
}

/** Columns from arrays of values, and back. */
export const columnsOf = (raw: Readonly<Record<string, readonly Value[]>>): TypedColumns =>
  Object.fromEntries(Object.entries(raw).map(([name, values]) => [name, columnOf(values)]));

export const valuesOfColumns = (columns: TypedColumns): Record<string, Value[]> =>
  Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, valuesOf(column)]));

const allNull = (n: number): NumberColumn => ({
  kind: 'number',
  values: new Float64Array(n).fill(NaN),
  nulls: new Uint8Array(n).fill(1),
});

/** One node's values over a chunk, from the columns of the nodes before it (by node index). */
type ColumnStep = (columns: readonly Column[], raw: TypedColumns, n: number) => Column;

/** Compiles a loaded graph's chosen outputs (default: all) into a function of raw columns. */
export function compileColumnTransform(
  loaded: LoadedTransformGraph,
  outputNames?: readonly string[],
): ColumnTransformFn {
  const compiled = compileNodes(loaded, outputNames);
  const { nodes } = loaded.graph;
  const steps = compiled.order.map((i, k) =>
    columnStep(nodes[i], compiled.steps[k], compiled.vocabularies.get(i) ?? null, nodes.length),
  );
  return {
    outputs: compiled.outputs,
    requiredFeatures: compiled.requiredFeatures,
    apply(raw, numRows) {
      const columns: Column[] = new Array<Column>(nodes.length);
      for (let k = 0; k < steps.length; k++) {
        columns[compiled.order[k]] = steps[k](columns, raw, numRows);
      }
      const result: Record<string, Column> = {};
      for (const output of compiled.outputs) result[output.name] = columns[output.node];
      return result;
    },
  };
}

/** A node's column step: a loop over number columns where it has one, else the row step. */
function columnStep(
  node: GraphNode,
  step: Step,
  vocab: Map<string, number> | null,
  size: number,
): ColumnStep {
  const rowByRow = rowStep(step, argsOf(node), size);
  switch (node.op) {
    case 'input': {
      const feature = node.feature;
      return (_, raw, n) => raw[feature] ?? allNull(n);
    }
    case 'constant': {
      const value = node.value;
      return (_, __, n) =>
        typeof value === 'number'
          ? { kind: 'number', values: new Float64Array(n).fill(value), nulls: null }
          : { kind: 'values', values: new Array<Value>(n).fill(value) };
    }
    case 'fillInMissing': {
      const { x, value } = node;
      if (typeof value !== 'number') return rowByRow;
      return numeric1(x, rowByRow, (xs, nulls, n) => {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = xs[i];
          out[i] = (nulls !== null && nulls[i] === 1) || v !== v ? value : v;
        }
        return { kind: 'number', values: out, nulls: null };
      });
    }
    case 'scaleToZScore': {
      const { x, mean, std } = node;
      return map1(x, rowByRow, std > 0 ? (v) => (v - mean) / std : (v) => v - mean);
    }
    case 'scaleToZeroOne': {
      const { x, min, max } = node;
      return map1(
        x,
        rowByRow,
        max > min ? (v) => (v - min) / (max - min) : (v) => 1 / (1 + Math.exp(-v)),
      );
    }
    case 'vocabulary': {
      const { x, size: vocabSize, numOovBuckets, defaultValue } = node;
      const table = vocab!;
      const index = (value: number | string): number => {
        const token = typeof value === 'string' ? value : String(value);
        const found = table.get(token);
        if (found !== undefined) return found;
        return numOovBuckets > 0 ? vocabSize + hashBucket(token, numOovBuckets) : defaultValue;
      };
      return memoized1(x, index);
    }
    case 'applyBuckets': {
      const { x, boundaries } = node;
      const count = boundaries.length;
      return numeric1(x, rowByRow, (xs, nulls, n) => {
        const out = new Float64Array(n);
        const outNulls = new Uint8Array(n);
        let anyNull = false;
        for (let i = 0; i < n; i++) {
          const v = xs[i];
          if ((nulls !== null && nulls[i] === 1) || v !== v) {
            outNulls[i] = 1;
            out[i] = NaN;
            anyNull = true;
            continue;
          }
          // The number of boundaries <= v, by binary search.
          let low = 0;
          let high = count;
          while (low < high) {
            const mid = (low + high) >> 1;
            if (boundaries[mid] <= v) low = mid + 1;
            else high = mid;
          }
          out[i] = low;
        }
        return { kind: 'number', values: out, nulls: anyNull ? outNulls : null };
      });
    }
    case 'hashBuckets': {
      const { x, numBuckets } = node;
      return memoized1(x, (value) =>
        hashBucket(typeof value === 'string' ? value : String(value), numBuckets),
      );
    }
    case 'cross':
      return crossStep(node.xs, node.numBuckets);
    case 'identity': {
      const { x, numBuckets, defaultValue } = node;
      return map1(x, rowByRow, (v) =>
        Number.isInteger(v) && v >= 0 && v < numBuckets ? v : defaultValue,
      );
    }
    case 'clip': {
      const { x, min, max } = node;
      return map1(x, rowByRow, (v) => Math.min(max, Math.max(min, v)));
    }
    case 'unary':
      return unaryStep(node.fn, node.x, rowByRow);
    case 'binary':
      return binaryStep(node.fn, node.a, node.b, rowByRow);
    case 'where':
      return whereStep(node.cond, node.a, node.b, rowByRow);
  }
}

const NO_ROW = {};

/** The row step over a chunk, row by row: the one definition where no loop is written. */
function rowStep(step: Step, args: readonly number[], size: number): ColumnStep {
  return (columns, _, n) => {
    const values: Value[] = new Array<Value>(size).fill(null);
    const out = new Array<Value>(n);
    for (let i = 0; i < n; i++) {
      for (const a of args) values[a] = valueAt(columns[a], i);
      out[i] = step(NO_ROW, values);
    }
    return columnOf(out);
  };
}

/** A step of one number column (`nulls` marks its null rows), else `otherwise`. */
function numeric1(
  x: number,
  otherwise: ColumnStep,
  loop: (xs: Float64Array, nulls: Uint8Array | null, n: number) => Column,
): ColumnStep {
  return (columns, raw, n) => {
    const c = columns[x];
    return c.kind === 'number' ? loop(c.values, c.nulls, n) : otherwise(columns, raw, n);
  };
}

/** f of each number (null stays null). */
function map1(x: number, otherwise: ColumnStep, f: (v: number) => number): ColumnStep {
  return numeric1(x, otherwise, (xs, nulls, n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(xs[i]);
    if (nulls !== null) for (let i = 0; i < n; i++) if (nulls[i] === 1) out[i] = NaN;
    return { kind: 'number', values: out, nulls };
  });
}

/**
 * f of each non-null value (a number or a string; null stays null), remembered per distinct
 * value: a Map keys by SameValueZero, and values it deems equal (+0 and -0, NaN and NaN) print
 * as the same text, so they get the same result.
 */
function memoized1(x: number, f: (value: number | string) => number): ColumnStep {
  return (columns, _, n) => {
    const c = columns[x];
    const out = new Float64Array(n);
    const outNulls = new Uint8Array(n);
    let anyNull = false;
    const seen = new Map<number | string, number>();
    for (let i = 0; i < n; i++) {
      const value = valueAt(c, i);
      if (value === null) {
        outNulls[i] = 1;
        out[i] = NaN;
        anyNull = true;
        continue;
      }
      let result = seen.get(value);
      if (result === undefined) seen.set(value, (result = f(value)));
      out[i] = result;
    }
    return { kind: 'number', values: out, nulls: anyNull ? outNulls : null };
  };
}

/** The hash of the parts' text joined by `_X_`, remembered per distinct tuple of values. */
function crossStep(xs: readonly number[], numBuckets: number): ColumnStep {
  const depth = xs.length;
  return (columns, _, n) => {
    const parts = xs.map((x) => columns[x]);
    const out = new Float64Array(n);
    const outNulls = new Uint8Array(n);
    let anyNull = false;
    const seen = new Map<number | string, unknown>();
    const tuple: (number | string)[] = new Array<number | string>(depth);
    rows: for (let i = 0; i < n; i++) {
      for (let p = 0; p < depth; p++) {
        const value = valueAt(parts[p], i);
        if (value === null) {
          outNulls[i] = 1;
          out[i] = NaN;
          anyNull = true;
          continue rows;
        }
        tuple[p] = value;
      }
      let level = seen;
      for (let p = 0; p < depth - 1; p++) {
        let next = level.get(tuple[p]) as Map<number | string, unknown> | undefined;
        if (next === undefined) level.set(tuple[p], (next = new Map()));
        level = next;
      }
      let result = level.get(tuple[depth - 1]) as number | undefined;
      if (result === undefined) {
        const text = tuple.map((v) => (typeof v === 'string' ? v : String(v))).join('_X_');
        level.set(tuple[depth - 1], (result = hashBucket(text, numBuckets)));
      }
      out[i] = result;
    }
    return { kind: 'number', values: out, nulls: anyNull ? outNulls : null };
  };
}

function unaryStep(fn: string, x: number, rowByRow: ColumnStep): ColumnStep {
  switch (fn) {
    case 'isMissing':
      return numeric1(x, rowByRow, (xs, nulls, n) => {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          out[i] = (nulls !== null && nulls[i] === 1) || xs[i] !== xs[i] ? 1 : 0;
        }
        return { kind: 'number', values: out, nulls: null };
      });
    case 'toString':
      return (columns, raw, n) => {
        const c = columns[x];
        if (c.kind !== 'number') return rowByRow(columns, raw, n);
        // Each distinct number printed once (the same string, its hash kept, for a vocabulary).
        const seen = new Map<number, string>();
        const out = new Array<Value>(n);
        for (let i = 0; i < n; i++) {
          if (c.nulls !== null && c.nulls[i] === 1) {
            out[i] = null;
            continue;
          }
          const v = c.values[i];
          let text = seen.get(v);
          if (text === undefined) seen.set(v, (text = String(v)));
          out[i] = text;
        }
        return { kind: 'values', values: out };
      };
    case 'toNumber':
      // A number stays itself (NaN too); only text is parsed, by the row step.
      return (columns, raw, n) =>
        columns[x].kind === 'number' ? columns[x] : rowByRow(columns, raw, n);
    case 'log1p':
      return map1(x, rowByRow, Math.log1p);
    case 'abs':
      return map1(x, rowByRow, Math.abs);
    case 'neg':
      return map1(x, rowByRow, (v) => -v);
    case 'not':
      return map1(x, rowByRow, (v) => (v === 0 ? 1 : 0));
    default:
      return rowByRow;
  }
}

const BINARY: Record<string, (l: number, r: number) => number> = {
  add: (l, r) => l + r,
  sub: (l, r) => l - r,
  mul: (l, r) => l * r,
  div: (l, r) => l / r,
  gt: (l, r) => (l > r ? 1 : 0),
  ge: (l, r) => (l >= r ? 1 : 0),
  lt: (l, r) => (l < r ? 1 : 0),
  le: (l, r) => (l <= r ? 1 : 0),
  and: (l, r) => (l !== 0 && r !== 0 ? 1 : 0),
  or: (l, r) => (l !== 0 || r !== 0 ? 1 : 0),
  // Both numbers: === is the row step's equality of values.
  eq: (l, r) => (l === r ? 1 : 0),
  ne: (l, r) => (l === r ? 0 : 1),
};

/** Either argument null: null. */
function unionNulls(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] | b[i];
  return out;
}

function binaryStep(fn: string, a: number, b: number, rowByRow: ColumnStep): ColumnStep {
  const f = BINARY[fn];
  if (!f) return rowByRow;
  return (columns, raw, n) => {
    const l = columns[a];
    const r = columns[b];
    if (l.kind !== 'number' || r.kind !== 'number') return rowByRow(columns, raw, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(l.values[i], r.values[i]);
    const nulls = unionNulls(l.nulls, r.nulls, n);
    if (nulls !== null) for (let i = 0; i < n; i++) if (nulls[i] === 1) out[i] = NaN;
    return { kind: 'number', values: out, nulls };
  };
}

function whereStep(cond: number, a: number, b: number, rowByRow: ColumnStep): ColumnStep {
  return (columns, raw, n) => {
    const c = columns[cond];
    const x = columns[a];
    const y = columns[b];
    if (c.kind !== 'number' || x.kind !== 'number' || y.kind !== 'number') {
      return rowByRow(columns, raw, n);
    }
    const out = new Float64Array(n);
    const nulls = new Uint8Array(n);
    let anyNull = false;
    for (let i = 0; i < n; i++) {
      const from = c.nulls !== null && c.nulls[i] === 1 ? null : c.values[i] !== 0 ? x : y;
      if (from === null || (from.nulls !== null && from.nulls[i] === 1)) {
        nulls[i] = 1;
        out[i] = NaN;
        anyNull = true;
      } else out[i] = from.values[i];
    }
    return { kind: 'number', values: out, nulls: anyNull ? nulls : null };
  };
}
