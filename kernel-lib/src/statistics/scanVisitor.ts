import { FeatureVisitor, type FeatureColumn } from './featureType';
import { numericScanSql, specialValuesSql } from './numeric';

/**
 * Operation: the first scan's aggregate expressions of a feature. String features have none: the
 * second scan's exact frequencies give their counts and lengths, so the first scan need not
 * read their text at all.
 */
export class ScanSqlVisitor extends FeatureVisitor<
  string[],
  [points: readonly number[], sampled: boolean, nanAware?: boolean]
> {
  visitInt(
    column: FeatureColumn,
    points: readonly number[],
    sampled: boolean,
    nanAware = false,
  ): string[] {
    return (nanAware ? specialValuesSql : numericScanSql)(column.index, points, sampled);
  }
  visitFloat(
    column: FeatureColumn,
    points: readonly number[],
    sampled: boolean,
    nanAware = false,
  ): string[] {
    return (nanAware ? specialValuesSql : numericScanSql)(column.index, points, sampled);
  }
  visitString(): string[] {
    return [];
  }
}
