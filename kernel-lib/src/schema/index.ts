export * from './proto';
export { inferSchema, schemaFeatureType, type InferSchemaOptions } from './infer';
export { byteCompare, stringValues, stringValuesWithCounts } from './domains';
