export { inferSchema, schemaFeatureType, type InferSchemaOptions } from './infer';
export { stringValues } from './domains';
