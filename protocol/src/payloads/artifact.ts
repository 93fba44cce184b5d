import * as v from 'valibot';
import { finiteNumber, obj, str } from '../check';

/** The artifact a view shows, as its header names it. */
export const ArtifactRefSchema = obj({
  id: finiteNumber(),
  type: str(),
  uri: str(),
  /** Component id of the producer, e.g. `CsvExampleGen`. */
  producer: v.nullable(str()),
});

export type ArtifactRef = v.InferOutput<typeof ArtifactRefSchema>;
