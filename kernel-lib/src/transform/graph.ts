import { TsfxError } from '../errors';
import { hashBucket } from './hash';

/**
 * The TransformGraph format (`transform_graph.json`, version 1). A graph is a list of nodes in
 * topological order (a node's arguments are earlier nodes, by index); each node is one per-row
 * operation whose analyzer results (means, vocabularies, quantile boundaries) are already filled
 * in. `outputs` names the transformed features. `applyTransform` is the ONE function that
 * evaluates it, wherever features are made: Transform, the Trainer, evaluation and serving.
 *
 * Values are `number | string | null` (null is a missing value). Every operation returns null
 * when an argument it reads is null, except `fillInMissing`, `isMissing` and `where`'s branch
 * not taken. NaN counts as missing for `fillInMissing`, `isMissing` and the analyzers.
 */
export type Value = number | string | null;
export type RawRow = Record<string, Value>;
import type { ValueType } from '@tsfx/protocol';

export type UnaryFn = 'log1p' | 'abs' | 'neg' | 'isMissing' | 'toString' | 'toNumber' | 'not';
export type BinaryFn =
  'add' | 'sub' | 'mul' | 'div' | 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne' | 'and' | 'or';

/** One per-row operation. `x`, `a`, `b`, `cond`, `xs` are indices of earlier nodes. */
export type NodeOp =
  /** The raw feature `feature` of the input row (absent = null). */
  | { op: 'input'; feature: string }
  | { op: 'constant'; value: number | string }
  /** x, or `value` when x is missing (null or NaN). */
  | { op: 'fillInMissing'; x: number; value: number | string }
  /** (x - mean) / std; x - mean when std is 0. mean and std (population) come from the analyzer. */
  | { op: 'scaleToZScore'; x: number; mean: number; std: number }
  /** (x - min) / (max - min); sigmoid(x) when max == min (TFT's rule). */
  | { op: 'scaleToZeroOne'; x: number; min: number; max: number }
  /**
   * The index of String(x) in the vocabulary file (most frequent first); an out-of-vocabulary
   * token goes to `size + fnv1a32(token) % numOovBuckets`, or to `defaultValue` without OOV buckets.
   */
  | {
      op: 'vocabulary';
      x: number;
      vocabularyFile: string;
      size: number;
      numOovBuckets: number;
      defaultValue: number;
    }
  /** The number of boundaries <= x (bucket 0 below the first boundary). */
  | { op: 'applyBuckets'; x: number; boundaries: number[] }
  /** fnv1a32(String(x)) % numBuckets. */
  | { op: 'hashBuckets'; x: number; numBuckets: number }
  /** fnv1a32(the values as text joined by `_X_`) % numBuckets. */
  | { op: 'cross'; xs: number[]; numBuckets: number }
  /** x itself when it is an integer in [0, numBuckets), else `defaultValue`. */
  | { op: 'identity'; x: number; numBuckets: number; defaultValue: number }
  | { op: 'clip'; x: number; min: number; max: number }
  | { op: 'unary'; fn: UnaryFn; x: number }
  /** Arithmetic gives FLOAT (INT for add/sub/mul of INTs); comparisons and logic give 1 or 0. */
  | { op: 'binary'; fn: BinaryFn; a: number; b: number }
  /** a when cond is non-zero, else b. */
  | { op: 'where'; cond: number; a: number; b: number };

export type GraphNode = NodeOp & {
  type: ValueType;
  /** For categorical INT values: they lie in [0, numValues). */
  numValues?: number;
  /** The analyzer that produced this node's parameters, for readers (`bucketize`, …). */
  analyzer?: string;
};

export interface GraphOutput {
  name: string;
  node: number;
  type: ValueType;
  numValues?: number;
}

export interface TransformGraph {
  format: 'tsfx.transform_graph';
  version: 1;
  /** The raw features the graph reads, with their types (from the schema). */
  rawFeatures: { name: string; type: ValueType }[];
  nodes: GraphNode[];
  outputs: GraphOutput[];
  /** Rows the analyzers saw. */
  analyzedRows: number;
}

/** A graph with its vocabularies loaded: what `applyTransform` needs. */
export interface LoadedTransformGraph {
  graph: TransformGraph;
  /** Vocabulary file name -> tokens, most frequent first. */
  vocabularies: Record<string, string[]>;
}

export type TransformedRow = Record<string, Value>;

/** One node's operation: its value from the raw row and the values of earlier nodes. */
export type Step = (row: RawRow, values: Value[]) => Value;

/** A compiled graph: evaluates a chosen set of outputs for raw rows. */
export interface TransformFn {
  readonly outputs: GraphOutput[];
  /** The raw features these outputs read. */
  readonly requiredFeatures: string[];
  apply(row: RawRow): TransformedRow;
  /** The outputs of many rows as columns (output name -> one value per row), row by row as `apply`. */
  applyColumns(rows: readonly RawRow[]): Record<string, Value[]>;
  /** The same from raw columns (feature name -> one value per row; absent = missing). */
  applyToColumns(columns: RawColumns, numRows: number): Record<string, Value[]>;
}

/** Raw examples as columns: feature name -> one value per row. */
export type RawColumns = Readonly<Record<string, readonly Value[]>>;

const missing = (v: Value): boolean => v === null || (typeof v === 'number' && Number.isNaN(v));
const text = (v: number | string): string => (typeof v === 'string' ? v : String(v));

function numberOf(v: Value, node: string): number | null {
  if (v === null) return null;
  if (typeof v !== 'number') {
    throw new TsfxError(`transform: ${node} needs a number, got the string ${JSON.stringify(v)}`);
  }
  return v;
}

/** A node's operation as a function (`vocab`: a vocabulary node's token -> index). */
export function compileStep(
  node: GraphNode,
  index: number,
  vocab: Map<string, number> | null,
): Step {
  const name = `node ${index} (${node.op})`;
  switch (node.op) {
    case 'input': {
      const feature = node.feature;
      return (row) => row[feature] ?? null;
    }
    case 'constant': {
      const value = node.value;
      return () => value;
    }
    case 'fillInMissing': {
      const { x, value } = node;
      return (_, v) => (missing(v[x]) ? value : v[x]);
    }
    case 'scaleToZScore': {
      const { x, mean, std } = node;
      return (_, v) => {
        const n = numberOf(v[x], name);
        if (n === null) return null;
        return std > 0 ? (n - mean) / std : n - mean;
      };
    }
    case 'scaleToZeroOne': {
      const { x, min, max } = node;
      return (_, v) => {
        const n = numberOf(v[x], name);
        if (n === null) return null;
        return max > min ? (n - min) / (max - min) : 1 / (1 + Math.exp(-n));
      };
    }
    case 'vocabulary': {
      const { x, size, numOovBuckets, defaultValue } = node;
      const table = vocab!;
      return (_, v) => {
        const value = v[x];
        if (value === null) return null;
        const token = text(value);
        const index = table.get(token);
        if (index !== undefined) return index;
        return numOovBuckets > 0 ? size + hashBucket(token, numOovBuckets) : defaultValue;
      };
    }
    case 'applyBuckets': {
      const { x, boundaries } = node;
      return (_, v) => {
        const n = numberOf(v[x], name);
        if (n === null || Number.isNaN(n)) return null;
        // The number of boundaries <= n, by binary search.
        let low = 0;
        let high = boundaries.length;
        while (low < high) {
          const mid = (low + high) >> 1;
          if (boundaries[mid] <= n) low = mid + 1;
          else high = mid;
        }
        return low;
      };
    }
    case 'hashBuckets': {
      const { x, numBuckets } = node;
      return (_, v) => {
        const value = v[x];
        return value === null ? null : hashBucket(text(value), numBuckets);
      };
    }
    case 'cross': {
      const { xs, numBuckets } = node;
      return (_, v) => {
        const parts: string[] = [];
        for (const i of xs) {
          const value = v[i];
          if (value === null) return null;
          parts.push(text(value));
        }
        return hashBucket(parts.join('_X_'), numBuckets);
      };
    }
    case 'identity': {
      const { x, numBuckets, defaultValue } = node;
      return (_, v) => {
        const n = numberOf(v[x], name);
        if (n === null) return null;
        return Number.isInteger(n) && n >= 0 && n < numBuckets ? n : defaultValue;
      };
    }
    case 'clip': {
      const { x, min, max } = node;
      return (_, v) => {
        const n = numberOf(v[x], name);
        return n === null ? null : Math.min(max, Math.max(min, n));
      };
    }
    case 'unary':
      return compileUnary(node.fn, node.x, name);
    case 'binary':
      return compileBinary(node.fn, node.a, node.b, name);
    case 'where': {
      const { cond, a, b } = node;
      return (_, v) => {
        const c = numberOf(v[cond], name);
        if (c === null) return null;
        return c !== 0 ? v[a] : v[b];
      };
    }
  }
}

function compileUnary(fn: UnaryFn, x: number, name: string): Step {
  switch (fn) {
    case 'isMissing':
      return (_, v) => (missing(v[x]) ? 1 : 0);
    case 'toString':
      return (_, v) => {
        const value = v[x];
        return value === null ? null : text(value);
      };
    case 'toNumber':
      return (_, v) => {
        const value = v[x];
        if (value === null || typeof value === 'number') return value;
        const n = value.trim() === '' ? NaN : Number(value);
        return Number.isFinite(n) ? n : null;
      };
    default: {
      const f: (n: number) => number =
        fn === 'log1p'
          ? Math.log1p
          : fn === 'abs'
            ? Math.abs
            : fn === 'neg'
              ? (n) => -n
              : (n) => (n === 0 ? 1 : 0);
      return (_, v) => {
        const n = numberOf(v[x], name);
        return n === null ? null : f(n);
      };
    }
  }
}

function compileBinary(fn: BinaryFn, a: number, b: number, name: string): Step {
  if (fn === 'eq' || fn === 'ne') {
    const equal = fn === 'eq';
    return (_, v) => {
      const l = v[a];
      const r = v[b];
      if (l === null || r === null) return null;
      return (l === r) === equal ? 1 : 0;
    };
  }
  const f: (l: number, r: number) => number = {
    add: (l: number, r: number) => l + r,
    sub: (l: number, r: number) => l - r,
    mul: (l: number, r: number) => l * r,
    div: (l: number, r: number) => l / r,
    gt: (l: number, r: number) => (l > r ? 1 : 0),
    ge: (l: number, r: number) => (l >= r ? 1 : 0),
    lt: (l: number, r: number) => (l < r ? 1 : 0),
    le: (l: number, r: number) => (l <= r ? 1 : 0),
    and: (l: number, r: number) => (l !== 0 && r !== 0 ? 1 : 0),
    or: (l: number, r: number) => (l !== 0 || r !== 0 ? 1 : 0),
  }[fn];
  return (_, v) => {
    const l = numberOf(v[a], name);
    const r = numberOf(v[b], name);
    return l === null || r === null ? null : f(l, r);
  };
}

/** The indices of the nodes a node reads directly. */
export function argsOf(node: GraphNode): number[] {
  switch (node.op) {
    case 'input':
    case 'constant':
      return [];
    case 'cross':
      return node.xs;
    case 'binary':
      return [node.a, node.b];
    case 'where':
      return [node.cond, node.a, node.b];
    default:
      return [node.x];
  }
}

/** The node indices `roots` read, directly or not (roots included), in evaluation order. */
export function reachableNodes(nodes: readonly GraphNode[], roots: Iterable<number>): number[] {
  const needed = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (needed.has(i)) continue;
    needed.add(i);
    stack.push(...argsOf(nodes[i]));
  }
  return [...needed].sort((x, y) => x - y);
}

/** Checks a graph's structure (indices in range and earlier, known ops); throws on a bad graph. */
export function checkGraph(graph: TransformGraph): void {
  if (graph.format !== 'tsfx.transform_graph' || graph.version !== 1) {
    throw new TsfxError('not a tsfx transform graph (format tsfx.transform_graph, version 1)');
  }
  graph.nodes.forEach((node, i) => {
    for (const arg of argsOf(node)) {
      if (!Number.isInteger(arg) || arg < 0 || arg >= i) {
        throw new TsfxError(`transform graph node ${i} (${node.op}) reads node ${arg}`);
      }
    }
  });
  for (const output of graph.outputs) {
    if (!(output.node >= 0 && output.node < graph.nodes.length)) {
      throw new TsfxError(`transform graph output ${output.name} reads node ${output.node}`);
    }
  }
}

/** A graph's chosen outputs compiled: the nodes they read in evaluation order, a step each. */
export interface CompiledNodes {
  outputs: GraphOutput[];
  /** Node indices in evaluation order; `steps[k]` computes node `order[k]`. */
  order: number[];
  steps: Step[];
  /** The raw features these outputs read (no repeats). */
  requiredFeatures: string[];
  /** Per vocabulary node (by index): its token -> index. */
  vocabularies: Map<number, Map<string, number>>;
}

/** The nodes `outputNames` (default: all outputs) read, checked and compiled into steps. */
export function compileNodes(
  loaded: LoadedTransformGraph,
  outputNames?: readonly string[],
): CompiledNodes {
  const { graph } = loaded;
  checkGraph(graph);
  const outputs = outputNames
    ? outputNames.map((name) => {
        const output = graph.outputs.find((o) => o.name === name);
        if (!output) throw new TsfxError(`the transform graph has no output "${name}"`);
        return output;
      })
    : graph.outputs;
  const order = reachableNodes(
    graph.nodes,
    outputs.map((o) => o.node),
  );
  const steps: Step[] = [];
  const vocabularies = new Map<number, Map<string, number>>();
  for (const i of order) {
    const node = graph.nodes[i];
    let vocab: Map<string, number> | null = null;
    if (node.op === 'vocabulary') {
      const tokens = loaded.vocabularies[node.vocabularyFile];
      if (!tokens) throw new TsfxError(`vocabulary ${node.vocabularyFile} is not loaded`);
      vocab = new Map(tokens.map((token, index) => [token, index]));
      vocabularies.set(i, vocab);
    }
    steps.push(compileStep(node, i, vocab));
  }
  const requiredFeatures = order
    .map((i) => graph.nodes[i])
    .flatMap((node) => (node.op === 'input' ? [node.feature] : []));
  return {
    outputs,
    order,
    steps,
    requiredFeatures: [...new Set(requiredFeatures)],
    vocabularies,
  };
}

/**
 * Compiles a loaded graph into a function of raw rows. `outputNames` picks the outputs (default:
 * all); only the nodes and raw features they read are evaluated and required.
 */
export function compileTransform(
  loaded: LoadedTransformGraph,
  outputNames?: readonly string[],
): TransformFn {
  const { graph } = loaded;
  const { outputs, order, steps, requiredFeatures: required } = compileNodes(loaded, outputNames);
  const size = graph.nodes.length;
  // One values array for all rows and no object per row: what scoring many rows costs.
  const evaluateColumns = (numRows: number, rowAt: (i: number) => RawRow) => {
    const values: Value[] = new Array<Value>(size).fill(null);
    const columns = outputs.map(() => new Array<Value>(numRows));
    const nodes = outputs.map((o) => o.node);
    for (let i = 0; i < numRows; i++) {
      const row = rowAt(i);
      for (let k = 0; k < order.length; k++) values[order[k]] = steps[k](row, values);
      for (let o = 0; o < nodes.length; o++) columns[o][i] = values[nodes[o]];
    }
    const result: Record<string, Value[]> = {};
    outputs.forEach((output, o) => (result[output.name] = columns[o]));
    return result;
  };
  return {
    outputs,
    requiredFeatures: required,
    apply(row: RawRow): TransformedRow {
      const values: Value[] = new Array<Value>(size);
      for (let k = 0; k < order.length; k++) values[order[k]] = steps[k](row, values);
      const result: TransformedRow = {};
      for (const output of outputs) result[output.name] = values[output.node];
      return result;
    },
    applyColumns(rows: readonly RawRow[]): Record<string, Value[]> {
      return evaluateColumns(rows.length, (i) => rows[i]);
    },
    applyToColumns(raw: RawColumns, numRows: number): Record<string, Value[]> {
      // One row object, refilled for each row, is what the steps read: no object per row.
      const features = required.map((name) => ({ name, values: raw[name] }));
      const row: RawRow = {};
      return evaluateColumns(numRows, (i) => {
        for (const f of features) row[f.name] = f.values?.[i] ?? null;
        return row;
      });
    },
  };
}

/** Applies a graph to raw rows: the one function behind Transform, training, evaluation and serving. */
export function applyTransform(
  loaded: LoadedTransformGraph,
  rows: readonly RawRow[],
  outputNames?: readonly string[],
): TransformedRow[] {
  const fn = compileTransform(loaded, outputNames);
  return rows.map((row) => fn.apply(row));
}
