import * as v from 'valibot';
import { finiteNumber, obj, oneOf, str } from '../check';
import { ArtifactRefSchema } from './artifact';
import type { TrainingPayload } from './training';

/**
 * TensorBoard's run comparison: several training runs (ModelRun artifacts) in one training
 * payload. Each model run's runs are named `<model run>/<run>` (`Trainer #12/validation`), as
 * TensorBoard names the runs of a log directory's subfolders, and `modelRuns` lists the model
 * runs in order with their own state.
 */
export const ModelRunSchema = obj({
  name: str(),
  artifact: v.nullable(ArtifactRefSchema),
  status: oneOf(['running', 'done', 'failed']),
  backend: v.nullable(str()),
  progress: obj({
    step: finiteNumber(),
    numSteps: finiteNumber(),
    epoch: finiteNumber(),
    examplesPerSecond: v.nullable(finiteNumber()),
  }),
});

export type ModelRun = v.InferOutput<typeof ModelRunSchema>;

/** The model run a run of a comparison belongs to (by its `<model run>/` prefix), if any. */
export function modelRunOf(payload: TrainingPayload, run: string): ModelRun | undefined {
  return payload.modelRuns?.find((m) => run.startsWith(`${m.name}/`));
}

/** Names made unique in order: a repeated name gets ` (2)`, ` (3)`, … */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let k = 2; used.has(unique); k++) unique = `${name} (${k})`;
    used.add(unique);
    return unique;
  });
}

/** One payload overlaying the training payloads of several model runs, named in order. */
export function compareTrainingRuns(
  named: readonly { name: string; payload: TrainingPayload }[],
): TrainingPayload {
  const names = uniqueNames(named.map((n) => n.name));
  const payloads = named.map((n) => n.payload);
  const statuses = payloads.map((p) => p.status);
  const backends = new Set(payloads.map((p) => p.backend));
  const most = (pick: (p: TrainingPayload) => number): number =>
    payloads.reduce((m, p) => Math.max(m, pick(p)), 0);
  return {
    kind: 'training',
    artifact: null,
    status: statuses.includes('failed')
      ? 'failed'
      : statuses.includes('running')
        ? 'running'
        : 'done',
    backend: backends.size === 1 ? [...backends][0]! : null,
    progress: {
      step: most((p) => p.progress.step),
      numSteps: most((p) => p.progress.numSteps),
      epoch: most((p) => p.progress.epoch),
      examplesPerSecond: null,
    },
    runs: payloads.flatMap((p, i) =>
      p.runs.map((run) => ({ name: `${names[i]}/${run.name}`, series: run.series })),
    ),
    modelRuns: payloads.map((p, i) => ({
      name: names[i]!,
      artifact: p.artifact,
      status: p.status,
      backend: p.backend,
      progress: p.progress,
    })),
  };
}
