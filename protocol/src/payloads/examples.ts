import * as v from 'valibot';
import { bool, finiteNumber, list, literal, obj, str } from '../check';
import { ValueTypeSchema } from '../valueTypes';
import { ArtifactRefSchema } from './artifact';
import { TimeFormatsSchema } from './timeFormats';

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
  /** The INT columns a schema marks as Unix times (shown as dates), when one was given. */
  timeFormats: v.optional(TimeFormatsSchema),
});

export type CellValue = v.InferOutput<typeof CellValueSchema>;
export type ExamplesPayload = v.InferOutput<typeof ExamplesPayloadSchema>;

/**
 * A page of a split's rows, read from its Parquet files when asked for (the examples view's
 * pager, sort and filter): `sort` orders by a column (missing values last), `filter` keeps the
 * rows whose `column`, written as text, contains `contains` (case-insensitive).
 */
const wholeNumber = (min: number, max: number) => {
  const expected = `a whole number from ${min} to ${max}`;
  return v.pipe(
    v.number(expected),
    v.integer(expected),
    v.minValue(min, expected),
    v.maxValue(max, expected),
  );
};

/** The most rows a page holds. */
export const EXAMPLES_PAGE_MAX = 1000;

export const ExamplesPageRequestSchema = obj({
  split: str(),
  offset: wholeNumber(0, Number.MAX_SAFE_INTEGER),
  limit: wholeNumber(1, EXAMPLES_PAGE_MAX),
  sort: v.optional(obj({ column: str(), descending: bool() })),
  filter: v.optional(obj({ column: str(), contains: str() })),
});

/** The rows of a page, and how many rows the filter keeps in all. */
export const ExamplesPageSchema = obj({
  split: str(),
  offset: finiteNumber(),
  /** Rows the filter keeps (the split's row count without one). */
  total: finiteNumber(),
  rows: list(list(CellValueSchema)),
});

export type ExamplesPageRequest = v.InferOutput<typeof ExamplesPageRequestSchema>;
export type ExamplesPage = v.InferOutput<typeof ExamplesPageSchema>;
