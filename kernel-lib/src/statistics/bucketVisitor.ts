import { FeatureVisitor, type FeatureColumn } from './featureType';
import { countsEachValue, numericBucketSql, numericValueSql, type NumericScan } from './numeric';
import { stringBucketSql } from './string';

export interface BucketContext {
  numeric: ReadonlyMap<number, NumericScan>;
  numHistogramBuckets: number;
}

export interface GroupingKey {
  sql: string;
  /** Every group is needed (value counts), not only the most frequent ones. */
  everyGroup: boolean;
}

/**
 * Operation: the second scan's grouping key of a feature (null when it needs none). Numeric
 * features group by STANDARD histogram bucket, or by value when their values are counted one by
 * one (few distinct values, rows sampled); string features group by value.
 */
export class BucketSqlVisitor extends FeatureVisitor<GroupingKey | null, [context: BucketContext]> {
  visitInt(column: FeatureColumn, context: BucketContext): GroupingKey | null {
    return this.numeric(column, context);
  }
  visitFloat(column: FeatureColumn, context: BucketContext): GroupingKey | null {
    return this.numeric(column, context);
  }
  visitString(column: FeatureColumn): GroupingKey | null {
    return { sql: stringBucketSql(column.index), everyGroup: false };
  }
  private numeric(column: FeatureColumn, context: BucketContext): GroupingKey | null {
    const scan = context.numeric.get(column.index);
    if (scan && countsEachValue(scan))
      return { sql: numericValueSql(column.index), everyGroup: true };
    const sql = scan ? numericBucketSql(column.index, scan, context.numHistogramBuckets) : null;
    return sql === null ? null : { sql, everyGroup: false };
  }
}
