/**
 * One MIME type per artifact kind: a notebook output carries the kind's JSON payload under its
 * MIME type (next to `text/html` and `text/plain` fallbacks), and the JupyterLab extension
 * registers one renderer per type.
 */
export const EXAMPLES_MIME_TYPE = 'application/vnd.tsfx.examples+json';
export const STATISTICS_MIME_TYPE = 'application/vnd.tsfx.statistics+json';
export const SCHEMA_MIME_TYPE = 'application/vnd.tsfx.schema+json';
export const ANOMALIES_MIME_TYPE = 'application/vnd.tsfx.anomalies+json';
export const TRAINING_MIME_TYPE = 'application/vnd.tsfx.training+json';
export const EVALUATION_MIME_TYPE = 'application/vnd.tsfx.evaluation+json';
export const EVALUATION_HISTORY_MIME_TYPE = 'application/vnd.tsfx.evaluation-history+json';
export const BLESSING_MIME_TYPE = 'application/vnd.tsfx.blessing+json';
export const PUSHED_MODEL_MIME_TYPE = 'application/vnd.tsfx.pushed-model+json';
export const LINEAGE_MIME_TYPE = 'application/vnd.tsfx.lineage+json';
// The model and transform graph views.
export const MODEL_MIME_TYPE = 'application/vnd.tsfx.model+json';
export const TRANSFORM_GRAPH_MIME_TYPE = 'application/vnd.tsfx.transform-graph+json';

/** Every kind's MIME type, by kind. */
export const MIME_TYPES = {
  examples: EXAMPLES_MIME_TYPE,
  statistics: STATISTICS_MIME_TYPE,
  schema: SCHEMA_MIME_TYPE,
  anomalies: ANOMALIES_MIME_TYPE,
  training: TRAINING_MIME_TYPE,
  evaluation: EVALUATION_MIME_TYPE,
  'evaluation-history': EVALUATION_HISTORY_MIME_TYPE,
  blessing: BLESSING_MIME_TYPE,
  'pushed-model': PUSHED_MODEL_MIME_TYPE,
  lineage: LINEAGE_MIME_TYPE,
  model: MODEL_MIME_TYPE,
  transformGraph: TRANSFORM_GRAPH_MIME_TYPE,
} as const;

export type PayloadKind = keyof typeof MIME_TYPES;
