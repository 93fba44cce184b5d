/**
 * `context.showEvaluationHistory(…)`, TFMA's `render_time_series`: the overall metrics of a
 * pipeline's evaluations (or of the evaluations given), oldest first, one point per model.
 */
import { type EvaluationHistoryEntry, type EvaluationHistoryPayload } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import { artifactRef } from './examplesView';
import { evaluationPayloadOf, readEvaluationFiles } from './evaluationView';
import { escapeHtml, htmlTable } from './html';

/** The LIVE ModelEvaluations of a pipeline, oldest first. */
export function pipelineEvaluations(store: MetadataStore, pipeline: string): ArtifactRecord[] {
  return store
    .findArtifacts({
      type: 'ModelEvaluation',
      state: 'LIVE',
      context: { type: 'pipeline', name: pipeline },
    })
    .reverse();
}

function historyEntry(store: MetadataStore, artifact: ArtifactRecord): EvaluationHistoryEntry {
  if (artifact.type !== 'ModelEvaluation') {
    throw new TsfxError(
      `showEvaluationHistory: artifact ${artifact.id} is a ${artifact.type}, not a ModelEvaluation`,
    );
  }
  const execution = store.getProducer(artifact.id);
  const files = readEvaluationFiles(artifact.uri);
  const payload = evaluationPayloadOf(files, artifactRef(artifact, execution?.componentId ?? null));
  const overall = payload.slices.find((s) => s.slicing === 'Overall');
  const modelEvent = execution
    ? store
        .getEvents({ executionId: execution.id })
        .find((e) => e.type === 'INPUT' && e.key === 'model')
    : undefined;
  const model = modelEvent ? store.getArtifact(modelEvent.artifactId) : undefined;
  return {
    artifact: payload.artifact,
    model: model ? { id: model.id, uri: model.uri } : null,
    createdAt: artifact.createTime,
    blessed: payload.validation.ok,
    metrics: (overall?.metrics ?? []).map((m) => ({ name: m.name, value: m.candidate })),
  };
}

/** The history of `evaluations` (in the order given), or of a pipeline's (oldest first). */
export function evaluationHistoryPayload(
  store: MetadataStore,
  source: { pipeline: string } | { evaluations: readonly ArtifactRecord[] },
): EvaluationHistoryPayload {
  const artifacts =
    'pipeline' in source ? pipelineEvaluations(store, source.pipeline) : source.evaluations;
  const evaluations = artifacts.map((a) => historyEntry(store, a));
  return {
    kind: 'evaluation-history',
    pipeline: 'pipeline' in source ? source.pipeline : null,
    slice: 'Overall',
    metricNames: [...new Set(evaluations.flatMap((e) => e.metrics.map((m) => m.name)))],
    evaluations,
  };
}

const fmt = (x: number | null | undefined): string | null =>
  x === null || x === undefined ? null : String(Number(x.toPrecision(4)));

const SHOWN = ['example_count', 'auc', 'binary_accuracy', 'loss'];

export function evaluationHistoryText(payload: EvaluationHistoryPayload): string {
  const of = payload.pipeline === null ? '' : ` of ${payload.pipeline}`;
  const aucs = payload.evaluations
    .map((e) => fmt(e.metrics.find((m) => m.name === 'auc')?.value) ?? 'NaN')
    .join(' → ');
  return `Evaluation history${of}: ${payload.evaluations.length} evaluation(s), Overall auc ${aucs || '-'}`;
}

export function evaluationHistoryHtml(payload: EvaluationHistoryPayload): string {
  const rows = payload.evaluations.map((e) => [
    e.artifact.id,
    e.model === null ? null : e.model.id,
    new Date(e.createdAt).toISOString(),
    e.blessed ? 'yes' : 'no',
    ...SHOWN.map((name) => fmt(e.metrics.find((m) => m.name === name)?.value)),
  ]);
  return `<div class="tsfx-evaluation-history" style="font-family:sans-serif;font-size:12px">
<div><b>${escapeHtml(evaluationHistoryText(payload))}</b></div>
${htmlTable(['evaluation', 'model', 'created', 'validation ok', ...SHOWN], rows)}
</div>`;
}
