/// <reference lib="dom" />
// Shared by the training renderer's tests: a real taxi training run (fixtures/training.json: the
// payload kernel-lib's trainingPayload builds from the events.jsonl of a 400-step Trainer run, by
// fixtures/generate.ts: 40 steps an epoch, a batch every 25 ms, values rounded to 6 digits), a
// synthetic run of any length, TensorBoard's smoothing formula written out, rendering in jsdom
// and reading back what was drawn.
import assert from 'node:assert/strict';
import { trainingPayload } from '../../../../kernel-lib/src/display/trainingView';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import type { TrainingPayload } from '@tsfx/protocol';
import { fixture, newDocument } from '../../render-helpers';

export const taxi = (): TrainingPayload => fixture('training.json') as TrainingPayload;
export const MIME = 'application/vnd.tsfx.training+json';

export function newHost(): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  return host;
}

export function render(data: unknown, host = newHost()): HTMLElement {
  renderPayload(rendererFor('training'), host, data);
  return host;
}

export function points(payload: TrainingPayload, run: string, tag: string) {
  const found = payload.runs.find((r) => r.name === run)?.series.find((s) => s.tag === tag);
  assert.ok(found, `${run}/${tag} is in the payload`);
  return found.points;
}

/** The reference: TensorBoard's formula written out as stated. */
export function referenceEma(values: readonly number[], w: number): number[] {
  const out: number[] = [];
  let last = 0;
  values.forEach((v, i) => {
    last = w * last + (1 - w) * v;
    out.push(last / (1 - w ** (i + 1)));
  });
  return out;
}

/** A metric as the tooltip shows it: 4 significant digits (for values in [1e-4, 1e5)). */
export function fourDigits(v: number): string {
  assert.ok(Math.abs(v) >= 1e-4 && Math.abs(v) < 1e5, `${v} is written in plain notation`);
  return String(Number(v.toPrecision(4)));
}

export function pathPoints(d: string | null): [number, number][] {
  assert.ok(d, 'the path has data');
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

export function line(host: HTMLElement, tag: string, run: string): SVGGElement | null {
  return host.querySelector<SVGGElement>(
    `figure[data-tag="${tag}"] g.tsfx-training-line[data-run="${run}"]`,
  );
}

export function smoothedPath(host: HTMLElement, tag: string, run: string): string {
  return line(host, tag, run)?.querySelector('.tsfx-training-smoothed')?.getAttribute('d') ?? '';
}

export function setSmoothing(host: HTMLElement, value: number): void {
  const slider = host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing');
  assert.ok(slider);
  slider.value = String(value);
  slider.dispatchEvent(new slider.ownerDocument.defaultView!.Event('input'));
}

export function chooseAxis(host: HTMLElement, axis: 'step' | 'relative' | 'wall'): void {
  const radio = host.querySelector<HTMLInputElement>(`.tsfx-training-xaxis input[value="${axis}"]`);
  assert.ok(radio);
  radio.click();
}

export function xLabels(host: HTMLElement, tag: string): string[] {
  return [
    ...host.querySelectorAll(
      `figure[data-tag="${tag}"] .tsfx-training-axis text[text-anchor="middle"]`,
    ),
  ].map((t) => t.textContent ?? '');
}

export function hover(host: HTMLElement, tag: string, clientX: number): void {
  const overlay = host.querySelector(`figure[data-tag="${tag}"] .tsfx-training-overlay`);
  assert.ok(overlay);
  // jsdom lays nothing out: the svg's box is at 0 with no size, so clientX is the svg x.
  overlay.dispatchEvent(
    new overlay.ownerDocument.defaultView!.MouseEvent('mousemove', { clientX, bubbles: true }),
  );
}

export function tooltipRows(host: HTMLElement, tag: string): string[][] {
  const tip = host.querySelector<HTMLElement>(`figure[data-tag="${tag}"] .tsfx-training-tooltip`);
  assert.ok(tip);
  if (tip.hidden) return [];
  return [...tip.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
  );
}

/** A TrainingPayload of `steps` batches (and an epoch every 50), as the kernel builds it. */
export function syntheticRun(steps: number): TrainingPayload {
  const start = 1_795_000_000;
  type Event = Parameters<typeof trainingPayload>[0][number];
  const events: Event[] = [
    {
      type: 'start',
      wallTime: start,
      backend: 'wasm',
      trainExamples: 10_000,
      evalExamples: 5000,
      batchSize: 256,
      numSteps: steps,
      stepsPerEpoch: 50,
    },
  ];
  const metrics = (k: number) => ({
    loss: 0.3 + 0.4 * Math.exp(-k / 300) + 0.05 * Math.sin(k * 1.7),
    accuracy: 0.9 - 0.2 * Math.exp(-k / 300) + 0.03 * Math.cos(k * 2.3),
    auc: 0.95 - 0.4 * Math.exp(-k / 200) + 0.02 * Math.sin(k * 0.9),
  });
  for (let k = 1; k <= steps; k++) {
    const epoch = Math.ceil(k / 50);
    events.push({
      type: 'batch',
      step: k,
      epoch,
      wallTime: start + k * 0.05,
      examples: k * 256,
      train: metrics(k),
    });
    if (k % 50 === 0) {
      events.push({
        type: 'epoch',
        step: k,
        epoch,
        wallTime: start + k * 0.05 + 0.2,
        train: metrics(k),
        validation: metrics(k + 7),
      });
    }
  }
  return trainingPayload(events, null, 'running');
}

/** The fixture as it was at `step` while training ran. */
export function partial(payload: TrainingPayload, step: number): TrainingPayload {
  const epochLength = points(payload, 'train_epoch', 'loss')[0]!.step;
  return {
    ...payload,
    status: 'running',
    progress: {
      ...payload.progress,
      step,
      epoch: Math.ceil(step / epochLength),
      examplesPerSecond: null,
    },
    runs: payload.runs
      .map((r) => ({
        name: r.name,
        series: r.series.map((s) => ({
          tag: s.tag,
          points: s.points.filter((p) => p.step <= step),
        })),
      }))
      .filter((r) => r.series.some((s) => s.points.length > 0)),
  };
}
