/**
 * `show(evaluation)`: a ModelEvaluation's files (metrics.jsonl, plots.jsonl, validations.json,
 * eval_config.json) as the evaluation payload, with HTML and text fallbacks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVAL_CONFIG_FILE,
  evaluationPayloadOf,
  FileFormatError,
  METRICS_FILE,
  parseEvaluationFiles,
  PLOTS_FILE,
  VALIDATIONS_FILE,
  type EvaluationFiles,
  type EvaluationPayload,
  type EvaluationSlice,
} from '@tsfx/protocol';
import { TsfxError } from '../errors';
import type { ArtifactRecord } from '../metadata/types';
import { artifactRef } from './examplesView';
import { escapeHtml, htmlTable } from './html';

// The payload is built from the files' texts by @tsfx/protocol (JupyterLab's file browser opens
// the same files into the same payload); these stay importable from here.
export {
  evaluationPayloadOf,
  MAX_PLOT_SLICES,
  validationFailures,
  type EvaluationFiles,
} from '@tsfx/protocol';

/** A file's text, or a refusal naming it. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TsfxError(`${path}: cannot read (${(error as Error).message})`);
  }
}

/** The files of a ModelEvaluation artifact; validations.json and eval_config.json are optional. */
export function readEvaluationFiles(uri: string): EvaluationFiles {
  const file = (name: string) => ({ path: join(uri, name), text: readText(join(uri, name)) });
  const optional = (name: string) => (existsSync(join(uri, name)) ? file(name) : null);
  try {
    return parseEvaluationFiles({
      metrics: file(METRICS_FILE),
      plots: optional(PLOTS_FILE),
      validations: optional(VALIDATIONS_FILE),
      evalConfig: optional(EVAL_CONFIG_FILE),
    });
  } catch (error) {
    if (error instanceof FileFormatError) throw new TsfxError(error.message);
    throw error;
  }
}

export function evaluationPayload(
  artifact: ArtifactRecord,
  producer: string | null,
): EvaluationPayload {
  return evaluationPayloadOf(readEvaluationFiles(artifact.uri), artifactRef(artifact, producer));
}

const fmt = (x: number | null): string => (x === null ? 'NaN' : String(Number(x.toPrecision(4))));

/** The validation verdict in words. */
export function verdictText(validation: EvaluationPayload['validation']): string {
  if (validation.missingThresholds) return 'not validated (no thresholds)';
  const n = validation.failures.length;
  const stamp = validation.rubberStamp ? ', no baseline: change thresholds skipped' : '';
  return validation.ok
    ? `validation OK${stamp}`
    : `validation FAILED (${n} failure${n === 1 ? '' : 's'})${stamp}`;
}

export function evaluationText(payload: EvaluationPayload): string {
  const overall = payload.slices.find((s) => s.slicing === 'Overall');
  const show = ['example_count', 'auc', 'binary_accuracy', 'loss'];
  const metrics = (overall?.metrics ?? [])
    .filter((m) => show.includes(m.name))
    .map((m) => `${m.name} ${fmt(m.candidate)}`)
    .join(', ');
  return `ModelEvaluation ${payload.artifact.id ?? ''} at ${payload.artifact.uri}: ${payload.slices.length} slices (${payload.slicings.map((s) => s.name).join(', ')}); ${verdictText(payload.validation)}; Overall ${metrics}`;
}

/** At most this many slices in the HTML fallback's table (the notebook file stays small). */
const HTML_SLICES = 40;
const HTML_METRICS = ['example_count', 'auc', 'binary_accuracy', 'precision', 'recall', 'loss'];

/** The static fallback: the verdict, the failures, and a table of the slices' main metrics. */
export function evaluationHtml(payload: EvaluationPayload): string {
  const withBaseline = payload.baseline !== null;
  const cell = (m: EvaluationSlice['metrics'][number] | undefined) =>
    !m
      ? null
      : withBaseline && m.diff !== null
        ? `${fmt(m.candidate)} (${m.diff >= 0 ? '+' : ''}${fmt(m.diff)})`
        : fmt(m.candidate);
  const rows = payload.slices
    .slice(0, HTML_SLICES)
    .map((s) => [
      s.name,
      ...HTML_METRICS.map((name) =>
        s.suppressed ? null : cell(s.metrics.find((m) => m.name === name)),
      ),
    ]);
  const more =
    payload.slices.length > HTML_SLICES
      ? `<div style="color:#777">… and ${payload.slices.length - HTML_SLICES} more slices</div>`
      : '';
  const failures = payload.validation.failures
    .map((f) => `<li style="color:#c62828">${escapeHtml(f.message)}</li>`)
    .join('');
  const colour = payload.validation.ok ? '#2e7d32' : '#c62828';
  return `<div class="tsfx-evaluation" style="font-family:sans-serif;font-size:12px">
<div><b>ModelEvaluation</b> <code>${escapeHtml(payload.artifact.uri)}</code></div>
<div style="color:${colour};font-weight:bold">${escapeHtml(verdictText(payload.validation))}</div>
${failures ? `<ul>${failures}</ul>` : ''}
${htmlTable(['slice', ...HTML_METRICS], rows, { caption: withBaseline ? 'candidate (diff against the baseline)' : undefined })}
${more}
</div>`;
}
