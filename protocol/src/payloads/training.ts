import * as v from 'valibot';
import { finiteNumber, list, literal, obj, oneOf, str } from '../check';
import { ArtifactRefSchema } from './artifact';

/** One scalar of a training curve, as TensorBoard records it. */
export const ScalarPointSchema = obj({
  step: finiteNumber(),
  /** Seconds since the Unix epoch. */
  wallTime: finiteNumber(),
  value: finiteNumber(),
});

/** A series' points in step order (the kernel sends them so; a stable sort keeps lookups right). */
const PointsSchema = v.pipe(
  list(ScalarPointSchema),
  v.transform((points) =>
    points.some((p, k) => k > 0 && p.step < points[k - 1]!.step)
      ? [...points].sort((a, b) => a.step - b.step)
      : points,
  ),
);

/**
 * A training run's curves (a ModelRun artifact, or a Trainer while it runs), shaped like
 * TensorBoard's scalars: runs (`train` per batch, `train_epoch` and `validation` per epoch), each
 * with one series per metric (`loss`, `accuracy`, `auc`).
 */
export const TrainingPayloadSchema = obj({
  kind: literal('training'),
  progress: obj({
    step: finiteNumber(),
    numSteps: finiteNumber(),
    epoch: finiteNumber(),
    examplesPerSecond: v.nullable(finiteNumber()),
  }),
  runs: list(obj({ name: str(), series: list(obj({ tag: str(), points: PointsSchema })) })),
  artifact: v.nullable(ArtifactRefSchema),
  status: oneOf(['running', 'done', 'failed']),
  backend: v.nullable(str()),
});

export type ScalarPoint = v.InferOutput<typeof ScalarPointSchema>;
export type TrainingPayload = v.InferOutput<typeof TrainingPayloadSchema>;
