import * as v from 'valibot';
import { finiteNumber, list, literal, obj, str } from '../check';
import { ValueTypeSchema } from '../valueTypes';
import { ArtifactRefSchema } from './artifact';

/** A cell value as it is shown: numbers, strings, or null for a missing value. */
export const CellValueSchema = v.union(
  [v.null(), v.string(), v.pipe(v.number(), v.finite())],
  'a string, a finite number or null',
);

/** An Examples artifact: its columns and, per split, the row count and the first rows. */
export const ExamplesPayloadSchema = obj({
  kind: literal('examples'),
  artifact: ArtifactRefSchema,
  columns: list(obj({ name: str(), type: ValueTypeSchema })),
  splits: list(
    obj({
      name: str(),
      numRows: finiteNumber(),
      /** The first rows of the split, in file order; each row has one value per column. */
      sampleRows: list(list(CellValueSchema)),
    }),
  ),
});

export type CellValue = v.InferOutput<typeof CellValueSchema>;
export type ExamplesPayload = v.InferOutput<typeof ExamplesPayloadSchema>;
