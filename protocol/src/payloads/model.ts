import * as v from 'valibot';
import { bool, finiteNumber, list, literal, obj, str } from '../check';
import { ValueTypeSchema } from '../valueTypes';
import { ArtifactRefSchema } from './artifact';

/** A dimension of a shape: a size, or null for the batch (Keras' `None`). */
const DimSchema = v.nullable(finiteNumber());

/** One weight of a layer, as the weights manifest lists it. */
export const ModelWeightSchema = obj({
  name: str(),
  shape: list(finiteNumber()),
  dtype: str(),
  trainable: bool(),
});

/** One layer, as Keras' `summary()` prints it. */
export const ModelLayerSchema = obj({
  name: str(),
  /** Keras' class name: `Dense`, `Embedding`, `InputLayer`, … */
  className: str(),
  /** Null when tsfx does not know how the layer shapes its output. */
  outputShape: v.nullable(list(DimSchema)),
  params: finiteNumber(),
  trainableParams: finiteNumber(),
  /** The layers it reads (Keras' "Connected to"), in order. */
  inbound: list(str()),
  activation: v.nullable(str()),
  weights: list(ModelWeightSchema),
});

const ParamCountsSchema = obj({
  total: finiteNumber(),
  trainable: finiteNumber(),
  nonTrainable: finiteNumber(),
  /** Bytes of the weights of each count (Keras prints them next to the counts). */
  totalBytes: finiteNumber(),
  trainableBytes: finiteNumber(),
  nonTrainableBytes: finiteNumber(),
});

/**
 * A Model artifact (the Trainer's serving bundle), from its saved files: what Keras' `summary()`
 * tells (layers in order, output shapes, parameter counts), the serving signatures (raw features
 * in, probability out, as `tsfx serve` answers them) and each file's size on disk.
 */
export const ModelPayloadSchema = obj({
  kind: literal('model'),
  artifact: ArtifactRefSchema,
  name: str(),
  /** `Functional` (Keras' `Model` config) or `Sequential`. */
  className: str(),
  layers: list(ModelLayerSchema),
  inputLayers: list(str()),
  outputLayers: list(str()),
  params: ParamCountsSchema,
  /** The raw features the serving signatures read, with their types. */
  inputs: list(obj({ name: str(), type: ValueTypeSchema, dtype: str() })),
  signatures: list(
    obj({
      name: str(),
      method: str(),
      outputs: list(obj({ name: str(), dtype: str(), shape: list(finiteNumber()) })),
    }),
  ),
  /** Paths relative to the artifact's uri, sorted. */
  files: list(obj({ path: str(), bytes: finiteNumber() })),
  generatedBy: v.nullable(str()),
});

export type ModelPayload = v.InferOutput<typeof ModelPayloadSchema>;
export type ModelLayer = v.InferOutput<typeof ModelLayerSchema>;

/** A shape as Keras prints it: `(None, 8)`; unknown: `?`. */
export function formatShape(shape: readonly (number | null)[] | null): string {
  if (shape === null) return '?';
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** A byte size as Keras' summary prints it (`readable_memory_size`): `4.82 KB`. */
export function formatMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} ${units[units.length - 1]}`;
}
