/**
 * Scoring of evaluation examples, chunk by chunk: each example's label (0/1), its prediction per
 * model and its slice per slicing spec, kept compact (typed arrays). The same code runs in the
 * Evaluator's thread and in its worker threads (each over a range of the rows).
 */
import type { SlicingSpec, ValueType } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import {
  valueAt,
  valuesOf,
  type Column,
  type ColumnTransformFn,
  type TypedColumns,
} from '../transform/columns';
import type { Value } from '../transform/graph';
import type { ColumnChunk } from './columnChunks';
import { SpecSlicer } from './slicing';

/** What scoring reads besides the models: where the label and slicing features come from. */
export interface ScoringPlan {
  labelKey: string;
  /** Transform graph outputs read by the label or slicing (TFMA: they win over raw features). */
  derived: ColumnTransformFn | null;
  derivedNames: Set<string>;
  sliceFeatures: string[];
  slicingSpecs: SlicingSpec[];
  types: Record<string, ValueType>;
}

export interface ScoringModel {
  /** '' for a lone candidate, else `candidate` or `baseline` (for messages). */
  name: string;
  predictColumns(columns: TypedColumns, numRows: number): Float32Array;
}

/** The scores of a run of examples: per example, its label, predictions and slice ids. */
export interface Scores {
  numExamples: number;
  labels: Uint8Array;
  /** Per model. */
  predictions: Float32Array[];
  /** Per slicing spec: each example's slice (an index of `slicers[s].slices`) or -1. */
  sliceIds: Int32Array[];
}

export class ExampleScorer {
  readonly slicers: SpecSlicer[];
  private readonly labels = growable(Uint8Array);
  private readonly predictions: Growable<Float32Array>[];
  private readonly sliceIds: Growable<Int32Array>[];
  private numExamples = 0;

  /** `firstExample`: the examples before these ones, for the example numbers of errors. */
  constructor(
    private readonly plan: ScoringPlan,
    private readonly models: ScoringModel[],
    private readonly firstExample = 0,
  ) {
    this.slicers = plan.slicingSpecs.map((spec, i) => new SpecSlicer(i, spec, plan.types));
    this.predictions = models.map(() => growable(Float32Array));
    this.sliceIds = this.slicers.map(() => growable(Int32Array));
  }

  add({ numRows: n, columns: raw }: ColumnChunk): void {
    const { plan } = this;
    const first = this.firstExample + this.numExamples;
    const derived = plan.derived ? plan.derived.apply(raw, n) : {};
    const column = (name: string): Column =>
      plan.derivedNames.has(name) ? derived[name] : raw[name];
    this.addLabels(column(plan.labelKey), n, first);
    this.models.forEach((model, m) => {
      const p = model.predictColumns(raw, n);
      for (let i = 0; i < p.length; i++) {
        if (!(p[i] >= 0 && p[i] <= 1)) {
          throw new TsfxError(
            `the ${model.name || 'model'}'s prediction for example ${first + i + 1} is ${p[i]}, not a probability`,
          );
        }
      }
      this.predictions[m].reserve(n).set(p);
    });
    const columns: Record<string, Value[]> = {};
    for (const name of plan.sliceFeatures) columns[name] = valuesOf(column(name));
    this.slicers.forEach((slicer, s) => slicer.assign(columns, n, this.sliceIds[s].reserve(n)));
    this.numExamples += n;
  }

  /** The labels, 0 or 1 (anything else is refused, naming the example). */
  private addLabels(values: Column, n: number, first: number): void {
    const labels = this.labels.reserve(n);
    for (let i = 0; i < n; i++) {
      const v = valueAt(values, i);
      if (v !== 0 && v !== 1) {
        throw new TsfxError(
          `label ${this.plan.labelKey} is ${v === null ? 'missing' : JSON.stringify(v)} in example ${first + i + 1}: binary classification metrics need 0 or 1`,
        );
      }
      labels[i] = v;
    }
  }

  scores(): Scores {
    return {
      numExamples: this.numExamples,
      labels: this.labels.view(),
      predictions: this.predictions.map((g) => g.view()),
      sliceIds: this.sliceIds.map((g) => g.view()),
    };
  }
}

// ---- growable typed arrays ---------------------------------------------------------------------

type TypedArray = Float32Array | Int32Array | Uint8Array;
interface Growable<T extends TypedArray> {
  /** The next `count` elements to fill. */
  reserve(count: number): T;
  /** The filled elements. */
  view(): T;
}

function growable<T extends TypedArray>(make: new (length: number) => T): Growable<T> {
  let data = new make(1 << 16);
  let length = 0;
  return {
    reserve(count) {
      if (length + count > data.length) {
        let size = data.length;
        while (size < length + count) size *= 2;
        const bigger = new make(size);
        bigger.set(data.subarray(0, length) as never);
        data = bigger;
      }
      const part = data.subarray(length, length + count) as T;
      length += count;
      return part;
    },
    view: () => data.subarray(0, length) as T,
  };
}
