import * as v from 'valibot';
import { finiteNumber, list, literal, obj, oneOf, str } from '../check';
import { ArtifactRefSchema, type ArtifactRef } from './artifact';
import { TRAINING_METRICS, type Metrics, type TrainingEvent } from '../files/eventLog';
import { ModelRunSchema } from './trainingComparison';

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
  /** Several model runs overlaid (see trainingComparison.ts); absent for one training run. */
  modelRuns: v.optional(list(ModelRunSchema)),
});

export type ScalarPoint = v.InferOutput<typeof ScalarPointSchema>;
export type TrainingPayload = v.InferOutput<typeof TrainingPayloadSchema>;

/**
 * The training payload of event-log records (a finished log, or one still growing): the `train`
 * run per batch, `train_epoch` and `validation` per epoch, a series per metric. The kernel's live
 * view, `show()` and the extension's file view build it with this one function.
 */
export function trainingPayload(
  events: readonly TrainingEvent[],
  artifact: ArtifactRef | null,
  status: TrainingPayload['status'],
): TrainingPayload {
  const series = new Map<string, Map<string, ScalarPoint[]>>();
  const add = (run: string, tag: string, point: ScalarPoint): void => {
    if (!series.has(run)) series.set(run, new Map());
    const tags = series.get(run)!;
    if (!tags.has(tag)) tags.set(tag, []);
    tags.get(tag)!.push(point);
  };
  let numSteps = 0;
  let step = 0;
  let epoch = 0;
  let backend: string | null = null;
  let examplesPerSecond: number | null = null;
  for (const event of events) {
    if (event.type === 'start') {
      numSteps = event.numSteps;
      backend = event.backend;
      continue;
    }
    step = event.step;
    if (event.type === 'end') {
      examplesPerSecond = event.examplesPerSecond;
      continue;
    }
    epoch = event.epoch;
    const runs: [string, Metrics][] =
      event.type === 'batch'
        ? [['train', event.train]]
        : [
            ['train_epoch', event.train],
            ['validation', event.validation],
          ];
    for (const [run, metrics] of runs) {
      for (const tag of TRAINING_METRICS) {
        const value = metrics[tag];
        if (value !== null && value !== undefined) {
          add(run, tag, { step: event.step, wallTime: event.wallTime, value });
        }
      }
    }
  }
  return {
    kind: 'training',
    artifact,
    status,
    backend,
    progress: { step, numSteps, epoch, examplesPerSecond },
    runs: [...series.entries()].map(([name, tags]) => ({
      name,
      series: [...tags.entries()].map(([tag, points]) => ({ tag, points })),
    })),
  };
}
