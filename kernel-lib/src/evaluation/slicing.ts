/**
 * Slicing as TFMA does it (slicer_lib.SingleSliceSpec): a SlicingSpec's `featureKeys` slice by
 * every value of those features (several keys cross), its `featureValues` keep only examples with
 * those values (a string that reads as a number matches the number too). An example missing a
 * feature the spec reads is in none of its slices. A slice key lists its columns sorted by name.
 */
import type { SingleSliceKeyJson, SliceKeyJson, SlicingSpec, ValueType } from '@tsfx/protocol';
import type { Value } from '../transform/graph';

export type SliceValue = number | string;

export interface SliceKeyColumn {
  column: string;
  value: SliceValue;
  type: ValueType;
}

/** One slice of one spec: its key (columns sorted by name) and the examples in it. */
export interface Slice {
  spec: number;
  key: SliceKeyColumn[];
  count: number;
}

/** The overall slice's spec is `{}`: TFMA's default when no slicing spec is given. */
export function isOverall(spec: SlicingSpec): boolean {
  return spec.featureKeys.length === 0 && Object.keys(spec.featureValues).length === 0;
}

/** The features a spec reads. */
export function specFeatures(spec: SlicingSpec): string[] {
  return [...spec.featureKeys, ...Object.keys(spec.featureValues)];
}

/**
 * TFMA's SingleSliceSpec.is_slice_applicable: a slice is one of a spec's when its columns are the
 * features the spec reads, with the spec's `featureValues`.
 */
export function sliceOfSpec(key: readonly SliceKeyColumn[], spec: SlicingSpec): boolean {
  const features = specFeatures(spec);
  if (features.length !== key.length) return false;
  return key.every(({ column, value }) => {
    if (!features.includes(column)) return false;
    const wanted = spec.featureValues[column];
    return wanted === undefined || matches(value, wanted);
  });
}

/** Does `value` match a `featureValues` entry (TFMA: "3" matches 3 and "3")? */
function matches(value: Value, wanted: string): boolean {
  if (value === null) return false;
  if (typeof value === 'string') return value === wanted;
  const n = wanted.trim() === '' ? NaN : Number(wanted);
  return value === n;
}

/**
 * Assigns examples to the slices of one spec, batch by batch: `assign` gives each example's slice
 * id (or -1), ids numbered in order of first appearance.
 */
export class SpecSlicer {
  readonly slices: Slice[] = [];
  /** Slice ids by key value, one map level a key feature (no text key built per example). */
  private readonly ids = new Map<Value, unknown>();
  private overallId: number | undefined;
  private readonly keys: string[];
  private readonly fixed: [string, string][];

  constructor(
    readonly index: number,
    readonly spec: SlicingSpec,
    private readonly types: Record<string, ValueType>,
  ) {
    this.keys = [...spec.featureKeys];
    this.fixed = Object.entries(spec.featureValues);
  }

  /** Slice ids of a batch; `columns[name][i]` is feature `name` of example i. */
  assign(columns: Record<string, readonly Value[]>, size: number, out: Int32Array): void {
    const keyColumns = this.keys.map((k) => columns[k]);
    const fixedColumns = this.fixed.map(([k]) => columns[k]);
    const depth = keyColumns.length;
    rows: for (let i = 0; i < size; i++) {
      for (let f = 0; f < fixedColumns.length; f++) {
        if (!matches(fixedColumns[f][i], this.fixed[f][1])) {
          out[i] = -1;
          continue rows;
        }
      }
      for (let c = 0; c < depth; c++) {
        const v = keyColumns[c][i];
        if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
          out[i] = -1;
          continue rows;
        }
      }
      let id: number | undefined;
      if (depth === 0) {
        id = this.overallId;
      } else {
        let level = this.ids;
        for (let c = 0; c < depth - 1 && level; c++) {
          level = level.get(keyColumns[c][i]) as Map<Value, unknown>;
        }
        id = level?.get(keyColumns[depth - 1][i]) as number | undefined;
      }
      if (id === undefined) id = this.newSlice(keyColumns, i);
      this.slices[id].count++;
      out[i] = id;
    }
  }

  private newSlice(keyColumns: (readonly Value[])[], i: number): number {
    const key: SliceKeyColumn[] = this.keys.map((column, k) => ({
      column,
      value: keyColumns[k][i] as SliceValue,
      type: this.types[column],
    }));
    for (const [column, wanted] of this.fixed) {
      const value: SliceValue = this.types[column] === 'STRING' ? wanted : Number(wanted);
      key.push({ column, value, type: this.types[column] });
    }
    key.sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
    const id = this.slices.length;
    this.slices.push({ spec: this.index, key, count: 0 });
    if (keyColumns.length === 0) {
      this.overallId = id;
      return id;
    }
    let level = this.ids;
    for (let c = 0; c < keyColumns.length - 1; c++) {
      const v = keyColumns[c][i];
      let next = level.get(v) as Map<Value, unknown> | undefined;
      if (!next) level.set(v, (next = new Map()));
      level = next;
    }
    level.set(keyColumns[keyColumns.length - 1][i], id);
    return id;
  }
}

/** Orders slices of one spec by their key values (numbers numerically, then text). */
export function compareSliceKeys(a: SliceKeyColumn[], b: SliceKeyColumn[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i].value;
    const y = b[i].value;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** A slice key as TFMA's SliceKey proto JSON (strings as base64 bytes, as proto3 JSON writes them). */
export function sliceKeyJson(key: readonly SliceKeyColumn[]): SliceKeyJson {
  return {
    singleSliceKeys: key.map(({ column, value, type }): SingleSliceKeyJson => {
      if (typeof value === 'string') {
        return { column, bytesValue: Buffer.from(value, 'utf8').toString('base64') };
      }
      if (type === 'INT' && Number.isInteger(value)) return { column, int64Value: String(value) };
      return { column, floatValue: value };
    }),
  };
}

/** TFMA's slice name: `Overall`, `trip_start_hour:3`, `trip_start_day_X_trip_start_hour:1_X_3`. */
export function sliceName(key: readonly SliceKeyColumn[]): string {
  if (key.length === 0) return 'Overall';
  return `${key.map((k) => k.column).join('_X_')}:${key.map((k) => String(k.value)).join('_X_')}`;
}

/**
 * One spec's slices from consecutive runs of examples sliced apart (worker threads): the slices
 * in order of first appearance over all runs (as one slicer would number them), their counts
 * summed, and per run the map from its slice ids to the merged ones.
 */
export function mergeSlices(runs: readonly (readonly Slice[])[]): {
  slices: Slice[];
  remap: Int32Array[];
} {
  const slices: Slice[] = [];
  const ids = new Map<string, number>();
  const remap = runs.map((run) =>
    Int32Array.from(run, (slice) => {
      const text = JSON.stringify(slice.key.map((k) => [k.column, typeof k.value, k.value]));
      let id = ids.get(text);
      if (id === undefined) {
        id = slices.length;
        ids.set(text, id);
        slices.push({ ...slice, key: slice.key.map((k) => ({ ...k })), count: 0 });
      }
      slices[id].count += slice.count;
      return id;
    }),
  );
  return { slices, remap };
}
