/**
 * Evaluation: TFMA's slicing browser for one ModelEvaluation.
 *
 * - the verdict of validations.json (and each failure's message), the models compared and the
 *   thresholds of eval_config.json;
 * - a metric selector, the slicing browsed and a minimum example count;
 * - the slices as bars (the metric, over the example counts) and as a table sortable by any
 *   metric, candidate against baseline with the diff, each threshold's pass or fail in colour;
 * - the plots of one slice (a table row selects it): ROC and precision-recall curves, the
 *   calibration plot and the confusion matrix at the threshold a slider picks.
 *
 * The view's EvaluationModel is kept per host element; a control changes it and the view is
 * drawn again (the focused control keeps the focus).
 */
import { formatCount, formatNumber } from '@tsfx/protocol';
import type { EvaluationPayload, EvaluationSlice, EvaluationThreshold } from '@tsfx/protocol';
import { artifactLine } from '../../artifact.js';
import { h, uniqueId, viewHeader } from '../../dom.js';
import { calibrationChart, confusionMatrix, curveChart, sliceBars } from './charts.js';
import {
  defaultThresholdIndex,
  EvaluationModel,
  metricOf,
  plotsOf,
  thresholdStatus,
  visibleSlices,
} from './model.js';
import type { SortKey, ThresholdStatus } from './model.js';

const models = new WeakMap<HTMLElement, { payload: EvaluationPayload; model: EvaluationModel }>();

/** The model of the view drawn into `host` (new for a new payload). */
export function evaluationModel(host: HTMLElement, payload: EvaluationPayload): EvaluationModel {
  const known = models.get(host);
  if (known && known.payload === payload) return known.model;
  const model = new EvaluationModel(payload);
  models.set(host, { payload, model });
  return model;
}

export function verdict(payload: EvaluationPayload): { text: string; cls: string } {
  const v = payload.validation;
  if (v.missingThresholds) return { text: 'Not validated: no thresholds configured', cls: 'none' };
  const stamp = v.rubberStamp ? ' (no baseline: change thresholds skipped)' : '';
  if (v.ok) return { text: `Validation passed${stamp}`, cls: 'ok' };
  const n = v.failures.length;
  return {
    text: `Validation failed: ${n} threshold failure${n === 1 ? '' : 's'}${stamp}`,
    cls: 'failed',
  };
}

export function thresholdText(t: EvaluationThreshold): string {
  const parts: string[] = [];
  if (t.value) {
    const { lowerBound: lo, upperBound: hi } = t.value;
    if (lo !== null && hi !== null) parts.push(`in [${lo}, ${hi}]`);
    else if (lo !== null) parts.push(`≥ ${lo}`);
    else if (hi !== null) parts.push(`≤ ${hi}`);
  }
  if (t.change) {
    const op = t.change.direction === 'LOWER_IS_BETTER' ? '≤' : '≥';
    const bounds = [
      t.change.absolute === null ? null : `change ${op} ${t.change.absolute}`,
      t.change.relative === null ? null : `relative change ${op} ${t.change.relative}`,
    ].filter((b) => b !== null);
    parts.push(`${bounds.join(', ')} (${t.change.direction})`);
  }
  return `${t.metric} ${parts.join('; ')}`;
}

/** At most this many failures are listed open; more are folded under their count. */
const OPEN_FAILURES = 5;

function failureList(doc: Document, payload: EvaluationPayload): HTMLElement | null {
  const failures = payload.validation.failures;
  if (failures.length === 0) return null;
  const list = h(
    doc,
    'ul',
    { class: 'tsfx-eval-failures' },
    ...failures.map((f) => h(doc, 'li', undefined, f.message)),
  );
  return h(
    doc,
    'details',
    { class: 'tsfx-eval-failure-details', open: failures.length <= OPEN_FAILURES },
    h(
      doc,
      'summary',
      undefined,
      `${failures.length} failed threshold${failures.length === 1 ? '' : 's'}`,
    ),
    list,
  );
}

function summary(doc: Document, payload: EvaluationPayload): HTMLElement {
  const v = verdict(payload);
  return h(
    doc,
    'div',
    { class: 'tsfx-eval-summary' },
    h(doc, 'div', { class: `tsfx-eval-verdict tsfx-eval-verdict-${v.cls}` }, v.text),
    failureList(doc, payload),
    h(
      doc,
      'div',
      { class: 'tsfx-eval-models' },
      h(doc, 'span', undefined, 'candidate '),
      h(doc, 'code', undefined, payload.candidate ?? '?'),
      payload.baseline === null
        ? h(doc, 'span', undefined, ' · no baseline')
        : h(doc, 'span', undefined, ' · baseline '),
      payload.baseline === null ? null : h(doc, 'code', undefined, payload.baseline),
    ),
    payload.thresholds.length > 0
      ? h(
          doc,
          'div',
          { class: 'tsfx-eval-thresholds' },
          `Thresholds: ${payload.thresholds.map(thresholdText).join(' · ')}`,
        )
      : null,
  );
}

function select(
  doc: Document,
  label: string,
  control: string,
  options: readonly { value: string; label: string }[],
  current: string,
  onChange: (value: string) => void,
): HTMLElement {
  const id = uniqueId(`eval-${control}`);
  const box = h(doc, 'select', { id, 'data-control': control, class: 'tsfx-eval-select' });
  for (const o of options) {
    box.append(h(doc, 'option', { value: o.value, selected: o.value === current }, o.label));
  }
  box.addEventListener('change', () => onChange(box.value));
  return h(doc, 'span', { class: 'tsfx-eval-control' }, h(doc, 'label', { for: id }, label), box);
}

function controls(
  doc: Document,
  payload: EvaluationPayload,
  model: EvaluationModel,
  redraw: () => void,
): HTMLElement {
  const minId = uniqueId('eval-min-examples');
  const min = h(doc, 'input', {
    id: minId,
    type: 'number',
    min: 0,
    step: 1,
    value: model.minExamples,
    class: 'tsfx-eval-min',
    'data-control': 'min-examples',
  });
  min.addEventListener('change', () => {
    if (model.setMinExamples(Number(min.value))) redraw();
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-eval-controls' },
    select(
      doc,
      'Metric',
      'metric',
      payload.metricNames.map((m) => ({ value: m, label: m })),
      model.metric,
      (m) => {
        model.metric = m;
        redraw();
      },
    ),
    select(
      doc,
      'Slicing',
      'slicing',
      payload.slicings.map((s) => ({ value: s.name, label: `${s.name} (${s.slices})` })),
      model.slicing,
      (s) => {
        model.slicing = s;
        redraw();
      },
    ),
    h(
      doc,
      'span',
      { class: 'tsfx-eval-control' },
      h(doc, 'label', { for: minId }, 'Min. examples'),
      min,
    ),
  );
}

const statusClass = (s: ThresholdStatus): string => (s === null ? '' : ` tsfx-eval-${s}`);

function metricCell(
  doc: Document,
  payload: EvaluationPayload,
  slice: EvaluationSlice,
  name: string,
): HTMLElement {
  const m = metricOf(slice, name);
  const status = thresholdStatus(payload, slice, name);
  const td = h(doc, 'td', { class: 'tsfx-num' });
  if (!m) return td;
  td.append(
    h(
      doc,
      'span',
      {
        class: `tsfx-eval-value${statusClass(status.value)}`,
        title: status.value ? `value threshold: ${status.value}` : null,
      },
      formatNumber(m.candidate ?? NaN),
    ),
  );
  if (m.interval) {
    td.append(
      h(
        doc,
        'div',
        { class: 'tsfx-eval-interval' },
        `[${formatNumber(m.interval.lower ?? NaN)}, ${formatNumber(m.interval.upper ?? NaN)}]`,
      ),
    );
  }
  if (payload.baseline !== null && (m.baseline !== null || m.diff !== null)) {
    const sign = m.diff !== null && m.diff > 0 ? '+' : '';
    td.append(
      h(
        doc,
        'div',
        { class: 'tsfx-eval-compare' },
        // Text, not an element: one cell per slice and metric adds up (see plotsWhenVisible).
        `base ${formatNumber(m.baseline ?? NaN)} `,
        h(
          doc,
          'span',
          {
            class: `tsfx-eval-diff${statusClass(status.change)}`,
            title: status.change ? `change threshold: ${status.change}` : null,
          },
          `${sign}${formatNumber(m.diff ?? NaN)}`,
        ),
      ),
    );
  }
  return td;
}

function sortHeader(
  doc: Document,
  label: string,
  key: SortKey,
  model: EvaluationModel,
  redraw: () => void,
): HTMLElement {
  const active =
    key.column === model.sort.column &&
    (key.column === 'slice' ||
      (model.sort.column === 'metric' && model.sort.metric === key.metric));
  const button = h(
    doc,
    'button',
    {
      class: 'tsfx-eval-sort',
      'data-sort': key.column === 'slice' ? 'slice' : key.metric,
      type: 'button',
      'data-control': `sort-${label}`,
    },
    label,
    active ? (model.descending ? ' ▼' : ' ▲') : '',
  );
  button.addEventListener('click', () => {
    model.sortBy(key);
    redraw();
  });
  return h(
    doc,
    'th',
    { scope: 'col', 'aria-sort': active ? (model.descending ? 'descending' : 'ascending') : null },
    button,
  );
}

function sliceTable(
  doc: Document,
  payload: EvaluationPayload,
  model: EvaluationModel,
  rows: readonly EvaluationSlice[],
  redraw: () => void,
): HTMLElement {
  const metrics = [model.metric, ...payload.metricNames.filter((m) => m !== model.metric)];
  const plotted = new Set(payload.plots.map((p) => p.slice));
  const head = h(
    doc,
    'thead',
    undefined,
    h(
      doc,
      'tr',
      undefined,
      sortHeader(doc, 'slice', { column: 'slice' }, model, redraw),
      ...metrics.map((m) => sortHeader(doc, m, { column: 'metric', metric: m }, model, redraw)),
    ),
  );
  const body = h(doc, 'tbody');
  for (const slice of rows) {
    const tr = h(doc, 'tr', {
      'data-slice': slice.name,
      class: slice.name === model.plotSlice ? 'tsfx-eval-selected' : null,
      title: plotted.has(slice.name) ? 'show the plots of this slice' : null,
    });
    tr.append(h(doc, 'th', { scope: 'row', class: 'tsfx-eval-slice' }, slice.name));
    if (slice.suppressed !== null) {
      tr.append(
        h(doc, 'td', { class: 'tsfx-eval-suppressed', colspan: metrics.length }, slice.suppressed),
      );
    } else {
      for (const m of metrics) tr.append(metricCell(doc, payload, slice, m));
    }
    if (plotted.has(slice.name)) {
      tr.addEventListener('click', () => {
        model.plotSlice = slice.name;
        model.thresholdIndex = null;
        redraw();
      });
    }
    body.append(tr);
  }
  return h(
    doc,
    'div',
    { class: 'tsfx-scroll tsfx-eval-scroll' },
    h(doc, 'table', { class: 'tsfx-table tsfx-eval-table' }, head, body),
  );
}

function slicesSection(
  doc: Document,
  payload: EvaluationPayload,
  model: EvaluationModel,
  redraw: () => void,
): HTMLElement {
  const rows = visibleSlices(payload, model);
  const total = payload.slices.filter((s) => s.slicing === model.slicing).length;
  const bars = rows.map((slice) => {
    const m = metricOf(slice, model.metric);
    return {
      slice,
      value: m?.candidate ?? null,
      baseline: m?.baseline ?? null,
      status: thresholdStatus(payload, slice, model.metric).value,
    };
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-eval-slices' },
    h(
      doc,
      'div',
      { class: 'tsfx-eval-count-line', 'aria-live': 'polite' },
      `${rows.length} of ${total} slices of ${model.slicing}${model.minExamples > 0 ? ` with ≥ ${formatCount(model.minExamples)} examples` : ''}`,
    ),
    h(doc, 'div', { class: 'tsfx-scroll' }, sliceBars(doc, model.metric, bars)),
    sliceTable(doc, payload, model, rows, redraw),
  );
}

/**
 * The plots section, drawn when it comes near the viewport (an IntersectionObserver), or at once
 * where there is none (jsdom): the view's first draw then builds the verdict, the bars and the
 * table only, a third fewer nodes. The threshold slider draws the section again alone.
 */
function plotsWhenVisible(
  doc: Document,
  payload: EvaluationPayload,
  model: EvaluationModel,
  redraw: () => void,
): HTMLElement {
  const holder = h(doc, 'div', { class: 'tsfx-eval-plots-holder' });
  const draw = (): void => {
    const active = doc.activeElement;
    const focus = active && holder.contains(active) ? active.getAttribute('data-control') : null;
    holder.replaceChildren(plotsSection(doc, payload, model, redraw, draw));
    if (focus) holder.querySelector<HTMLElement>(`[data-control="${focus}"]`)?.focus();
  };
  const Observer = doc.defaultView?.IntersectionObserver;
  if (!Observer || model.focus === 'threshold' || model.focus === 'plot-slice') {
    draw();
    return holder;
  }
  holder.classList.add('tsfx-eval-plots-pending');
  const observer = new Observer(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      holder.classList.remove('tsfx-eval-plots-pending');
      draw();
    },
    { rootMargin: '400px' },
  );
  observer.observe(holder);
  return holder;
}

function plotsSection(
  doc: Document,
  payload: EvaluationPayload,
  model: EvaluationModel,
  redraw: () => void,
  redrawPlots: () => void,
): HTMLElement {
  const plotted = [...new Set(payload.plots.map((p) => p.slice))];
  const section = h(
    doc,
    'div',
    { class: 'tsfx-eval-plots' },
    h(doc, 'div', { class: 'tsfx-eval-section-title' }, 'Plots'),
  );
  const omitted = payload.plotsOmitted.map((o) => `${o.slicing} (${o.slices} slices)`).join(', ');
  if (plotted.length === 0) {
    section.append(h(doc, 'div', { class: 'tsfx-subtitle' }, 'No plots in this evaluation.'));
    return section;
  }
  if (!plotted.includes(model.plotSlice)) model.plotSlice = plotted[0]!;
  const plots = plotsOf(payload, model.plotSlice);
  const first = plots[0]!;
  const thresholds = first.confusion.thresholds;
  const index = Math.min(
    thresholds.length - 1,
    model.thresholdIndex ?? defaultThresholdIndex(thresholds),
  );
  const sliderId = uniqueId('eval-threshold');
  const slider = h(doc, 'input', {
    id: sliderId,
    type: 'range',
    min: 0,
    max: Math.max(0, thresholds.length - 1),
    step: 1,
    value: index,
    class: 'tsfx-eval-threshold',
    'data-control': 'threshold',
  });
  slider.addEventListener('input', () => {
    model.thresholdIndex = Number(slider.value);
    redrawPlots();
  });
  const roc = plots.map((p) => ({
    model: p.model,
    points: p.confusion.falsePositiveRate.flatMap((x, i) => {
      const y = p.confusion.recall[i];
      return x === null || y === null || y === undefined ? [] : [[x, y] as const];
    }),
  }));
  const pr = plots.map((p) => ({
    model: p.model,
    points: p.confusion.recall.flatMap((x, i) => {
      const y = p.confusion.precision[i];
      return x === null || y === null || y === undefined ? [] : [[x, y] as const];
    }),
  }));
  const c = first.confusion;
  const i = index;
  const rocMarker =
    c.falsePositiveRate[i] != null && c.recall[i] != null
      ? ([c.falsePositiveRate[i]!, c.recall[i]!] as const)
      : null;
  const prMarker =
    c.recall[i] != null && c.precision[i] != null
      ? ([c.recall[i]!, c.precision[i]!] as const)
      : null;
  section.append(
    h(
      doc,
      'div',
      { class: 'tsfx-eval-controls' },
      select(
        doc,
        'Slice',
        'plot-slice',
        plotted.map((s) => ({ value: s, label: s })),
        model.plotSlice,
        (s) => {
          model.plotSlice = s;
          model.thresholdIndex = null;
          redraw();
        },
      ),
      h(
        doc,
        'span',
        { class: 'tsfx-eval-control' },
        h(doc, 'label', { for: sliderId }, 'Threshold'),
        slider,
        h(
          doc,
          'output',
          { class: 'tsfx-eval-threshold-value', for: sliderId },
          formatNumber(thresholds[index] ?? NaN),
        ),
      ),
      plots.length > 1
        ? h(
            doc,
            'span',
            { class: 'tsfx-eval-legend' },
            h(doc, 'span', { class: 'tsfx-eval-key tsfx-eval-model-candidate' }),
            'candidate ',
            h(doc, 'span', { class: 'tsfx-eval-key tsfx-eval-model-baseline' }),
            'baseline',
          )
        : null,
    ),
    h(
      doc,
      'div',
      { class: 'tsfx-eval-plot-grid' },
      curveChart(
        doc,
        'roc',
        'ROC curve',
        ['false positive rate', 'true positive rate'],
        roc,
        rocMarker,
        true,
      ),
      curveChart(doc, 'pr', 'Precision-recall curve', ['recall', 'precision'], pr, prMarker),
      calibrationChart(doc, plots),
      h(
        doc,
        'div',
        { class: 'tsfx-eval-matrices' },
        ...plots.map((p) => confusionMatrix(doc, p, index)),
      ),
    ),
  );
  if (omitted) {
    section.append(
      h(
        doc,
        'div',
        { class: 'tsfx-subtitle' },
        `Plots of ${omitted} are in plots.jsonl, not in this view.`,
      ),
    );
  }
  return section;
}

/** Draws the evaluation view into `host` (again, after a control changed the model). */
export function renderEvaluation(host: HTMLElement, payload: EvaluationPayload): void {
  const doc = host.ownerDocument;
  const model = evaluationModel(host, payload);
  const redraw = (): void => {
    const active = doc.activeElement as HTMLElement | null;
    model.focus = active && host.contains(active) ? active.getAttribute('data-control') : null;
    host.replaceChildren();
    renderEvaluation(host, payload);
  };
  const v = verdict(payload);
  host.append(
    h(
      doc,
      'div',
      { class: 'tsfx-view tsfx-evaluation' },
      viewHeader(doc, 'Model evaluation', `${payload.slices.length} slices · ${v.text}`),
      artifactLine(doc, payload.artifact),
      summary(doc, payload),
      controls(doc, payload, model, redraw),
      slicesSection(doc, payload, model, redraw),
      plotsWhenVisible(doc, payload, model, redraw),
    ),
  );
  if (model.focus) {
    host.querySelector<HTMLElement>(`[data-control="${model.focus}"]`)?.focus();
  }
}
