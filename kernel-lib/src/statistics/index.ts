export type { FeatureColumn } from './featureType';
export { FeatureVisitor } from './featureType';
export { generateStatistics, generateStatisticsJson, type StatsInput } from './generate';
export type { StatsOptions } from './options';
export { quantilesHistogram, standardHistogram, standardEdges } from './histograms';
