import { FeatureVisitor, type FeatureColumn } from './featureType';
import { numericScanSql, specialValuesSql } from './numeric';
import { stringScanSql } from './string';

/** Operation: the first scan's aggregate expressions of a feature. */
export class ScanSqlVisitor extends FeatureVisitor<
  string[],
  [points: readonly number[], quantileSample: string, nanAware?: boolean]
> {
  visitInt(
    column: FeatureColumn,
    points: readonly number[],
    quantileSample: string,
    nanAware = false,
  ): string[] {
    return (nanAware ? specialValuesSql : numericScanSql)(column.index, points, quantileSample);
  }
  visitFloat(
    column: FeatureColumn,
    points: readonly number[],
    quantileSample: string,
    nanAware = false,
  ): string[] {
    return (nanAware ? specialValuesSql : numericScanSql)(column.index, points, quantileSample);
  }
  visitString(column: FeatureColumn): string[] {
    return stringScanSql(column.index);
  }
}
