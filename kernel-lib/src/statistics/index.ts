export * from './proto';
export type { FeatureType, FeatureColumn } from './featureType';
export { FeatureVisitor, FEATURE_TYPES } from './featureType';
export { generateStatistics, type StatsInput } from './generate';
export type { StatsOptions } from './options';
export { quantilesHistogram, standardHistogram, standardEdges } from './histograms';
