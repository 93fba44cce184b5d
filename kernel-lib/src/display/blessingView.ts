/**
 * `show(blessing)` and `show(pushed_model)`: a ModelBlessing (blessed or not, the models compared,
 * the thresholds that failed, from the evaluation written with it) and a PushedModel (pushed or
 * not, where, which version, and the model and blessing it came from).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  check,
  VALIDATIONS_FILE,
  ValidationResultSchema,
  type BlessingPayload,
  type ModelRef,
  type PushedModelPayload,
  type ValidationResult,
} from '@tsfx/protocol';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord, PropertyValue } from '../metadata/types';
import { artifactRef } from './examplesView';
import { validationFailures } from './evaluationView';
import { escapeHtml } from './html';

function modelRef(id: PropertyValue | undefined, uri: PropertyValue | undefined): ModelRef | null {
  if (typeof uri !== 'string') return null;
  return { id: typeof id === 'number' ? id : null, uri };
}

/** The artifact an execution read (INPUT) or wrote (OUTPUT) under `key`. */
function linked(
  store: MetadataStore,
  executionId: number | undefined,
  type: 'INPUT' | 'OUTPUT',
  key: string,
): ArtifactRecord | null {
  if (executionId === undefined) return null;
  const event = store.getEvents({ executionId }).find((e) => e.type === type && e.key === key);
  return (event && store.getArtifact(event.artifactId)) ?? null;
}

function producerRef(store: MetadataStore, artifact: ArtifactRecord) {
  const execution = store.getProducer(artifact.id);
  return artifactRef(artifact, execution?.componentId ?? null);
}

export function blessingPayload(
  artifact: ArtifactRecord,
  context: { store: MetadataStore; producer: string | null },
): BlessingPayload {
  const p = artifact.properties;
  const execution = context.store.getProducer(artifact.id);
  const evaluation = linked(context.store, execution?.id, 'OUTPUT', 'evaluation');
  const file = evaluation ? join(evaluation.uri, VALIDATIONS_FILE) : null;
  const validation: ValidationResult | null =
    file && existsSync(file)
      ? check(ValidationResultSchema, JSON.parse(readFileSync(file, 'utf8')), file)
      : null;
  return {
    kind: 'blessing',
    artifact: artifactRef(artifact, context.producer),
    blessed: p.blessed === 1 || p.blessed === true,
    model: modelRef(p.current_model_id, p.current_model_uri),
    baseline: modelRef(p.baseline_model_id, p.baseline_model_uri),
    evaluation: evaluation ? producerRef(context.store, evaluation) : null,
    rubberStamp: validation?.rubberStamp ?? false,
    missingThresholds: validation?.missingThresholds ?? false,
    failures: validationFailures(validation),
  };
}

const modelText = (m: ModelRef | null): string =>
  m === null ? 'none' : m.id === null ? m.uri : `Model ${m.id}`;

/** At most this many failures in the text (the HTML lists them all). */
const TEXT_FAILURES = 3;

export function blessingText(payload: BlessingPayload): string {
  const verdict = payload.blessed ? 'BLESSED' : 'NOT BLESSED';
  const shown = payload.failures.slice(0, TEXT_FAILURES).map((f) => f.message);
  const more = payload.failures.length - shown.length;
  const failed =
    shown.length > 0 ? `; failed: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}` : '';
  return `ModelBlessing ${payload.artifact.id ?? ''}: ${verdict}, model ${modelText(payload.model)}, baseline ${modelText(payload.baseline)}${failed}`;
}

export function blessingHtml(payload: BlessingPayload): string {
  const colour = payload.blessed ? '#2e7d32' : '#c62828';
  const failures = payload.failures.map((f) => `<li>${escapeHtml(f.message)}</li>`).join('');
  return `<div class="tsfx-blessing" style="font-family:sans-serif;font-size:12px">
<div><b style="color:${colour}">${payload.blessed ? 'BLESSED' : 'NOT BLESSED'}</b> ModelBlessing <code>${escapeHtml(payload.artifact.uri)}</code></div>
<div>model: ${escapeHtml(modelText(payload.model))}; baseline: ${escapeHtml(modelText(payload.baseline))}</div>
${failures ? `<ul style="color:#c62828">${failures}</ul>` : ''}
</div>`;
}

export function pushedModelPayload(
  artifact: ArtifactRecord,
  context: { store: MetadataStore; producer: string | null },
): PushedModelPayload {
  const p = artifact.properties;
  const execution = context.store.getProducer(artifact.id);
  const model = linked(context.store, execution?.id, 'INPUT', 'model');
  const blessing = linked(context.store, execution?.id, 'INPUT', 'model_blessing');
  return {
    kind: 'pushed-model',
    artifact: artifactRef(artifact, context.producer),
    pushed: p.pushed === 1 || p.pushed === true,
    destination: typeof p.pushed_destination === 'string' ? p.pushed_destination : null,
    version:
      p.pushed_version === null || p.pushed_version === undefined ? null : String(p.pushed_version),
    model: model ? { id: model.id, uri: model.uri } : null,
    blessing: blessing ? producerRef(context.store, blessing) : null,
  };
}

export function pushedModelText(payload: PushedModelPayload): string {
  const from = `model ${modelText(payload.model)}`;
  return payload.pushed
    ? `PushedModel ${payload.artifact.id ?? ''}: pushed ${from} to ${payload.destination} (version ${payload.version})`
    : `PushedModel ${payload.artifact.id ?? ''}: not pushed (${from} was not blessed)`;
}

export function pushedModelHtml(payload: PushedModelPayload): string {
  const colour = payload.pushed ? '#2e7d32' : '#c62828';
  return `<div class="tsfx-pushed-model" style="font-family:sans-serif;font-size:12px">
<div><b style="color:${colour}">${payload.pushed ? 'PUSHED' : 'NOT PUSHED'}</b> ${escapeHtml(pushedModelText(payload))}</div>
</div>`;
}
