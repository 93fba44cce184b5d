/**
 * Evaluation history: TFMA's `render_time_series`, a metric of the overall slice across the
 * evaluations of a pipeline (oldest first, one per model version): a metric selector, a line
 * chart (blessed evaluations filled) and the table of every metric.
 */
import { formatNumber } from '@tsfx/protocol';
import type { EvaluationHistoryPayload } from '@tsfx/protocol';
import { h, r1, s, uniqueId, viewHeader } from '../../dom.js';

const W = 460;
const H = 200;
const M = { left: 54, right: 16, top: 14, bottom: 34 };

const selected = new WeakMap<HTMLElement, { payload: EvaluationHistoryPayload; metric: string }>();

/** The metric the view shows: AUC when there is one, else the first. */
function metricOf(host: HTMLElement, payload: EvaluationHistoryPayload): { metric: string } {
  const known = selected.get(host);
  if (known && known.payload === payload) return known;
  const state = {
    payload,
    metric: payload.metricNames.includes('auc') ? 'auc' : (payload.metricNames[0] ?? ''),
  };
  selected.set(host, state);
  return state;
}

const versionLabel = (e: EvaluationHistoryPayload['evaluations'][number]): string =>
  e.model === null
    ? `#${e.artifact.id ?? '?'}`
    : e.model.id === null
      ? e.model.uri
      : `model ${e.model.id}`;

/** The metric's value per evaluation as a line; a missing (NaN) value breaks it. */
export function historyChart(
  doc: Document,
  payload: EvaluationHistoryPayload,
  metric: string,
): SVGSVGElement {
  const values = payload.evaluations.map(
    (e) => e.metrics.find((m) => m.name === metric)?.value ?? null,
  );
  const known = values.filter((v): v is number => v !== null);
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  if (known.length === 0) [lo, hi] = [0, 1];
  if (hi - lo < 1e-12) [lo, hi] = [lo - 0.5, hi + 0.5];
  const n = payload.evaluations.length;
  const x = (i: number) =>
    M.left + (n <= 1 ? (W - M.left - M.right) / 2 : (i / (n - 1)) * (W - M.left - M.right));
  const y = (v: number) => M.top + ((hi - v) / (hi - lo)) * (H - M.top - M.bottom);
  let d = '';
  values.forEach((v, i) => {
    if (v === null) return;
    d += `${i === 0 || values[i - 1] === null ? 'M' : 'L'}${r1(x(i))},${r1(y(v))}`;
  });
  return s(
    doc,
    'svg',
    {
      class: 'tsfx-eval-svg',
      'data-chart': 'history',
      width: W,
      height: H,
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': `${metric} across model versions`,
    },
    s(doc, 'rect', {
      class: 'tsfx-eval-frame',
      x: M.left,
      y: M.top,
      width: W - M.left - M.right,
      height: H - M.top - M.bottom,
    }),
    s(
      doc,
      'text',
      {
        class: 'tsfx-eval-label',
        x: M.left - 4,
        y: r1(y(hi) + 4),
        'text-anchor': 'end',
        'font-size': 10,
      },
      formatNumber(hi),
    ),
    s(
      doc,
      'text',
      {
        class: 'tsfx-eval-label',
        x: M.left - 4,
        y: r1(y(lo) + 4),
        'text-anchor': 'end',
        'font-size': 10,
      },
      formatNumber(lo),
    ),
    s(doc, 'path', { class: 'tsfx-eval-curve tsfx-eval-model-candidate', d }),
    ...values.flatMap((v, i) => {
      const e = payload.evaluations[i]!;
      const label = s(
        doc,
        'text',
        {
          class: 'tsfx-eval-label',
          x: r1(x(i)),
          y: H - M.bottom + 14,
          'text-anchor': 'middle',
          'font-size': 10,
        },
        versionLabel(e),
      );
      if (v === null) return [label];
      return [
        label,
        s(
          doc,
          'circle',
          {
            class: `tsfx-eval-point${e.blessed ? ' tsfx-eval-pass' : ' tsfx-eval-fail'}`,
            cx: r1(x(i)),
            cy: r1(y(v)),
            r: 4,
            'data-evaluation': e.artifact.id ?? '',
          },
          s(
            doc,
            'title',
            undefined,
            `${versionLabel(e)}: ${metric} ${formatNumber(v)}${e.blessed ? ' (validation OK)' : ' (validation failed)'}`,
          ),
        ),
      ];
    }),
  );
}

export function renderEvaluationHistory(
  host: HTMLElement,
  payload: EvaluationHistoryPayload,
): void {
  const doc = host.ownerDocument;
  const state = metricOf(host, payload);
  const id = uniqueId('eval-history-metric');
  const box = h(doc, 'select', { id, class: 'tsfx-eval-select', 'data-control': 'metric' });
  for (const m of payload.metricNames)
    box.append(h(doc, 'option', { value: m, selected: m === state.metric }, m));
  const chartHolder = h(
    doc,
    'div',
    { class: 'tsfx-scroll' },
    historyChart(doc, payload, state.metric),
  );
  box.addEventListener('change', () => {
    state.metric = box.value;
    chartHolder.replaceChildren(historyChart(doc, payload, state.metric));
  });
  const shown = payload.metricNames;
  const table = h(
    doc,
    'table',
    { class: 'tsfx-table tsfx-eval-table' },
    h(
      doc,
      'thead',
      undefined,
      h(
        doc,
        'tr',
        undefined,
        ...['version', 'evaluation', 'created', 'validation', ...shown].map((t) =>
          h(doc, 'th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      doc,
      'tbody',
      undefined,
      ...payload.evaluations.map((e) =>
        h(
          doc,
          'tr',
          { 'data-evaluation': e.artifact.id ?? '' },
          h(doc, 'th', { scope: 'row' }, versionLabel(e)),
          h(doc, 'td', { class: 'tsfx-num' }, e.artifact.id === null ? '—' : `#${e.artifact.id}`),
          h(
            doc,
            'td',
            undefined,
            new Date(e.createdAt).toISOString().replace('T', ' ').slice(0, 19),
          ),
          h(
            doc,
            'td',
            { class: e.blessed ? 'tsfx-eval-pass' : 'tsfx-eval-fail' },
            e.blessed ? 'OK' : 'failed',
          ),
          ...shown.map((m) =>
            h(
              doc,
              'td',
              { class: 'tsfx-num' },
              formatNumber(e.metrics.find((x) => x.name === m)?.value ?? NaN),
            ),
          ),
        ),
      ),
    ),
  );
  host.append(
    h(
      doc,
      'div',
      { class: 'tsfx-view tsfx-evaluation-history' },
      viewHeader(
        doc,
        'Evaluation history',
        `${payload.evaluations.length} evaluation${payload.evaluations.length === 1 ? '' : 's'}${payload.pipeline === null ? '' : ` of ${payload.pipeline}`} · slice ${payload.slice}`,
      ),
      h(
        doc,
        'div',
        { class: 'tsfx-eval-controls' },
        h(doc, 'span', { class: 'tsfx-eval-control' }, h(doc, 'label', { for: id }, 'Metric'), box),
      ),
      payload.evaluations.length === 0
        ? h(doc, 'div', { class: 'tsfx-subtitle' }, 'No evaluation in the store yet.')
        : chartHolder,
      h(doc, 'div', { class: 'tsfx-scroll' }, table),
    ),
  );
}
