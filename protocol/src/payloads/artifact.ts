import * as v from 'valibot';
import { finiteNumber, obj, str } from '../check';

/** The artifact a view shows, as its header names it. */
export const ArtifactRefSchema = obj({
  /**
   * Its id in the metadata store; null when the view was opened from a file (the path holds the
   * execution id, not the artifact id).
   */
  id: v.nullable(finiteNumber()),
  type: str(),
  uri: str(),
  /** Component id of the producer, e.g. `CsvExampleGen`. */
  producer: v.nullable(str()),
});

export type ArtifactRef = v.InferOutput<typeof ArtifactRefSchema>;
