/**
 * The evaluation view's charts, in plain SVG (as the other views; see the README for why not
 * vega-lite): the metric of each slice as bars over their example counts, the ROC and
 * precision-recall curves, the calibration plot and the confusion matrix at one threshold.
 * Colours are classes styled with JupyterLab's theme variables.
 */
import { formatCount, formatNumber } from '@tsfx/protocol';
import type { EvaluationSlice, SlicePlots } from '@tsfx/protocol';
import { h, r1, s } from '../../dom.js';
import type { Child } from '../../dom.js';
import type { ThresholdStatus } from './model.js';

const FONT = 10;

function svg(
  doc: Document,
  kind: string,
  width: number,
  height: number,
  label: string,
  ...children: Child[]
) {
  return s(
    doc,
    'svg',
    {
      class: 'tsfx-eval-svg',
      'data-chart': kind,
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    ...children,
  );
}

const text = (
  doc: Document,
  x: number,
  y: number,
  value: string,
  attrs: Record<string, string | number> = {},
) =>
  s(
    doc,
    'text',
    { x: r1(x), y: r1(y), class: 'tsfx-eval-label', 'font-size': FONT, ...attrs },
    value,
  );

// ---- slices as bars ---------------------------------------------------------------------------

export interface SliceBar {
  slice: EvaluationSlice;
  value: number | null;
  baseline: number | null;
  status: ThresholdStatus;
}

const BAR_LEFT = 46;
const BAR_TOP = 16;
const METRIC_H = 110;
const GAP = 18;
const COUNT_H = 44;
const LABEL_H = 34;

/**
 * TFMA's slice chart: a bar per slice for the metric (coloured by its threshold's pass or fail,
 * the baseline a tick across it), and under it a bar per slice for its example count.
 */
export function sliceBars(doc: Document, metric: string, bars: readonly SliceBar[]): SVGSVGElement {
  const step = Math.max(6, Math.min(28, 640 / Math.max(1, bars.length)));
  const width = BAR_LEFT + bars.length * step + 10;
  const height = BAR_TOP + METRIC_H + GAP + COUNT_H + LABEL_H;
  const values = bars.flatMap((b) => [b.value, b.baseline]).filter((x): x is number => x !== null);
  const hi = Math.max(0, ...values);
  const lo = Math.min(0, ...values);
  const span = hi - lo || 1;
  const y = (v: number) => BAR_TOP + ((hi - v) / span) * METRIC_H;
  const maxCount = Math.max(1, ...bars.map((b) => b.slice.exampleCount ?? 0));
  const countTop = BAR_TOP + METRIC_H + GAP;
  const children: Child[] = [
    text(doc, 2, 11, metric, { class: 'tsfx-eval-label tsfx-eval-axis-title' }),
    text(doc, BAR_LEFT - 4, y(hi) + 4, formatNumber(hi), { 'text-anchor': 'end' }),
    text(doc, BAR_LEFT - 4, y(lo) + 4, formatNumber(lo), { 'text-anchor': 'end' }),
    s(doc, 'line', {
      class: 'tsfx-eval-axis',
      x1: BAR_LEFT,
      x2: width - 6,
      y1: r1(y(0)),
      y2: r1(y(0)),
    }),
    text(doc, 2, countTop - 4, 'examples', { class: 'tsfx-eval-label tsfx-eval-axis-title' }),
    text(doc, BAR_LEFT - 4, countTop + 10, formatCount(maxCount), { 'text-anchor': 'end' }),
  ];
  bars.forEach((b, i) => {
    const x = BAR_LEFT + i * step + 1;
    const w = Math.max(2, step - 2);
    const title = s(
      doc,
      'title',
      undefined,
      `${b.slice.name}: ${metric} ${b.value === null ? 'NaN' : formatNumber(b.value)}${b.baseline === null ? '' : ` (baseline ${formatNumber(b.baseline)})`}, ${b.slice.exampleCount === null ? 'no' : formatCount(b.slice.exampleCount)} examples`,
    );
    if (b.value !== null) {
      const top = Math.min(y(b.value), y(0));
      children.push(
        s(
          doc,
          'rect',
          {
            class: `tsfx-eval-bar${b.status === 'fail' ? ' tsfx-eval-fail' : b.status === 'pass' ? ' tsfx-eval-pass' : ''}`,
            'data-slice': b.slice.name,
            x: r1(x),
            y: r1(top),
            width: r1(w),
            height: r1(Math.max(0.5, Math.abs(y(b.value) - y(0)))),
          },
          title,
        ),
      );
    }
    if (b.baseline !== null) {
      children.push(
        s(doc, 'line', {
          class: 'tsfx-eval-baseline',
          x1: r1(x - 1),
          x2: r1(x + w + 1),
          y1: r1(y(b.baseline)),
          y2: r1(y(b.baseline)),
        }),
      );
    }
    const count = b.slice.exampleCount ?? 0;
    const ch = (count / maxCount) * COUNT_H;
    children.push(
      s(
        doc,
        'rect',
        {
          class: 'tsfx-eval-count',
          x: r1(x),
          y: r1(countTop + COUNT_H - ch),
          width: r1(w),
          height: r1(ch),
        },
        s(doc, 'title', undefined, `${b.slice.name}: ${formatCount(count)} examples`),
      ),
    );
    const label = b.slice.values.join('×') || b.slice.name;
    children.push(
      text(doc, x + w / 2, countTop + COUNT_H + 6, label, {
        'text-anchor': 'end',
        transform: `rotate(-60 ${r1(x + w / 2)} ${r1(countTop + COUNT_H + 6)})`,
      }),
    );
  });
  return svg(
    doc,
    'slices',
    width,
    height,
    `${metric} of each slice, and its example count`,
    ...children,
  );
}

// ---- curves in the unit square ----------------------------------------------------------------

const SIDE = 190;
const PAD = { left: 34, right: 8, top: 18, bottom: 30 };
const CW = PAD.left + SIDE + PAD.right;
const CH = PAD.top + SIDE + PAD.bottom;
const ux = (v: number) => PAD.left + Math.min(1, Math.max(0, v)) * SIDE;
const uy = (v: number) => PAD.top + (1 - Math.min(1, Math.max(0, v))) * SIDE;

export interface Curve {
  model: string;
  points: readonly (readonly [number, number])[];
}

function unitFrame(
  doc: Document,
  title: string,
  xLabel: string,
  yLabel: string,
  diagonal: boolean,
): Child[] {
  const ticks = [0, 0.5, 1];
  return [
    text(doc, 2, 12, title, { class: 'tsfx-eval-label tsfx-eval-axis-title' }),
    s(doc, 'rect', {
      class: 'tsfx-eval-frame',
      x: PAD.left,
      y: PAD.top,
      width: SIDE,
      height: SIDE,
    }),
    diagonal
      ? s(doc, 'line', { class: 'tsfx-eval-diagonal', x1: ux(0), y1: uy(0), x2: ux(1), y2: uy(1) })
      : null,
    ...ticks.map((t) =>
      text(doc, ux(t), PAD.top + SIDE + 11, String(t), { 'text-anchor': 'middle' }),
    ),
    ...ticks.map((t) => text(doc, PAD.left - 3, uy(t) + 3, String(t), { 'text-anchor': 'end' })),
    text(doc, PAD.left + SIDE / 2, CH - 4, xLabel, { 'text-anchor': 'middle' }),
    text(doc, 10, PAD.top + SIDE / 2, yLabel, {
      'text-anchor': 'middle',
      transform: `rotate(-90 10 ${PAD.top + SIDE / 2})`,
    }),
  ];
}

const modelClass = (model: string) =>
  model === 'baseline' ? 'tsfx-eval-model-baseline' : 'tsfx-eval-model-candidate';

/** A line chart in [0,1]² (ROC, precision-recall) with a marker at the selected threshold. */
export function curveChart(
  doc: Document,
  kind: string,
  title: string,
  axes: [string, string],
  curves: readonly Curve[],
  marker: readonly [number, number] | null,
  diagonal = false,
): SVGSVGElement {
  const paths = curves.map((c) =>
    s(doc, 'path', {
      class: `tsfx-eval-curve ${modelClass(c.model)}`,
      'data-model': c.model,
      d: c.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r1(ux(x))},${r1(uy(y))}`).join(''),
    }),
  );
  const dot = marker
    ? s(doc, 'circle', {
        class: 'tsfx-eval-marker',
        cx: r1(ux(marker[0])),
        cy: r1(uy(marker[1])),
        r: 4,
      })
    : null;
  return svg(
    doc,
    kind,
    CW,
    CH,
    title,
    ...unitFrame(doc, title, axes[0], axes[1], diagonal),
    ...paths,
    dot,
  );
}

/**
 * The calibration plot: per bucket of predictions, the mean label against the mean prediction
 * (a dot whose area grows with the bucket's examples); the diagonal is perfect calibration.
 */
export function calibrationChart(doc: Document, plots: readonly SlicePlots[]): SVGSVGElement {
  const dots: Child[] = [];
  for (const p of plots) {
    const { examples, labels, predictions } = p.calibration;
    const most = Math.max(1, ...examples);
    examples.forEach((n, i) => {
      if (!(n > 0)) return;
      const px = predictions[i]! / n;
      const py = labels[i]! / n;
      dots.push(
        s(
          doc,
          'circle',
          {
            class: `tsfx-eval-dot ${modelClass(p.model)}`,
            cx: r1(ux(px)),
            cy: r1(uy(py)),
            r: r1(1.5 + 4 * Math.sqrt(n / most)),
          },
          s(
            doc,
            'title',
            undefined,
            `${formatCount(n)} examples: mean prediction ${formatNumber(px)}, mean label ${formatNumber(py)}`,
          ),
        ),
      );
    });
  }
  return svg(
    doc,
    'calibration',
    CW,
    CH,
    'Calibration',
    ...unitFrame(doc, 'Calibration', 'mean prediction', 'mean label', true),
    ...dots,
  );
}

/** The confusion matrix of one model at one threshold, with the rates it gives. */
export function confusionMatrix(doc: Document, plots: SlicePlots, index: number): HTMLElement {
  const c = plots.confusion;
  const cell = (cls: string, title: string, n: number) =>
    h(doc, 'td', { class: `tsfx-eval-cm ${cls}`, title }, formatCount(n));
  const rate = (name: string, v: number | null | undefined) =>
    h(
      doc,
      'div',
      undefined,
      `${name} `,
      h(doc, 'b', undefined, v === null || v === undefined ? 'NaN' : formatNumber(v)),
    );
  return h(
    doc,
    'div',
    { class: 'tsfx-eval-confusion', 'data-model': plots.model },
    h(
      doc,
      'div',
      { class: 'tsfx-eval-axis-title' },
      plots.model ? `Confusion matrix (${plots.model})` : 'Confusion matrix',
    ),
    h(
      doc,
      'table',
      { class: 'tsfx-table tsfx-eval-cm-table' },
      h(
        doc,
        'thead',
        undefined,
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'th'),
          h(doc, 'th', { scope: 'col' }, 'predicted 1'),
          h(doc, 'th', { scope: 'col' }, 'predicted 0'),
        ),
      ),
      h(
        doc,
        'tbody',
        undefined,
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'th', { scope: 'row' }, 'label 1'),
          cell('tsfx-eval-cm-tp', 'true positives', c.truePositives[index]!),
          cell('tsfx-eval-cm-fn', 'false negatives', c.falseNegatives[index]!),
        ),
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'th', { scope: 'row' }, 'label 0'),
          cell('tsfx-eval-cm-fp', 'false positives', c.falsePositives[index]!),
          cell('tsfx-eval-cm-tn', 'true negatives', c.trueNegatives[index]!),
        ),
      ),
    ),
    h(
      doc,
      'div',
      { class: 'tsfx-eval-rates' },
      rate('precision', c.precision[index]),
      rate('recall', c.recall[index]),
      rate('false positive rate', c.falsePositiveRate[index]),
    ),
  );
}
