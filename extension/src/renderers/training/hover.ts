/**
 * Hover on a chart: a vertical rule at the nearest point, a dot on each run's smoothed curve and
 * a tooltip with each run's smoothed and raw value there. The arrow keys step from point to
 * point, Escape hides it; the position is kept in the model so that it survives a live update.
 */
import { formatCount } from '@tsfx/protocol';
import { h, r1, s, tableHead } from '../../dom.js';
import { formatClock, formatDuration, formatMetric } from './format.js';
import { nearestIndex } from './lines.js';
import type { Line } from './lines.js';
import type { TrainingModel } from './model.js';
import { M } from './scales.js';
import type { ChartScales } from './scales.js';

/** The x of the point nearest to `x` over all lines: where the rule goes. */
function snap(lines: readonly Line[], x: number): number {
  let at = x;
  let best = Infinity;
  for (const l of lines) {
    const cand = l.xs[nearestIndex(l.xs, x)]!;
    if (Math.abs(cand - x) < best) {
      best = Math.abs(cand - x);
      at = cand;
    }
  }
  return at;
}

/** From the rule at `current` (none: from an end), the next point's x over all lines. */
function stepFrom(lines: readonly Line[], current: number | undefined, forward: boolean): number {
  let target = forward ? Infinity : -Infinity;
  for (const l of lines) {
    if (current === undefined) {
      target = forward ? Math.min(target, l.xs[0]!) : Math.max(target, l.xs[l.xs.length - 1]!);
      continue;
    }
    const i = nearestIndex(l.xs, current);
    const candidates = [l.xs[i - 1], l.xs[i], l.xs[i + 1]].filter(
      (c): c is number => c !== undefined && (forward ? c > current : c < current),
    );
    for (const c of candidates) target = forward ? Math.min(target, c) : Math.max(target, c);
  }
  return target;
}

/** A line's tooltip row at its point `i`. */
function valueRow(doc: Document, l: Line, i: number): HTMLTableRowElement {
  const p = l.points[i]!;
  return h(
    doc,
    'tr',
    { class: `tsfx-ds-${l.run.colour}`, 'data-run': l.run.name },
    h(
      doc,
      'td',
      undefined,
      h(doc, 'span', { class: 'tsfx-training-swatch' }),
      h(doc, 'span', { class: 'tsfx-training-tooltip-run' }, l.run.name),
    ),
    h(doc, 'td', { class: 'tsfx-num' }, formatMetric(l.smoothed[i]!)),
    h(doc, 'td', { class: 'tsfx-num' }, formatMetric(p.value)),
    h(doc, 'td', { class: 'tsfx-num' }, formatCount(p.step)),
    h(doc, 'td', { class: 'tsfx-num' }, formatDuration(p.wallTime - l.start)),
    h(doc, 'td', { class: 'tsfx-num' }, formatClock(p.wallTime)),
  );
}

/** Next to the rule at pixel `px` where it fits (right, then left), else under the chart. */
function place(tooltip: HTMLElement, px: number, sc: ChartScales): void {
  const width = tooltip.offsetWidth;
  const { width: chartW, height: chartH } = sc.frame;
  const [left, top] =
    px + 12 + width <= chartW
      ? [px + 12, M.top]
      : px - 12 - width >= 0
        ? [px - 12 - width, M.top]
        : [Math.max(0, Math.min(px - width / 2, chartW - width)), chartH - 4];
  tooltip.style.left = `${Math.round(left)}px`;
  tooltip.style.top = `${Math.round(top)}px`;
}

interface Marks {
  rule: SVGLineElement;
  dots: SVGGElement;
  /** The transparent rect over the plot that takes the mouse events. */
  overlay: SVGRectElement;
  tooltip: HTMLDivElement;
}

function marks(doc: Document, sc: ChartScales): Marks {
  return {
    rule: s(doc, 'line', {
      class: 'tsfx-training-rule',
      y1: M.top,
      y2: M.top + sc.plotH,
      visibility: 'hidden',
    }),
    dots: s(doc, 'g', { class: 'tsfx-training-hover-dots' }),
    overlay: s(doc, 'rect', {
      class: 'tsfx-training-overlay',
      x: M.left,
      y: M.top,
      width: sc.plotW,
      height: sc.plotH,
    }),
    tooltip: h(doc, 'div', { class: 'tsfx-training-tooltip', hidden: true }),
  };
}

function hideMarks(m: Marks): void {
  m.rule.setAttribute('visibility', 'hidden');
  m.dots.replaceChildren();
  m.tooltip.hidden = true;
}

/** The rule at x value `at`, each line's dot and tooltip row at its point nearest to it. */
function showMarks(
  doc: Document,
  m: Marks,
  lines: readonly Line[],
  sc: ChartScales,
  at: number,
): void {
  const ruleX = r1(sc.sx(at));
  m.rule.setAttribute('x1', ruleX);
  m.rule.setAttribute('x2', ruleX);
  m.rule.setAttribute('visibility', 'visible');
  const nearest = lines.map((l) => nearestIndex(l.xs, at));
  m.dots.replaceChildren(
    ...lines.flatMap((l, k) => {
      const i = nearest[k]!;
      const cy = sc.sy(l.smoothed[i]!);
      // A value a log axis cannot show, or one outside a zoomed box, has no dot.
      if (!Number.isFinite(cy) || cy < M.top || cy > M.top + sc.plotH) return [];
      return [
        s(doc, 'circle', {
          class: `tsfx-training-hover-dot tsfx-ds-${l.run.colour}`,
          cx: r1(sc.sx(l.xs[i]!)),
          cy: r1(cy),
          r: 3.5,
        }),
      ];
    }),
  );
  const head = tableHead(doc, ['Run', 'Smoothed', 'Value', 'Step', 'Relative', 'Time']);
  const rows = lines.map((l, k) => valueRow(doc, l, nearest[k]!));
  m.tooltip.replaceChildren(
    h(doc, 'table', { class: 'tsfx-table' }, head, h(doc, 'tbody', undefined, ...rows)),
  );
  m.tooltip.hidden = false;
  place(m.tooltip, sc.sx(at), sc);
}

/** The point in the svg's own units under the mouse at `clientX, clientY` (it may be scaled). */
export function svgPoint(
  svg: SVGSVGElement,
  sc: ChartScales,
  clientX: number,
  clientY: number,
): [number, number] {
  const box = svg.getBoundingClientRect();
  const scale = box.width > 0 ? sc.frame.width / box.width : 1;
  return [(clientX - box.left) * scale, (clientY - box.top) * scale];
}

/** The x value under the mouse at `clientX`. */
function invert(svg: SVGSVGElement, sc: ChartScales, clientX: number): number {
  return sc.ix(svgPoint(svg, sc, clientX, 0)[0]);
}

/** Adds the hover marks and their events to the chart `svg`; returns the tooltip element. */
export function addHover(
  doc: Document,
  svg: SVGSVGElement,
  tag: string,
  lines: readonly Line[],
  sc: ChartScales,
  model: TrainingModel,
): HTMLDivElement {
  const m = marks(doc, sc);
  svg.append(m.rule, m.dots, m.overlay);
  const hide = (): void => {
    hideMarks(m);
    model.clearHover(tag);
  };
  const show = (x: number): void => {
    if (lines.length === 0) return hide();
    const at = snap(lines, x);
    model.setHover(tag, at);
    showMarks(doc, m, lines, sc, at);
  };
  m.overlay.addEventListener('mousemove', (ev: MouseEvent) => show(invert(svg, sc, ev.clientX)));
  m.overlay.addEventListener('mouseleave', hide);
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('data-control', `chart:${tag}`);
  svg.addEventListener('keydown', (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') return hide();
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
    ev.preventDefault();
    const target = stepFrom(lines, model.hoverAt(tag), ev.key === 'ArrowRight');
    if (Number.isFinite(target)) show(target);
  });
  svg.addEventListener('blur', () => {
    if (svg.isConnected) hide();
  });
  const kept = model.hoverAt(tag);
  if (kept !== undefined) show(kept);
  return m.tooltip;
}
