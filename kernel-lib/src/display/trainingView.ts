import { formatMetric as fmt } from '../trainer/events';
import { escapeHtml } from './html';
import { TRAINING_METRICS, trainingPayload, type TrainingPayload } from '@tsfx/protocol';
import { artifactBundle } from './sendDisplay';

// The payload is built by @tsfx/protocol's trainingPayload, the one the extension uses for files.
export { trainingPayload };

const TAGS = TRAINING_METRICS;
const RUN_COLOURS: Record<string, string> = {
  train: '#43a047',
  train_epoch: '#1565c0',
  validation: '#e65100',
};

function latest(payload: TrainingPayload, run: string, tag: string): number | null {
  const points = payload.runs
    .find((r) => r.name === run)
    ?.series.find((s) => s.tag === tag)?.points;
  return points && points.length > 0 ? points[points.length - 1].value : null;
}

export function trainingText(payload: TrainingPayload): string {
  const { step, numSteps, epoch, examplesPerSecond } = payload.progress;
  const speed = examplesPerSecond === null ? '' : `, ${Math.round(examplesPerSecond)} examples/s`;
  return `Training [${payload.status}] step ${step}/${numSteps}, epoch ${epoch}${speed}; validation loss ${fmt(latest(payload, 'validation', 'loss'))}, accuracy ${fmt(latest(payload, 'validation', 'accuracy'))}, AUC ${fmt(latest(payload, 'validation', 'auc'))}`;
}

/** A progress bar and one inline SVG chart per metric (train per batch and per epoch, validation). */
export function trainingHtml(payload: TrainingPayload): string {
  const { step, numSteps } = payload.progress;
  const share = numSteps > 0 ? Math.min(1, step / numSteps) : 0;
  const bar = `<div style="width:320px;height:10px;background:#eee;border-radius:3px;overflow:hidden;display:inline-block;vertical-align:middle"><div style="width:${(share * 100).toFixed(1)}%;height:100%;background:${payload.status === 'failed' ? '#c62828' : '#1565c0'}"></div></div>`;
  const charts = TAGS.map((tag) => chartSvg(payload, tag)).join('');
  const legend = Object.entries(RUN_COLOURS)
    .map(
      ([run, colour]) =>
        `<span style="margin-right:12px"><span style="display:inline-block;width:12px;height:3px;background:${colour};vertical-align:middle"></span> ${run}</span>`,
    )
    .join('');
  return `<div class="tsfx-training" style="font-family:sans-serif;font-size:12px">
<div>${bar} <span style="font-family:monospace">${escapeHtml(trainingText(payload))}</span></div>
<div style="margin:4px 0">${legend}</div>
<div style="display:flex;flex-wrap:wrap;gap:8px">${charts}</div>
</div>`;
}

/** The SVG chart of one tag; `colourOf` colours a run (by name; comparisons colour by model run). */
export function chartSvg(
  payload: TrainingPayload,
  tag: string,
  colourOf: (run: string) => string = (run) => RUN_COLOURS[run] ?? '#555',
): string {
  const width = 280;
  const height = 160;
  const pad = { left: 44, right: 8, top: 18, bottom: 22 };
  const lines = payload.runs.flatMap((run) => {
    const points = run.series.find((s) => s.tag === tag)?.points ?? [];
    return points.length > 0 ? [{ run: run.name, points }] : [];
  });
  const all = lines.flatMap((l) => l.points);
  if (all.length === 0) {
    return `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><text x="8" y="14" font-size="12">${tag}</text><text x="8" y="40" font-size="11" fill="#777">no data yet</text></svg>`;
  }
  // Loops, not Math.max(...points): a long run has more points than a call takes arguments.
  let maxStep = Math.max(1, payload.progress.numSteps);
  let low = Infinity;
  let high = -Infinity;
  for (const p of all) {
    maxStep = Math.max(maxStep, p.step);
    low = Math.min(low, p.value);
    high = Math.max(high, p.value);
  }
  if (high - low < 1e-9) {
    low -= 0.5;
    high += 0.5;
  }
  const x = (step: number) => pad.left + (step / maxStep) * (width - pad.left - pad.right);
  const y = (v: number) =>
    pad.top + (1 - (v - low) / (high - low)) * (height - pad.top - pad.bottom);
  const paths = lines
    .map(({ run, points }) => {
      const d = points
        .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`)
        .join('');
      const colour = colourOf(run);
      const thin = run === 'train' || run.endsWith('/train');
      const dash = run.endsWith('/validation') ? ' stroke-dasharray="5 3"' : '';
      return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${thin ? 1 : 2}"${dash}><title>${escapeHtml(run)}</title></path>`;
    })
    .join('');
  const axis = `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#999"/><line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#999"/>`;
  const labels = `<text x="8" y="12" font-size="12" font-weight="bold">${tag}</text><text x="2" y="${pad.top + 8}" font-size="10">${high.toFixed(3)}</text><text x="2" y="${height - pad.bottom}" font-size="10">${low.toFixed(3)}</text><text x="${width - pad.right}" y="${height - 6}" font-size="10" text-anchor="end">step ${maxStep}</text>`;
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${axis}${labels}${paths}</svg>`;
}

/** The display bundle of a training payload. */
export function trainingBundle(payload: TrainingPayload): Record<string, unknown> {
  return artifactBundle('training', payload, trainingHtml(payload), trainingText(payload));
}
