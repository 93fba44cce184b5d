import * as v from 'valibot';
import { finiteNumber, list, literal, obj, str } from '../check';
import { ValueTypeSchema } from '../valueTypes';
import { ArtifactRefSchema } from './artifact';

/** A node's parameter: a number or text, or a list of numbers (quantile boundaries). */
const ParamValueSchema = v.union(
  [v.string(), v.number(), v.array(v.number())],
  'a string, number or array of numbers',
);

/** One node of a transform graph, in evaluation order. */
export const TransformNodeSchema = obj({
  index: finiteNumber(),
  /** The operation (`scaleToZScore`, `vocabulary`, `unary:log1p`, …). */
  op: str(),
  type: ValueTypeSchema,
  /** The nodes it reads, by index. */
  args: list(finiteNumber()),
  /** The raw feature an `input` node reads. */
  feature: v.nullable(str()),
  /**
   * The TensorFlow Transform analyzer that computed its parameters over the data (`mean_and_var`,
   * `min_and_max`, `vocabulary`, `quantiles`); null: none.
   */
  analyzer: v.nullable(str()),
  /** Its parameters: analyzer values (mean, std, boundaries, …) and settings. */
  params: list(obj({ name: str(), value: ParamValueSchema })),
  numValues: v.nullable(finiteNumber()),
  /** The transformed features that are this node's value. */
  outputs: list(str()),
  /** For a vocabulary: its file, size and most frequent tokens (first). */
  vocabulary: v.nullable(obj({ file: str(), size: finiteNumber(), top: list(str()) })),
});

/**
 * A TransformGraph artifact, from the files the Transform wrote (`transform_graph.json` and
 * `vocabularies/`): the raw features, the nodes in order with their analyzer values, and the
 * outputs (the transformed features).
 */
export const TransformGraphPayloadSchema = obj({
  kind: literal('transformGraph'),
  artifact: ArtifactRefSchema,
  analyzedRows: finiteNumber(),
  rawFeatures: list(obj({ name: str(), type: ValueTypeSchema })),
  nodes: list(TransformNodeSchema),
  outputs: list(
    obj({
      name: str(),
      node: finiteNumber(),
      type: ValueTypeSchema,
      numValues: v.nullable(finiteNumber()),
    }),
  ),
});

export type TransformGraphPayload = v.InferOutput<typeof TransformGraphPayloadSchema>;
export type TransformNode = v.InferOutput<typeof TransformNodeSchema>;
