/**
 * The closed set of feature types statistics are computed for, and the visitor every operation
 * over them derives from (in the style of apache-arrow's `Visitor`): one subclass per operation,
 * one `visit…` method per type, so adding a type is a compile error in every operation that
 * does not handle it yet.
 */

import type { ValueType } from '@tsfx/protocol';

/** One input column: its name, its type, and its position `index` in the scan's projection. */
export interface FeatureColumn {
  readonly name: string;
  readonly type: ValueType;
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
export function isNumeric(type: ValueType): boolean {
  return type !== 'STRING';
}
