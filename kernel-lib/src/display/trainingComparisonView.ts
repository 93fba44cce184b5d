import {
  compareTrainingRuns,
  eventLogStatus,
  modelRunOf,
  TRAINING_METRICS,
  trainingPayload,
  type TrainingPayload,
} from '@tsfx/protocol';
import type { ArtifactRecord } from '../metadata/types';
import { formatMetric as fmt, readEvents } from '../trainer/events';
import { artifactRef } from './examplesView';
import { artifactLine, styledTable, textTable } from './format';
import { escapeHtml } from './html';
import { chartSvg } from './trainingView';

/** One colour per model run, in order (readable on light and dark backgrounds). */
export const MODEL_RUN_COLOURS = ['#1565c0', '#e65100', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457'];

/** A model run's name in a comparison: its producer and artifact id (`Trainer #12`). */
export function modelRunName(artifact: ArtifactRecord, producer: string | null): string {
  return `${producer ?? artifact.type} #${artifact.id}`;
}

/** TensorBoard's run comparison of ModelRun artifacts: their event logs, overlaid. */
export function trainingComparisonPayload(
  runs: readonly { artifact: ArtifactRecord; producer: string | null }[],
): TrainingPayload {
  return compareTrainingRuns(
    runs.map(({ artifact, producer }) => {
      const events = readEvents(artifact.uri);
      return {
        name: modelRunName(artifact, producer),
        payload: trainingPayload(events, artifactRef(artifact, producer), eventLogStatus(events)),
      };
    }),
  );
}

function lastValue(payload: TrainingPayload, run: string, tag: string): number | null {
  const points = payload.runs
    .find((r) => r.name === run)
    ?.series.find((s) => s.tag === tag)?.points;
  return points && points.length > 0 ? points[points.length - 1]!.value : null;
}

/** Per model run: its state, steps and last validation metrics. */
function rows(payload: TrainingPayload): string[][] {
  return (payload.modelRuns ?? []).map((m) => [
    m.name,
    m.status,
    `${m.progress.step}/${m.progress.numSteps}`,
    ...TRAINING_METRICS.map((tag) => fmt(lastValue(payload, `${m.name}/validation`, tag))),
  ]);
}

const HEADERS = ['model run', 'status', 'step', ...TRAINING_METRICS.map((t) => `validation ${t}`)];

export function trainingComparisonText(payload: TrainingPayload): string {
  return `Training runs compared (${payload.modelRuns?.length ?? 0}):\n${textTable(HEADERS, rows(payload))}`;
}

export function trainingComparisonHtml(payload: TrainingPayload): string {
  const models = payload.modelRuns ?? [];
  const colourOf = (run: string): string => {
    const model = modelRunOf(payload, run);
    const index = model ? models.indexOf(model) : -1;
    return index < 0 ? '#555' : MODEL_RUN_COLOURS[index % MODEL_RUN_COLOURS.length]!;
  };
  const table = styledTable(
    HEADERS,
    rows(payload).map(([name, ...rest], i) => [
      {
        html: `<span style="display:inline-block;width:12px;height:3px;background:${colourOf(`${name}/`)};vertical-align:middle"></span> ${escapeHtml(name)}`,
        title: models[i]?.artifact?.uri,
      },
      ...rest,
    ]),
  );
  const sources = models
    .map((m) => (m.artifact ? `<li>${escapeHtml(m.name)}: ${artifactLine(m.artifact)}</li>` : ''))
    .join('');
  const charts = TRAINING_METRICS.map((tag) => chartSvg(payload, tag, colourOf)).join('');
  return `<div class="tsfx-training-comparison" style="font-family:sans-serif;font-size:12px">
<p><b>Training runs compared</b> (thin: train per batch, solid: train per epoch, dashed: validation)</p>
${table}
<ul style="margin:2px 0">${sources}</ul>
<div style="display:flex;flex-wrap:wrap;gap:8px">${charts}</div>
</div>`;
}
