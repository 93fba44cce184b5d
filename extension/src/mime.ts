/**
 * One constant per tsfx MIME type. Each constant is typed with the literal type of the single
 * definition in kernel-lib (`MIME_TYPES` in kernel-lib/src/display/payloads.ts), so the
 * extension does not compile if the two ever differ; the extension does not load kernel-lib at
 * run time.
 */
import type { PAYLOAD_MIME_TYPES, PayloadKind } from './payloads.js';

type MimeOf<K extends PayloadKind> = (typeof PAYLOAD_MIME_TYPES)[K];

export const EXAMPLES_MIME_TYPE: MimeOf<'examples'> = 'application/vnd.tsfx.examples+json';
export const STATISTICS_MIME_TYPE: MimeOf<'statistics'> = 'application/vnd.tsfx.statistics+json';
export const SCHEMA_MIME_TYPE: MimeOf<'schema'> = 'application/vnd.tsfx.schema+json';
export const ANOMALIES_MIME_TYPE: MimeOf<'anomalies'> = 'application/vnd.tsfx.anomalies+json';
export const TRAINING_MIME_TYPE: MimeOf<'training'> = 'application/vnd.tsfx.training+json';
export const EVALUATION_MIME_TYPE: MimeOf<'evaluation'> = 'application/vnd.tsfx.evaluation+json';
export const LINEAGE_MIME_TYPE: MimeOf<'lineage'> = 'application/vnd.tsfx.lineage+json';

/** Every kind's MIME type; the mapped type makes a missing or extra kind a compile error. */
export const MIME_TYPES: { readonly [K in PayloadKind]: MimeOf<K> } = {
  examples: EXAMPLES_MIME_TYPE,
  statistics: STATISTICS_MIME_TYPE,
  schema: SCHEMA_MIME_TYPE,
  anomalies: ANOMALIES_MIME_TYPE,
  training: TRAINING_MIME_TYPE,
  evaluation: EVALUATION_MIME_TYPE,
  lineage: LINEAGE_MIME_TYPE,
};
