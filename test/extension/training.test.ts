/// <reference lib="dom" />
// The training renderer on a real taxi training run (fixtures/training.json: the payload
// kernel-lib's trainingPayload builds from the events.jsonl of a 400-step Trainer run, values
// rounded to 6 digits): golden markup, TensorBoard's debiased smoothing, the x axis, the run
// toggles, hover, state kept across live updates, empty and malformed payloads, escaping, and
// the draw time of a long run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import './dom-globals';
import { trainingPayload } from '../../kernel-lib/src/display/trainingView';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import { TsfxRenderer } from '../../extension/src/widget';
import { PayloadError, parsePayload } from '@tsfx/protocol';
import { columnSample, formatMetric, smoothDebiased } from '../../extension/src/renderers/training';
import type { TrainingPayload } from '@tsfx/protocol';
import {
  assertGolden,
  fixture,
  mimeModel,
  newDocument,
  renderLoggingErrors,
} from './render-helpers';

const taxi = (): TrainingPayload => fixture('training.json') as TrainingPayload;
const MIME = 'application/vnd.tsfx.training+json';

function newHost(): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  return host;
}

function render(data: unknown, host = newHost()): HTMLElement {
  renderPayload(rendererFor('training'), host, data);
  return host;
}

function points(payload: TrainingPayload, run: string, tag: string) {
  const found = payload.runs.find((r) => r.name === run)?.series.find((s) => s.tag === tag);
  assert.ok(found, `${run}/${tag} is in the payload`);
  return found.points;
}

/** The reference: TensorBoard's formula written out as stated. */
function referenceEma(values: readonly number[], w: number): number[] {
  const out: number[] = [];
  let last = 0;
  values.forEach((v, i) => {
    last = w * last + (1 - w) * v;
    out.push(last / (1 - w ** (i + 1)));
  });
  return out;
}

/** A metric as the tooltip shows it: 4 significant digits (for values in [1e-4, 1e5)). */
function fourDigits(v: number): string {
  assert.ok(Math.abs(v) >= 1e-4 && Math.abs(v) < 1e5, `${v} is written in plain notation`);
  return String(Number(v.toPrecision(4)));
}

function pathPoints(d: string | null): [number, number][] {
  assert.ok(d, 'the path has data');
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

function line(host: HTMLElement, tag: string, run: string): SVGGElement | null {
  return host.querySelector<SVGGElement>(
    `figure[data-tag="${tag}"] g.tsfx-training-line[data-run="${run}"]`,
  );
}

function smoothedPath(host: HTMLElement, tag: string, run: string): string {
  return line(host, tag, run)?.querySelector('.tsfx-training-smoothed')?.getAttribute('d') ?? '';
}

function setSmoothing(host: HTMLElement, value: number): void {
  const slider = host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing');
  assert.ok(slider);
  slider.value = String(value);
  slider.dispatchEvent(new slider.ownerDocument.defaultView!.Event('input'));
}

function chooseAxis(host: HTMLElement, axis: 'step' | 'relative' | 'wall'): void {
  const radio = host.querySelector<HTMLInputElement>(`.tsfx-training-xaxis input[value="${axis}"]`);
  assert.ok(radio);
  radio.click();
}

function xLabels(host: HTMLElement, tag: string): string[] {
  return [
    ...host.querySelectorAll(
      `figure[data-tag="${tag}"] .tsfx-training-axis text[text-anchor="middle"]`,
    ),
  ].map((t) => t.textContent ?? '');
}

function hover(host: HTMLElement, tag: string, clientX: number): void {
  const overlay = host.querySelector(`figure[data-tag="${tag}"] .tsfx-training-overlay`);
  assert.ok(overlay);
  // jsdom lays nothing out: the svg's box is at 0 with no size, so clientX is the svg x.
  overlay.dispatchEvent(
    new overlay.ownerDocument.defaultView!.MouseEvent('mousemove', { clientX, bubbles: true }),
  );
}

function tooltipRows(host: HTMLElement, tag: string): string[][] {
  const tip = host.querySelector<HTMLElement>(`figure[data-tag="${tag}"] .tsfx-training-tooltip`);
  assert.ok(tip);
  if (tip.hidden) return [];
  return [...tip.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
  );
}

/** A TrainingPayload of `steps` batches (and an epoch every 50), as the kernel builds it. */
function syntheticRun(steps: number): TrainingPayload {
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

test('training: golden markup of the taxi run', () => {
  const host = render(taxi());
  assertGolden('training.html', host.innerHTML);
});

test('training: a chart per metric with the three runs, and the status line', () => {
  const host = render(taxi());
  const root = host.querySelector('.tsfx-training');
  assert.ok(root);
  assert.equal(root.getAttribute('data-status'), 'done');
  assert.deepEqual(
    [...root.querySelectorAll('figure.tsfx-training-chart')].map((f) => f.getAttribute('data-tag')),
    ['loss', 'accuracy', 'auc'],
  );
  for (const tag of ['loss', 'accuracy', 'auc']) {
    assert.deepEqual(
      [...root.querySelectorAll(`figure[data-tag="${tag}"] g.tsfx-training-line`)].map((g) =>
        g.getAttribute('data-run'),
      ),
      ['train', 'train_epoch', 'validation'],
    );
  }
  assert.equal(root.querySelector('.tsfx-training-state')?.textContent, 'done');
  assert.equal(
    root.querySelector('.tsfx-training-progress-text')?.textContent,
    'step 400 / 400 · epoch 10 · 14,475 examples/s · backend wasm',
  );
  const bar = root.querySelector('[role="progressbar"]');
  assert.equal(bar?.getAttribute('aria-valuenow'), '400');
  assert.equal(
    root.querySelector<HTMLElement>('.tsfx-training-progress-fill')?.style.width,
    '100%',
  );
  assert.equal(
    root.querySelector('.tsfx-subtitle')?.textContent,
    '3 runs · 3 metrics · 1,260 points',
  );
  assert.equal(root.querySelector('.tsfx-artifact-type')?.textContent, 'ModelRun');
  // The loss goes down: the smoothed train curve ends lower (larger y) ... in pixels, higher y.
  const loss = pathPoints(smoothedPath(host, 'loss', 'train'));
  assert.ok(loss[loss.length - 1]![1] > loss[0]![1], 'the loss curve goes down');
});

test('training: smoothing is TensorBoard’s debiased exponential moving average', () => {
  const values = points(taxi(), 'train', 'loss').map((p) => p.value);
  for (const w of [0, 0.3, 0.6, 0.9, 0.99, 0.999]) {
    const got = smoothDebiased(values, w);
    const want = referenceEma(values, w);
    assert.equal(got.length, want.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `w=${w} i=${i}`));
  }
  // Debiasing: the first smoothed value is the first value, not (1 - w) times it.
  assert.ok(Math.abs(smoothDebiased([5, 7], 0.9)[0]! - 5) < 1e-12);
  assert.deepEqual(smoothDebiased([1, 2, 3], 0), [1, 2, 3]);
  // A constant series stays constant.
  for (const v of smoothDebiased([0.4, 0.4, 0.4, 0.4], 0.8)) assert.ok(Math.abs(v - 0.4) < 1e-12);
});

test('training: the drawn smoothed curve is the reference EMA on the raw curve’s scale', () => {
  const payload = taxi();
  const host = render(payload);
  for (const w of [0.6, 0.9]) {
    setSmoothing(host, w);
    // The validation run has one point per epoch: every point is drawn (no downsampling).
    const values = points(payload, 'validation', 'loss').map((p) => p.value);
    const g = line(host, 'loss', 'validation');
    assert.ok(g);
    const raw = pathPoints(g.querySelector('.tsfx-training-raw')!.getAttribute('d'));
    const smooth = pathPoints(g.querySelector('.tsfx-training-smoothed')!.getAttribute('d'));
    assert.equal(raw.length, values.length);
    assert.equal(smooth.length, values.length);
    // The y scale from the raw curve (two far-apart values), then the smoothed y expected.
    const [i, j] = [0, values.length - 1];
    const slope = (raw[j]![1] - raw[i]![1]) / (values[j]! - values[i]!);
    const y = (v: number) => raw[i]![1] + slope * (v - values[i]!);
    referenceEma(values, w).forEach((v, k) => {
      assert.ok(Math.abs(smooth[k]![1] - y(v)) < 0.15, `w=${w} point ${k}`);
      assert.equal(smooth[k]![0], raw[k]![0]);
    });
  }
});

test('training: moving the smoothing slider redraws the curves; 0 draws the raw values only', () => {
  const host = render(taxi());
  const slider = host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')!;
  const box = host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing-value')!;
  assert.equal(slider.value, '0.6');
  const at06 = smoothedPath(host, 'loss', 'train');
  const raw06 = line(host, 'loss', 'train')!.querySelector('.tsfx-training-raw')!.getAttribute('d');
  setSmoothing(host, 0.95);
  const at095 = smoothedPath(host, 'loss', 'train');
  assert.notEqual(at095, at06);
  assert.equal(box.value, '0.95');
  // A heavier smoothing is a calmer curve: smaller total vertical movement.
  const wiggle = (d: string) =>
    pathPoints(d).reduce((sum, p, k, all) => (k ? sum + Math.abs(p[1] - all[k - 1]![1]) : 0), 0);
  assert.ok(wiggle(at095) < wiggle(at06));
  setSmoothing(host, 0);
  assert.equal(smoothedPath(host, 'loss', 'train'), raw06);
  assert.equal(host.querySelectorAll('.tsfx-training-raw').length, 0);
  // The number box sets it too.
  box.value = '0.6';
  box.dispatchEvent(new box.ownerDocument.defaultView!.Event('change'));
  assert.equal(slider.value, '0.6');
  assert.equal(smoothedPath(host, 'loss', 'train'), at06);
});

test('training: the x axis by step, relative time or wall time', () => {
  const payload = taxi();
  const host = render(payload);
  assert.deepEqual(xLabels(host, 'loss'), ['0', '100', '200', '300', '400']);
  const byStep = smoothedPath(host, 'loss', 'validation');

  chooseAxis(host, 'relative');
  const relative = xLabels(host, 'loss');
  assert.ok(relative.length >= 3);
  for (const label of relative) assert.match(label, /^\d+(\.\d+)?s$/);
  assert.equal(relative[0], '0s');
  assert.notEqual(smoothedPath(host, 'loss', 'validation'), byStep);
  assert.match(
    host.querySelector('figure[data-tag="loss"] svg')?.getAttribute('aria-label') ?? '',
    /relative time/,
  );

  chooseAxis(host, 'wall');
  const wall = xLabels(host, 'loss');
  assert.ok(wall.length >= 3);
  for (const label of wall) assert.match(label, /^\d\d:\d\d:\d\d$/);
  const times = points(payload, 'train', 'loss').map((p) => p.wallTime);
  // Local clock time, HH:MM:SS, as the Date API prints it.
  const clock = (seconds: number) => new Date(seconds * 1000).toTimeString().slice(0, 8);
  const first = clock(Math.ceil(Math.min(...times)));
  const last = clock(Math.floor(Math.max(...times)));
  assert.ok(wall[0]! >= first && wall[wall.length - 1]! <= last, `${wall.join(' ')}`);
  // Relative and wall time share the shape (same x spacing, shifted origin).
  const shape = (d: string) => pathPoints(d).map(([x]) => x);
  chooseAxis(host, 'relative');
  const rel = shape(smoothedPath(host, 'loss', 'train'));
  chooseAxis(host, 'wall');
  const abs = shape(smoothedPath(host, 'loss', 'train'));
  assert.equal(rel.length, abs.length);
  rel.forEach((x, k) => assert.ok(Math.abs(x - abs[k]!) <= 0.1, `point ${k}: ${x} vs ${abs[k]}`));

  chooseAxis(host, 'step');
  assert.equal(smoothedPath(host, 'loss', 'validation'), byStep);
});

test('training: legend entries hide and show runs in every chart', () => {
  const host = render(taxi());
  const button = host.querySelector<HTMLButtonElement>(
    'button.tsfx-training-run[data-run="validation"]',
  );
  assert.ok(button);
  assert.equal(button.getAttribute('aria-pressed'), 'true');
  button.click();
  assert.equal(button.getAttribute('aria-pressed'), 'false');
  for (const tag of ['loss', 'accuracy', 'auc']) {
    assert.equal(line(host, tag, 'validation'), null);
    assert.ok(line(host, tag, 'train'));
  }
  // The y range follows the visible runs: without the per-batch curve it is narrower.
  const before = pathPoints(smoothedPath(host, 'loss', 'train_epoch'));
  host.querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="train"]')!.click();
  const after = pathPoints(smoothedPath(host, 'loss', 'train_epoch'));
  const span = (ps: [number, number][]) =>
    Math.max(...ps.map((p) => p[1])) - Math.min(...ps.map((p) => p[1]));
  assert.ok(span(after) > span(before), 'the epoch curve fills the chart alone');
  // Hiding every run leaves an empty chart with a note.
  host
    .querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="train_epoch"]')!
    .click();
  assert.equal(host.querySelectorAll('g.tsfx-training-line').length, 0);
  assert.equal(
    host.querySelector('figure[data-tag="auc"] .tsfx-training-empty')?.textContent,
    'all runs hidden',
  );
  button.click();
  assert.ok(line(host, 'auc', 'validation'));
  assert.equal(host.querySelectorAll('g.tsfx-training-line').length, 3);
});

test('training: hover shows a rule at the nearest step and every run’s value there', () => {
  const payload = taxi();
  const host = render(payload);
  // Plot area: x from 50 to 346 for steps 0..400; x = 198 is step 200.
  hover(host, 'loss', 198.2);
  const rule = host.querySelector('figure[data-tag="loss"] .tsfx-training-rule')!;
  assert.equal(rule.getAttribute('visibility'), 'visible');
  assert.equal(rule.getAttribute('x1'), '198');
  const rows = tooltipRows(host, 'loss');
  assert.deepEqual(
    rows.map((r) => [r[0], r[3]]),
    [
      ['train', '200'],
      ['train_epoch', '200'],
      ['validation', '200'],
    ],
  );
  for (const [k, run] of ['train', 'train_epoch', 'validation'].entries()) {
    const ps = points(payload, run, 'loss');
    const i = ps.findIndex((p) => p.step === 200);
    const smoothed = referenceEma(
      ps.map((p) => p.value),
      0.6,
    )[i]!;
    assert.equal(rows[k]![1], fourDigits(smoothed), `${run} smoothed`);
    assert.equal(rows[k]![2], fourDigits(ps[i]!.value), `${run} value`);
    assert.match(rows[k]![4]!, /^\d+(\.\d+)?s$/);
  }
  assert.equal(host.querySelectorAll('figure[data-tag="loss"] .tsfx-training-hover-dot').length, 3);
  // Large and small values switch to exponent notation.
  assert.deepEqual([0.123456, 0, 123456, 0.0000123456].map(formatMetric), [
    '0.1235',
    '0',
    '1.235e+5',
    '1.235e-5',
  ]);
  // Off an epoch boundary the per-epoch runs show their nearest epoch.
  hover(host, 'loss', 50 + (296 * 213) / 400);
  assert.deepEqual(
    tooltipRows(host, 'loss').map((r) => [r[0], r[3]]),
    [
      ['train', '213'],
      ['train_epoch', '200'],
      ['validation', '200'],
    ],
  );
  // Arrow keys step through the points.
  const svg = host.querySelector('figure[data-tag="loss"] svg')!;
  svg.dispatchEvent(
    new svg.ownerDocument.defaultView!.KeyboardEvent('keydown', { key: 'ArrowRight' }),
  );
  assert.equal(tooltipRows(host, 'loss')[0]![3], '214');
  const overlay = host.querySelector('figure[data-tag="loss"] .tsfx-training-overlay')!;
  overlay.dispatchEvent(new overlay.ownerDocument.defaultView!.MouseEvent('mouseleave'));
  assert.deepEqual(tooltipRows(host, 'loss'), []);
  assert.equal(rule.getAttribute('visibility'), 'hidden');
  // The other charts were not touched.
  assert.deepEqual(tooltipRows(host, 'auc'), []);
});

/** The fixture as it was at `step` while training ran. */
function partial(payload: TrainingPayload, step: number): TrainingPayload {
  return {
    ...payload,
    status: 'running',
    progress: {
      ...payload.progress,
      step,
      epoch: Math.ceil(step / 40),
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

test('training: live updates of the same output keep smoothing, x axis, hidden runs and hover', async () => {
  const renderer = new TsfxRenderer(rendererFor('training'));
  const model = (data: unknown): IRenderMime.IMimeModel => mimeModel(MIME, data);
  const host = renderer.node;
  document.body.append(host);
  const payload = taxi();
  await renderer.renderModel(model(partial(payload, 30)));
  assert.equal(host.querySelector('.tsfx-training-state')?.textContent, 'running');
  assert.equal(
    host.querySelector('.tsfx-training-progress-text')?.textContent,
    'step 30 / 400 · epoch 1 · backend wasm',
  );
  // Before the first epoch there is no validation run yet.
  assert.deepEqual(
    [...host.querySelectorAll('button.tsfx-training-run')].map((b) => b.getAttribute('data-run')),
    ['train'],
  );
  setSmoothing(host, 0.85);
  chooseAxis(host, 'relative');
  host.querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="train"]')!.click();
  await renderer.renderModel(model(partial(payload, 130)));
  host.querySelector<HTMLButtonElement>('button.tsfx-training-run[data-run="validation"]')!.click();
  hover(host, 'accuracy', 200);
  const hovered = tooltipRows(host, 'accuracy');
  assert.deepEqual(
    hovered.map((r) => r[0]),
    ['train_epoch'],
  );

  await renderer.renderModel(model(payload));
  assert.equal(host.querySelector('.tsfx-training-state')?.textContent, 'done');
  assert.equal(
    host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')?.value,
    '0.85',
  );
  assert.equal(
    host.querySelector<HTMLInputElement>('.tsfx-training-xaxis input[value="relative"]')?.checked,
    true,
  );
  assert.deepEqual(
    [...host.querySelectorAll('button.tsfx-training-run')].map((b) => [
      b.getAttribute('data-run'),
      b.getAttribute('aria-pressed'),
    ]),
    [
      ['train', 'false'],
      ['train_epoch', 'true'],
      ['validation', 'false'],
    ],
  );
  assert.deepEqual(
    [...host.querySelectorAll('figure[data-tag="loss"] g.tsfx-training-line')].map((g) =>
      g.getAttribute('data-run'),
    ),
    ['train_epoch'],
  );
  // The hover stays where it was (the same epoch point) on the new data.
  assert.deepEqual(tooltipRows(host, 'accuracy'), hovered);
  // The smoothed curve is drawn with the kept weight on all the new points.
  const values = points(payload, 'train_epoch', 'loss').map((p) => p.value);
  const d = smoothedPath(host, 'loss', 'train_epoch');
  assert.equal(pathPoints(d).length, values.length);
  // A control that had the keyboard focus gets it back after the update...
  host.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')!.focus();
  await renderer.renderModel(model(payload));
  await Promise.resolve();
  assert.equal(document.activeElement?.getAttribute('data-control'), 'smoothing');
  // ...but the focus is not taken back once the user moved it elsewhere.
  const elsewhere = document.createElement('button');
  document.body.append(elsewhere);
  elsewhere.focus();
  await Promise.resolve();
  await renderer.renderModel(model(payload));
  assert.equal(document.activeElement, elsewhere);
  const fresh = render(payload);
  assert.equal(
    fresh.querySelector<HTMLInputElement>('input.tsfx-training-smoothing')?.value,
    '0.6',
  );
  assert.equal(fresh.querySelectorAll('figure[data-tag="loss"] g.tsfx-training-line').length, 3);
  // Another output (another renderer) starts from the defaults too.
  const other = new TsfxRenderer(rendererFor('training'));
  await other.renderModel(model(payload));
  assert.equal(
    other.node.querySelector<HTMLInputElement>('.tsfx-training-xaxis input[value="step"]')?.checked,
    true,
  );
});

test('training: an empty payload (training just started) draws empty charts', () => {
  const empty = trainingPayload([], null, 'running');
  const host = render(empty);
  assertGolden('training-empty.html', host.innerHTML);
  assert.equal(host.querySelectorAll('figure.tsfx-training-chart').length, 3);
  assert.deepEqual(
    [...host.querySelectorAll('.tsfx-training-empty')].map((t) => t.textContent),
    ['no data yet', 'no data yet', 'no data yet'],
  );
  assert.equal(host.querySelector('.tsfx-training-legend')?.textContent, 'no scalars yet');
  assert.equal(
    host.querySelector('.tsfx-training-progress-text')?.textContent,
    'step 0 / 0 · epoch 0',
  );
  assert.equal(host.querySelector('.tsfx-artifact-line'), null);
  hover(host, 'loss', 150);
  assert.deepEqual(tooltipRows(host, 'loss'), []);
  // The first batch only: one point per chart, drawn as a dot.
  const first = syntheticRun(1);
  const one = render(first);
  assert.equal(one.querySelectorAll('circle.tsfx-training-dot').length, 3);
  assert.equal(one.querySelector('.tsfx-training-state')?.textContent, 'running');
});

test('training: malformed payloads are rejected with the path, and shown as an error box', async () => {
  const bad = taxi() as unknown as { runs: { series: { points: Record<string, unknown>[] }[] }[] };
  bad.runs[1]!.series[2]!.points[3]!['value'] = 'NaN';
  assert.throws(
    () => parsePayload('training', bad),
    (e: unknown) =>
      e instanceof PayloadError && e.path === 'payload.runs[1].series[2].points[3].value',
  );
  const status = { ...taxi(), status: 'paused' };
  assert.throws(
    () => parsePayload('training', status),
    /payload.status should be one of running, done, failed/,
  );
  assert.throws(
    () => parsePayload('training', { kind: 'lineage' }),
    /payload.kind should be "training"/,
  );
  const noProgress = { ...taxi(), progress: null };
  assert.throws(
    () => parsePayload('training', noProgress),
    /payload.progress should be an object, got null/,
  );

  const renderer = new TsfxRenderer(rendererFor('training'));
  await renderLoggingErrors(renderer, MIME, { kind: 'training', runs: 'x' });
  assert.match(
    renderer.node.querySelector('.tsfx-error')?.textContent ?? '',
    /payload.progress should be an object, got undefined/,
  );
});

test('training: run and tag names are text, never markup', () => {
  const payload = taxi();
  payload.runs[0]!.name = '<img src=x onerror="alert(1)">';
  payload.runs[0]!.series[0]!.tag = '<b>loss & co</b>';
  const host = render(payload);
  assert.equal(host.querySelector('img'), null);
  assert.equal(host.querySelector('b'), null);
  const tags = [...host.querySelectorAll('.tsfx-training-tag')].map((t) => t.textContent);
  assert.ok(tags.includes('<b>loss & co</b>'));
  assert.ok(host.innerHTML.includes('&lt;b&gt;loss &amp; co&lt;/b&gt;'));
  const names = [...host.querySelectorAll('.tsfx-training-run-name')].map((t) => t.textContent);
  assert.equal(names[0], '<img src=x onerror="alert(1)">');
  hover(host, '<b>loss & co</b>', 200);
  assert.equal(tooltipRows(host, '<b>loss & co</b>')[0]![0], '<img src=x onerror="alert(1)">');
});

test('training: long runs are drawn with a few points per pixel column, quickly', () => {
  // columnSample keeps each column's first, lowest, highest and last point, in order.
  const xs = [0.1, 0.2, 0.3, 1.1, 1.2, 1.3, 1.4, 1.5, 2.5];
  const ys = [5, 9, 1, 4, 2, 3, 6, 5, 8];
  assert.deepEqual(columnSample(xs, ys), [0, 1, 2, 3, 4, 6, 7, 8]);
  assert.deepEqual(columnSample([0.1, 0.2, 0.3, 0.4, 0.5], [3, 1, 7, 2, 4]), [0, 1, 2, 4]);

  const payload = syntheticRun(6000);
  const count = payload.runs.reduce(
    (n, r) => n + r.series.reduce((m, s) => m + s.points.length, 0),
    0,
  );
  assert.equal(count, 6000 * 3 + 120 * 6);
  const host = newHost();
  const times: number[] = [];
  for (let k = 0; k < 3; k++) times.push(renderPayload(rendererFor('training'), host, payload));
  const best = Math.min(...times);
  assert.ok(best < 300, `drawn in ${best.toFixed(0)} ms`);
  const drawn = pathPoints(smoothedPath(host, 'loss', 'train'));
  assert.ok(drawn.length <= 4 * 297, `${drawn.length} points drawn for 6000`);
  assert.ok(drawn.length > 296, 'every pixel column is drawn');
  // The extremes survive the reduction.
  const ys6000 = points(payload, 'train', 'loss').map((p) => p.value);
  const xs6000 = ys6000.map((_, i) => 50 + (i * 296) / 6000);
  const kept = columnSample(xs6000, ys6000);
  assert.ok(kept.length < 1200);
  assert.ok(kept.includes(ys6000.indexOf(Math.min(...ys6000))));
  assert.ok(kept.includes(ys6000.indexOf(Math.max(...ys6000))));
  assert.deepEqual(
    kept,
    [...kept].sort((x, y) => x - y),
  );
});
