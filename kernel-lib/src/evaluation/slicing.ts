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
  private readonly ids = new Map<string | number, number>();
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
    for (let i = 0; i < size; i++) {
      let ok = true;
      for (let f = 0; f < fixedColumns.length && ok; f++) {
        ok = matches(fixedColumns[f][i], this.fixed[f][1]);
      }
      if (!ok) {
        out[i] = -1;
        continue;
      }
      let id: number | undefined;
      if (keyColumns.length === 0) {
        id = this.ids.get('');
      } else if (keyColumns.length === 1) {
        const v = keyColumns[0][i];
        if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
          out[i] = -1;
          continue;
        }
        id = this.ids.get(v);
      } else {
        let text = '';
        for (const column of keyColumns) {
          const v = column[i];
          if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
            ok = false;
            break;
          }
          text += `${typeof v}:${v}\u0000`;
        }
        if (!ok) {
          out[i] = -1;
          continue;
        }
        id = this.ids.get(text);
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
    const first = keyColumns.length === 1 ? (keyColumns[0][i] as SliceValue) : null;
    const text =
      keyColumns.length === 0
        ? ''
        : (first ?? keyColumns.map((c) => `${typeof c[i]}:${c[i]}\u0000`).join(''));
    this.ids.set(text, id);
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
