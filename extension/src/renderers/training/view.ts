/**
 * Training: TensorBoard's scalars dashboard for one training run. One chart per metric tag
 * (loss, accuracy, auc, then any other tag) with the runs overlaid (`train` per batch,
 * `train_epoch` and `validation` per epoch), and:
 *
 * - smoothing: TensorBoard's debiased exponential moving average (see `smoothDebiased`), the raw
 *   curve drawn faint behind the smoothed one;
 * - the x axis by step, relative time (since the training's first point) or wall time;
 * - hover: a vertical rule at the nearest step with each run's smoothed and raw value there;
 * - legend entries that hide and show runs;
 * - TensorBoard's scalars settings: ignore outliers in chart scaling, the card width, regular
 *   expressions filtering the runs and the tags; per card (charts.ts): log y axis, drag to zoom
 *   and fit, full size, and downloads of the data (CSV, JSON) and the chart (SVG, PNG);
 * - a status line: running / done / failed, a progress bar, step / numSteps, epoch, examples/s
 *   and backend.
 *
 * While training runs the kernel updates the same output in place and JupyterLab calls the same
 * renderer again: the view's TrainingModel (smoothing, x axis, hidden runs, hover position,
 * focused control) is kept per host element, so it survives the redraws. A control changes the
 * model, then the charts are drawn again.
 */
import type { TrainingPayload } from '@tsfx/protocol';
import { formatCount } from '@tsfx/protocol';
import { h, uniqueId, viewHeader } from '../../dom.js';
import { artifactLine } from '../../artifact.js';
import { chart } from './charts.js';
import { comparisonLegend } from './comparison.js';
import { formatMetric } from './format.js';
import type { ChartContext } from './charts.js';
import { runInfos, tagsOf } from './lines.js';
import type { RunInfo } from './lines.js';
import { CARD_WIDTH, filterRegex, MAX_SMOOTHING, TrainingModel } from './model.js';
import type { XAxis } from './model.js';

const X_AXES: readonly { value: XAxis; label: string }[] = [
  { value: 'step', label: 'Step' },
  { value: 'relative', label: 'Relative' },
  { value: 'wall', label: 'Wall' },
];

const RUN_TITLES: Readonly<Record<string, string>> = {
  train: 'training metrics of each batch',
  train_epoch: 'training metrics of each epoch',
  validation: 'metrics on the eval split after each epoch',
};

const models = new WeakMap<HTMLElement, TrainingModel>();

/** The model of the view drawn into `host` (created with the defaults on first use). */
export function trainingModel(host: HTMLElement): TrainingModel {
  let model = models.get(host);
  if (!model) {
    model = new TrainingModel();
    models.set(host, model);
  }
  return model;
}

function statusLine(doc: Document, payload: TrainingPayload): HTMLElement {
  const { step, numSteps, epoch, examplesPerSecond } = payload.progress;
  const share = numSteps > 0 ? Math.min(1, Math.max(0, step / numSteps)) : 0;
  const parts = [`step ${formatCount(step)} / ${formatCount(numSteps)}`, `epoch ${epoch}`];
  if (examplesPerSecond !== null) parts.push(`${formatCount(examplesPerSecond)} examples/s`);
  if (payload.backend !== null) parts.push(`backend ${payload.backend}`);
  return h(
    doc,
    'div',
    { class: 'tsfx-training-status', 'aria-live': 'polite' },
    h(
      doc,
      'span',
      { class: `tsfx-training-state tsfx-training-state-${payload.status}` },
      payload.status,
    ),
    h(
      doc,
      'div',
      {
        class: 'tsfx-training-progress',
        role: 'progressbar',
        'aria-label': 'Training progress',
        'aria-valuemin': 0,
        'aria-valuemax': numSteps,
        'aria-valuenow': Math.min(step, numSteps),
      },
      h(doc, 'div', {
        class: 'tsfx-training-progress-fill',
        style: `width: ${(share * 100).toFixed(1)}%`,
      }),
    ),
    h(doc, 'span', { class: 'tsfx-training-progress-text' }, parts.join(' · ')),
  );
}

/**
 * The validation metrics of the last epoch evaluated (what the static fallback says too), or
 * nothing before the first validation.
 */
function finalMetrics(
  doc: Document,
  payload: TrainingPayload,
  tags: readonly string[],
): HTMLElement | null {
  const validation = payload.runs.find((r) => r.name === 'validation');
  const last = tags.flatMap((tag) => {
    const points = validation?.series.find((sr) => sr.tag === tag)?.points ?? [];
    const p = points[points.length - 1];
    return p ? [{ tag, step: p.step, value: p.value }] : [];
  });
  if (last.length === 0) return null;
  const final = payload.status === 'done' ? 'Final validation' : 'Latest validation';
  return h(
    doc,
    'div',
    { class: 'tsfx-training-final', 'aria-label': `${final} metrics` },
    h(
      doc,
      'span',
      { class: 'tsfx-training-control-label' },
      `${final} (step ${formatCount(Math.max(...last.map((m) => m.step)))})`,
    ),
    ...last.map((m) =>
      h(
        doc,
        'span',
        { class: 'tsfx-training-metric', 'data-tag': m.tag },
        h(doc, 'span', { class: 'tsfx-training-metric-tag' }, m.tag),
        ' ',
        h(doc, 'span', { class: 'tsfx-training-metric-value' }, formatMetric(m.value)),
      ),
    ),
  );
}

/** Smoothing: a slider and a number box, as in TensorBoard, kept in step with each other. */
function smoothingControl(doc: Document, model: TrainingModel, redraw: () => void): HTMLElement {
  const sliderId = uniqueId('training-smoothing');
  const limits = { min: 0, max: MAX_SMOOTHING, step: 0.001, value: model.smoothing };
  const slider = h(doc, 'input', {
    id: sliderId,
    class: 'tsfx-training-smoothing',
    type: 'range',
    ...limits,
    'data-control': 'smoothing',
  });
  const box = h(doc, 'input', {
    class: 'tsfx-training-smoothing-value',
    type: 'number',
    ...limits,
    'aria-label': 'Smoothing weight',
    'data-control': 'smoothing-value',
  });
  const set = (raw: string, from: HTMLInputElement): void => {
    if (!model.setSmoothing(Number(raw))) return;
    if (from !== slider) slider.value = String(model.smoothing);
    if (from !== box) box.value = String(model.smoothing);
    redraw();
  };
  slider.addEventListener('input', () => set(slider.value, slider));
  box.addEventListener('change', () => set(box.value, box));
  return h(
    doc,
    'div',
    { class: 'tsfx-training-smoothing-control' },
    h(doc, 'label', { for: sliderId, class: 'tsfx-training-control-label' }, 'Smoothing'),
    slider,
    box,
  );
}

/** X axis: step, relative or wall time. */
function xAxisControl(doc: Document, model: TrainingModel, redraw: () => void): HTMLElement {
  const groupName = uniqueId('training-xaxis');
  return h(
    doc,
    'div',
    { class: 'tsfx-training-xaxis', role: 'radiogroup', 'aria-label': 'Horizontal axis' },
    h(doc, 'span', { class: 'tsfx-training-control-label' }, 'Horizontal axis'),
    ...X_AXES.map(({ value, label }) => {
      const radio = h(doc, 'input', {
        type: 'radio',
        name: groupName,
        value,
        checked: model.xAxis === value,
        'data-control': `xaxis:${value}`,
      });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        model.setXAxis(value);
        redraw();
      });
      return h(doc, 'label', undefined, radio, ` ${label}`);
    }),
  );
}

/** Ignore outliers in chart scaling: a checkbox, as in TensorBoard's settings. */
function outliersControl(doc: Document, model: TrainingModel, redraw: () => void): HTMLElement {
  const box = h(doc, 'input', {
    type: 'checkbox',
    class: 'tsfx-training-outliers',
    checked: model.ignoreOutliers,
    'data-control': 'ignore-outliers',
  });
  box.addEventListener('change', () => {
    model.ignoreOutliers = box.checked;
    redraw();
  });
  return h(doc, 'label', { class: 'tsfx-training-outliers-control' }, box, ' Ignore outliers');
}

/** The card width: a slider; the charts' grid takes it as each column's least width. */
function cardWidthControl(doc: Document, model: TrainingModel, charts: HTMLElement): HTMLElement {
  const id = uniqueId('training-card-width');
  const slider = h(doc, 'input', {
    id,
    type: 'range',
    class: 'tsfx-training-card-width',
    min: CARD_WIDTH.min,
    max: CARD_WIDTH.max,
    step: CARD_WIDTH.step,
    value: model.cardWidth,
    'data-control': 'card-width',
  });
  slider.addEventListener('input', () => {
    if (model.setCardWidth(Number(slider.value))) setCardWidth(charts, model);
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-training-card-width-control' },
    h(doc, 'label', { for: id, class: 'tsfx-training-control-label' }, 'Card width'),
    slider,
  );
}

function setCardWidth(charts: HTMLElement, model: TrainingModel): void {
  charts.style.setProperty('--tsfx-training-card-width', `${model.cardWidth}px`);
}

/**
 * A regular expression filter (runs or tags), as TensorBoard's: case-insensitive, an empty one
 * shows everything, one that does not compile is marked invalid and filters nothing.
 */
function filterControl(
  doc: Document,
  what: 'runs' | 'tags',
  value: string,
  onInput: (value: string) => void,
): HTMLElement {
  const input = h(doc, 'input', {
    type: 'search',
    class: `tsfx-training-filter tsfx-training-filter-${what}`,
    placeholder: `Filter ${what} (regex)`,
    'aria-label': `Filter ${what} (regular expression)`,
    value,
    'aria-invalid': filterRegex(value) === undefined ? 'true' : null,
    'data-control': `filter-${what}`,
  });
  input.addEventListener('input', () => {
    const ok = filterRegex(input.value) !== undefined;
    if (ok) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
    onInput(input.value);
  });
  return input;
}

/** Legend: one toggle per run. */
function legend(
  doc: Document,
  model: TrainingModel,
  runs: readonly RunInfo[],
  redraw: () => void,
): HTMLElement {
  const buttons = runs.map((run) => {
    const button = h(
      doc,
      'button',
      {
        hidden: !model.matchesRunFilter(run.name),
        class: `tsfx-training-run tsfx-ds-${run.colour}`,
        type: 'button',
        'aria-pressed': String(!model.isHidden(run.name)),
        'data-run': run.name,
        'data-control': `run:${run.name}`,
        title: `${RUN_TITLES[run.name] ?? run.name}; click to show or hide`,
      },
      h(doc, 'span', { class: 'tsfx-training-swatch' }),
      h(doc, 'span', { class: 'tsfx-training-run-name' }, run.name),
    );
    button.addEventListener('click', () => {
      model.toggleRun(run.name);
      button.setAttribute('aria-pressed', String(!model.isHidden(run.name)));
      redraw();
    });
    return button;
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-legend tsfx-training-legend', role: 'group', 'aria-label': 'Runs' },
    ...buttons,
    runs.length === 0 ? h(doc, 'span', { class: 'tsfx-legend-hint' }, 'no scalars yet') : null,
  );
}

/** Keeps track of the focused control, to give it the focus back after a live update. */
function trackFocus(root: HTMLElement, model: TrainingModel): void {
  root.addEventListener('focusin', (ev: FocusEvent) => {
    const target = ev.target as Element | null;
    model.focus = target?.getAttribute('data-control') ?? null;
  });
  root.addEventListener('focusout', (ev: FocusEvent) => {
    const target = ev.target as Element | null;
    // Chromium fires focusout while a redraw removes the element, before it is detached: decide
    // after the current task. Still in the page: the focus really moved away; else keep it.
    queueMicrotask(() => {
      if (target?.isConnected && model.focus === target.getAttribute('data-control')) {
        if (!root.contains(root.ownerDocument.activeElement)) model.focus = null;
      }
    });
  });
}

/** Gives the focus back to the control that had it, unless it has gone elsewhere meanwhile. */
function restoreFocus(root: HTMLElement, model: TrainingModel): void {
  if (model.focus === null) return;
  const active = root.ownerDocument.activeElement;
  if (active && active !== root.ownerDocument.body) return;
  const again = [...root.querySelectorAll<HTMLElement | SVGElement>('[data-control]')].find(
    (el) => el.getAttribute('data-control') === model.focus,
  );
  again?.focus({ preventScroll: true });
}

function summary(payload: TrainingPayload, runs: number, tags: number): string {
  const points = payload.runs.reduce(
    (n, r) => n + r.series.reduce((m, sr) => m + sr.points.length, 0),
    0,
  );
  return `${runs} run${runs === 1 ? '' : 's'} · ${tags} metrics · ${formatCount(points)} points`;
}

export function renderTraining(host: HTMLElement, payload: TrainingPayload): void {
  const doc = host.ownerDocument;
  const model = trainingModel(host);
  const runs = runInfos(payload);
  const tags = tagsOf(payload);
  const charts = h(doc, 'div', { class: 'tsfx-training-charts' });
  setCardWidth(charts, model);
  const drawCharts = (): void => {
    // A chart's own control (its toolbar) is drawn again: give it the focus back.
    const active = doc.activeElement;
    const focused = active && charts.contains(active) ? active.getAttribute('data-control') : null;
    const shown = tags.filter((tag) => model.showsTag(tag));
    charts.replaceChildren(
      ...(shown.length > 0
        ? shown.map((tag) => chart(ctx, tag))
        : [h(doc, 'div', { class: 'tsfx-legend-hint' }, 'no tag matches the filter')]),
    );
    if (focused) {
      const again = [...charts.querySelectorAll<HTMLElement>('[data-control]')].find(
        (el) => el.getAttribute('data-control') === focused,
      );
      again?.focus({ preventScroll: true });
    }
  };
  const ctx: ChartContext = { doc, payload, runs, model, redraw: drawCharts };
  const legendOf = (): HTMLElement =>
    payload.modelRuns
      ? comparisonLegend(doc, model, payload, runs, drawCharts)
      : legend(doc, model, runs, drawCharts);
  let legendBox = legendOf();
  // A new run filter redraws the legend (runs it leaves out are not listed) and the charts.
  const filterRuns = (value: string): void => {
    model.runFilter = value;
    const again = legendOf();
    legendBox.replaceWith(again);
    legendBox = again;
    drawCharts();
  };
  const filterTags = (value: string): void => {
    model.tagFilter = value;
    drawCharts();
  };
  const root = h(
    doc,
    'div',
    { class: 'tsfx-view tsfx-training', 'data-status': payload.status },
    viewHeader(doc, 'Training', summary(payload, runs.length, tags.length)),
    payload.artifact ? artifactLine(doc, payload.artifact) : null,
    statusLine(doc, payload),
    finalMetrics(doc, payload, tags),
    h(
      doc,
      'div',
      { class: 'tsfx-training-controls' },
      smoothingControl(doc, model, drawCharts),
      xAxisControl(doc, model, drawCharts),
      outliersControl(doc, model, drawCharts),
      cardWidthControl(doc, model, charts),
    ),
    h(
      doc,
      'div',
      { class: 'tsfx-training-filters' },
      filterControl(doc, 'runs', model.runFilter, filterRuns),
      filterControl(doc, 'tags', model.tagFilter, filterTags),
    ),
    legendBox,
    charts,
  );
  trackFocus(root, model);
  drawCharts();
  host.append(root);
  restoreFocus(root, model);
}
