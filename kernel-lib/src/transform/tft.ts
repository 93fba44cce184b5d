import type { ValueType } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import type { BinaryFn, GraphNode, GraphOutput, UnaryFn } from './graph';

/**
 * The preprocessing API of module files, after TensorFlow Transform. A module file exports
 *
 * ```ts
 * export function preprocessingFn(inputs: Inputs, tft: Tft): Outputs { … }
 * ```
 *
 * `inputs` holds one symbolic `Column` per raw feature of the schema; the function combines them
 * with `tft`'s operations and returns the transformed features by name. Nothing is computed
 * while it runs: the calls record a graph. Analyzers (`scaleToZScore`, `scaleToZeroOne`,
 * `computeAndApplyVocabulary`, `bucketize`) then get their values from full passes over the
 * analysis split, and the finished graph is saved as the TransformGraph artifact. Only the
 * operations below can be recorded (an arbitrary JavaScript function could not be saved and
 * replayed in serving).
 */
export class Column {
  /** @internal */
  constructor(
    readonly builder: GraphBuilder,
    readonly index: number,
  ) {}

  get type(): ValueType {
    return this.builder.nodes[this.index].type;
  }

  /** For categorical INT columns: values lie in [0, numValues). Known after analysis for vocabularies. */
  get numValues(): number | undefined {
    return this.builder.nodes[this.index].numValues;
  }
}

export type Inputs = Record<string, Column>;
export type Outputs = Record<string, Column>;
export type ColumnOrConstant = Column | number | string;

export interface VocabularyOptions {
  /** Keep the `topK` most frequent tokens (default: all). */
  topK?: number;
  /** Keep tokens seen at least this often (default 0: all). */
  frequencyThreshold?: number;
  /** Hash out-of-vocabulary tokens into this many extra ids after the vocabulary (default 0). */
  numOovBuckets?: number;
  /** The id of an out-of-vocabulary token when there are no OOV buckets (default -1, as TFT). */
  defaultValue?: number;
  /** The vocabulary file's name (default `vocab_<feature>`). */
  vocabularyName?: string;
}

/** What an analyzer node still needs from the data. */
export type PendingAnalyzer =
  | { kind: 'meanAndStd' }
  | { kind: 'minAndMax' }
  | {
      kind: 'vocabulary';
      topK: number | null;
      frequencyThreshold: number;
      numOovBuckets: number;
    }
  | { kind: 'quantiles'; numBuckets: number };

export type PreprocessingFn = (inputs: Inputs, tft: Tft) => Outputs;

/** Records nodes while a preprocessing function runs. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly pending = new Map<number, PendingAnalyzer>();
  private readonly vocabularyNames = new Set<string>();

  add(node: GraphNode, pending?: PendingAnalyzer): Column {
    this.nodes.push(node);
    const index = this.nodes.length - 1;
    if (pending) this.pending.set(index, pending);
    return new Column(this, index);
  }

  vocabularyFile(preferred: string): string {
    const base = preferred.replace(/[^\w.-]/g, '_');
    let name = base;
    for (let i = 2; this.vocabularyNames.has(name); i++) name = `${base}_${i}`;
    this.vocabularyNames.add(name);
    return `${name}.txt`;
  }
}

function isNumeric(type: ValueType): boolean {
  return type !== 'STRING';
}

/** The `tft` object a preprocessing function receives. */
export class Tft {
  constructor(private readonly builder: GraphBuilder) {}

  private column(value: ColumnOrConstant, what: string): Column {
    if (value instanceof Column) {
      if (value.builder !== this.builder) {
        throw new TsfxError(`${what}: the column belongs to another preprocessing run`);
      }
      return value;
    }
    return this.constant(value);
  }

  private numeric(value: ColumnOrConstant, what: string): Column {
    const column = this.column(value, what);
    if (!isNumeric(column.type)) throw new TsfxError(`${what} needs a numeric column, not STRING`);
    return column;
  }

  constant(value: number | string): Column {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TsfxError(`constant ${value} is not a finite number`);
    }
    const type: ValueType =
      typeof value === 'string' ? 'STRING' : Number.isInteger(value) ? 'INT' : 'FLOAT';
    return this.builder.add({ op: 'constant', value, type });
  }

  /** x with missing values (null, NaN) replaced by `value` (TFX's `_fill_in_missing`). */
  fillInMissing(x: Column, value: number | string): Column {
    const column = this.column(x, 'fillInMissing');
    if ((typeof value === 'string') !== (column.type === 'STRING')) {
      throw new TsfxError(`fillInMissing: ${JSON.stringify(value)} does not fit a ${column.type}`);
    }
    const type: ValueType =
      column.type === 'INT' && typeof value === 'number' && !Number.isInteger(value)
        ? 'FLOAT'
        : column.type;
    const numValues =
      column.numValues !== undefined &&
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 0
        ? Math.max(column.numValues, value + 1)
        : undefined;
    return this.builder.add({ op: 'fillInMissing', x: column.index, value, type, numValues });
  }

  /** Analyzer: (x - mean) / standard deviation over the analysis split (population std). */
  scaleToZScore(x: Column): Column {
    const column = this.numeric(x, 'scaleToZScore');
    return this.builder.add(
      { op: 'scaleToZScore', x: column.index, mean: 0, std: 0, type: 'FLOAT' },
      { kind: 'meanAndStd' },
    );
  }

  /** Analyzer: (x - min) / (max - min) over the analysis split. */
  scaleToZeroOne(x: Column): Column {
    const column = this.numeric(x, 'scaleToZeroOne');
    return this.builder.add(
      { op: 'scaleToZeroOne', x: column.index, min: 0, max: 0, type: 'FLOAT' },
      { kind: 'minAndMax' },
    );
  }

  /**
   * Analyzer: a vocabulary of x's values (as text), most frequent first (ties: the greater token
   * first, as TFT), then each value's index in it.
   */
  computeAndApplyVocabulary(x: Column, options: VocabularyOptions = {}): Column {
    const column = this.column(x, 'computeAndApplyVocabulary');
    const numOovBuckets = options.numOovBuckets ?? 0;
    const topK = options.topK ?? null;
    const frequencyThreshold = options.frequencyThreshold ?? 0;
    for (const [name, value] of [
      ['numOovBuckets', numOovBuckets],
      ['topK', topK ?? 0],
      ['frequencyThreshold', frequencyThreshold],
    ] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw new TsfxError(`computeAndApplyVocabulary: ${name} must be a whole number >= 0`);
      }
    }
    const input = this.builder.nodes[column.index];
    const preferred =
      options.vocabularyName ?? (input.op === 'input' ? `vocab_${input.feature}` : 'vocab');
    return this.builder.add(
      {
        op: 'vocabulary',
        x: column.index,
        vocabularyFile: this.builder.vocabularyFile(preferred),
        size: 0,
        numOovBuckets,
        defaultValue: options.defaultValue ?? -1,
        type: 'INT',
      },
      { kind: 'vocabulary', topK, frequencyThreshold, numOovBuckets },
    );
  }

  /** Analyzer: `numBuckets` quantile buckets of x over the analysis split (ids 0..numBuckets-1). */
  bucketize(x: Column, numBuckets: number): Column {
    const column = this.numeric(x, 'bucketize');
    if (!Number.isInteger(numBuckets) || numBuckets < 1) {
      throw new TsfxError('bucketize: numBuckets must be a whole number >= 1');
    }
    return this.builder.add(
      {
        op: 'applyBuckets',
        x: column.index,
        boundaries: [],
        type: 'INT',
        numValues: numBuckets,
        analyzer: 'bucketize',
      },
      { kind: 'quantiles', numBuckets },
    );
  }

  /** The bucket of x among given sorted boundaries: the number of boundaries <= x. */
  applyBuckets(x: Column, boundaries: number[]): Column {
    const column = this.numeric(x, 'applyBuckets');
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i - 1] <= boundaries[i])) {
        throw new TsfxError('applyBuckets: boundaries must be sorted');
      }
    }
    return this.builder.add({
      op: 'applyBuckets',
      x: column.index,
      boundaries: [...boundaries],
      type: 'INT',
      numValues: boundaries.length + 1,
    });
  }

  /** x's value as text hashed into `numBuckets` buckets (fnv1a32 % numBuckets). */
  hashStrings(x: Column, numBuckets: number): Column {
    const column = this.column(x, 'hashStrings');
    checkBuckets(numBuckets, 'hashStrings');
    return this.builder.add({
      op: 'hashBuckets',
      x: column.index,
      numBuckets,
      type: 'INT',
      numValues: numBuckets,
    });
  }

  /** A hashed feature cross: the values joined by `_X_`, hashed into `numBuckets` buckets. */
  cross(xs: Column[], numBuckets: number): Column {
    if (xs.length < 2) throw new TsfxError('cross needs at least two columns');
    checkBuckets(numBuckets, 'cross');
    return this.builder.add({
      op: 'cross',
      xs: xs.map((x) => this.column(x, 'cross').index),
      numBuckets,
      type: 'INT',
      numValues: numBuckets,
    });
  }

  /** An integer categorical in [0, numBuckets); other values become `defaultValue` (default 0). */
  categoricalIdentity(x: Column, numBuckets: number, defaultValue = 0): Column {
    const column = this.numeric(x, 'categoricalIdentity');
    checkBuckets(numBuckets, 'categoricalIdentity');
    if (!Number.isInteger(defaultValue) || defaultValue < 0 || defaultValue >= numBuckets) {
      throw new TsfxError('categoricalIdentity: defaultValue must lie in [0, numBuckets)');
    }
    return this.builder.add({
      op: 'identity',
      x: column.index,
      numBuckets,
      defaultValue,
      type: 'INT',
      numValues: numBuckets,
    });
  }

  clip(x: Column, min: number, max: number): Column {
    const column = this.numeric(x, 'clip');
    const integral = column.type === 'INT' && Number.isInteger(min) && Number.isInteger(max);
    return this.builder.add({
      op: 'clip',
      x: column.index,
      min,
      max,
      type: integral ? 'INT' : 'FLOAT',
      numValues: integral && min >= 0 ? max + 1 : undefined,
    });
  }

  log1p(x: Column): Column {
    return this.unary('log1p', x, 'FLOAT');
  }
  abs(x: Column): Column {
    return this.unary('abs', x);
  }
  neg(x: Column): Column {
    return this.unary('neg', x);
  }
  not(x: Column): Column {
    return this.unary('not', x, 'INT');
  }
  /** 1 when x is missing (null or NaN), else 0. */
  isMissing(x: Column): Column {
    const column = this.column(x, 'isMissing');
    return this.builder.add({ op: 'unary', fn: 'isMissing', x: column.index, type: 'INT' });
  }
  /** x as text (numbers as JavaScript prints them). */
  asString(x: Column): Column {
    const column = this.column(x, 'asString');
    return this.builder.add({ op: 'unary', fn: 'toString', x: column.index, type: 'STRING' });
  }
  /** Text parsed as a number (null when it is not one). */
  stringToNumber(x: Column): Column {
    const column = this.column(x, 'stringToNumber');
    return this.builder.add({ op: 'unary', fn: 'toNumber', x: column.index, type: 'FLOAT' });
  }

  add(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('add', a, b);
  }
  sub(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('sub', a, b);
  }
  mul(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('mul', a, b);
  }
  div(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('div', a, b);
  }
  gt(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('gt', a, b);
  }
  ge(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('ge', a, b);
  }
  lt(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('lt', a, b);
  }
  le(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('le', a, b);
  }
  eq(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('eq', a, b);
  }
  ne(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('ne', a, b);
  }
  and(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('and', a, b);
  }
  or(a: ColumnOrConstant, b: ColumnOrConstant): Column {
    return this.binary('or', a, b);
  }

  /** a where cond is non-zero, else b. */
  where(cond: ColumnOrConstant, a: ColumnOrConstant, b: ColumnOrConstant): Column {
    const c = this.numeric(cond, 'where');
    const l = this.column(a, 'where');
    const r = this.column(b, 'where');
    let type: ValueType;
    if (l.type === r.type) type = l.type;
    else if (isNumeric(l.type) && isNumeric(r.type)) type = 'FLOAT';
    else throw new TsfxError(`where: the branches are ${l.type} and ${r.type}`);
    const numValues =
      l.numValues !== undefined && r.numValues !== undefined
        ? Math.max(l.numValues, r.numValues)
        : undefined;
    return this.builder.add({
      op: 'where',
      cond: c.index,
      a: l.index,
      b: r.index,
      type,
      numValues,
    });
  }

  private unary(fn: UnaryFn, x: Column, type?: ValueType): Column {
    const column = this.numeric(x, fn);
    return this.builder.add({ op: 'unary', fn, x: column.index, type: type ?? column.type });
  }

  private binary(fn: BinaryFn, a: ColumnOrConstant, b: ColumnOrConstant): Column {
    if (fn === 'eq' || fn === 'ne') {
      const l = this.column(a, fn);
      const r = this.column(b, fn);
      return this.builder.add({ op: 'binary', fn, a: l.index, b: r.index, type: 'INT' });
    }
    const l = this.numeric(a, fn);
    const r = this.numeric(b, fn);
    const type: ValueType =
      fn === 'add' || fn === 'sub' || fn === 'mul'
        ? l.type === 'INT' && r.type === 'INT'
          ? 'INT'
          : 'FLOAT'
        : fn === 'div'
          ? 'FLOAT'
          : 'INT';
    return this.builder.add({ op: 'binary', fn, a: l.index, b: r.index, type });
  }
}

function checkBuckets(numBuckets: number, what: string): void {
  if (!Number.isInteger(numBuckets) || numBuckets < 1) {
    throw new TsfxError(`${what}: numBuckets must be a whole number >= 1`);
  }
}

export interface TracedGraph {
  builder: GraphBuilder;
  rawFeatures: { name: string; type: ValueType }[];
  outputs: GraphOutput[];
}

/** Runs a preprocessing function on symbolic inputs and records its graph. */
export function tracePreprocessingFn(
  fn: PreprocessingFn,
  rawFeatures: { name: string; type: ValueType }[],
): TracedGraph {
  const builder = new GraphBuilder();
  const tft = new Tft(builder);
  const inputs: Inputs = {};
  for (const feature of rawFeatures) {
    inputs[feature.name] = builder.add({
      op: 'input',
      feature: feature.name,
      type: feature.type,
    });
  }
  const result = fn(inputs, tft);
  if (!result || typeof result !== 'object') {
    throw new TsfxError('preprocessingFn must return an object of transformed columns');
  }
  const outputs: GraphOutput[] = [];
  for (const [name, column] of Object.entries(result)) {
    if (!(column instanceof Column) || column.builder !== builder) {
      throw new TsfxError(`preprocessingFn output "${name}" is not a column made by tft`);
    }
    outputs.push({ name, node: column.index, type: column.type });
  }
  if (outputs.length === 0) throw new TsfxError('preprocessingFn returned no outputs');
  return { builder, rawFeatures, outputs };
}
