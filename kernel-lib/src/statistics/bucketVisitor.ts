import { FeatureVisitor, type FeatureColumn } from './featureType';
import { numericBucketSql, type NumericScan } from './numeric';
import { stringBucketSql } from './string';

export interface BucketContext {
  numeric: ReadonlyMap<number, NumericScan>;
  numHistogramBuckets: number;
}

/**
 * Operation: the second scan's grouping key of a feature (null when it needs none). Numeric
 * features group by STANDARD histogram bucket, string features by value.
 */
export class BucketSqlVisitor extends FeatureVisitor<string | null, [context: BucketContext]> {
  visitInt(column: FeatureColumn, context: BucketContext): string | null {
    return this.numeric(column, context);
  }
  visitFloat(column: FeatureColumn, context: BucketContext): string | null {
    return this.numeric(column, context);
  }
  visitString(column: FeatureColumn): string | null {
    return stringBucketSql(column.index);
  }
  private numeric(column: FeatureColumn, context: BucketContext): string | null {
    const scan = context.numeric.get(column.index);
    return scan ? numericBucketSql(column.index, scan, context.numHistogramBuckets) : null;
  }
}
