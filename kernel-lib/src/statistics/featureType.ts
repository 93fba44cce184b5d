/**
 * The closed set of feature types statistics are computed for, and the visitor every operation
 * over them derives from (in the style of apache-arrow's `Visitor`): one subclass per operation,
 * one `visit…` method per type, so adding a type is a compile error in every operation that
 * does not handle it yet.
 */

/** A column's type as TFX's CSV decoder infers it (and as CsvExampleGen writes it to Parquet). */
export type FeatureType = 'INT' | 'FLOAT' | 'STRING';

export const FEATURE_TYPES: readonly FeatureType[] = ['INT', 'FLOAT', 'STRING'];

/** One input column: its name, its type, and its position `index` in the scan's projection. */
export interface FeatureColumn {
  readonly name: string;
  readonly type: FeatureType;
  readonly index: number;
}

export abstract class FeatureVisitor<TResult, TArgs extends unknown[] = []> {
  visit(column: FeatureColumn, ...args: TArgs): TResult {
    switch (column.type) {
      case 'INT':
        return this.visitInt(column, ...args);
      case 'FLOAT':
        return this.visitFloat(column, ...args);
      case 'STRING':
        return this.visitString(column, ...args);
      default:
        return assertNever(column.type);
    }
  }

  visitMany(columns: readonly FeatureColumn[], ...args: TArgs): TResult[] {
    return columns.map((column) => this.visit(column, ...args));
  }

  abstract visitInt(column: FeatureColumn, ...args: TArgs): TResult;
  abstract visitFloat(column: FeatureColumn, ...args: TArgs): TResult;
  abstract visitString(column: FeatureColumn, ...args: TArgs): TResult;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected feature type: ${String(value)}`);
}

/** True for the types that get `numStats` (INT and FLOAT); STRING gets `stringStats`. */
export function isNumeric(type: FeatureType): boolean {
  return type !== 'STRING';
}
