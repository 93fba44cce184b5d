import * as v from 'valibot';
import { literal, obj } from '../check';
import { SchemaSchema } from '../proto/schema';
import { ArtifactRefSchema } from './artifact';

/** A Schema artifact: TFDV's `Schema`. */
export const SchemaPayloadSchema = obj({
  kind: literal('schema'),
  artifact: ArtifactRefSchema,
  schema: SchemaSchema,
});

export type SchemaPayload = v.InferOutput<typeof SchemaPayloadSchema>;
