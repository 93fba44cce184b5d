import * as v from 'valibot';
import { list, literal, obj, str } from '../check';
import { AnomaliesSchema } from '../proto/anomalies';
import { ArtifactRefSchema } from './artifact';

/** An ExampleAnomalies artifact: TFDV's `Anomalies` per split. */
export const AnomaliesPayloadSchema = obj({
  kind: literal('anomalies'),
  artifact: ArtifactRefSchema,
  splits: list(obj({ name: str(), anomalies: AnomaliesSchema })),
});

export type AnomaliesPayload = v.InferOutput<typeof AnomaliesPayloadSchema>;
