/**
 * Expanded charts (Facets Overview's "expand"): a larger frame with real axes, tick marks and
 * labels on both axes (thinned so that no two labels overlap) and axis titles. The charts lay
 * out their plot with these helpers; the compact charts keep chartFrame's corner labels.
 */
import { r1, s } from '../../dom.js';
import type { Child } from '../../dom.js';
import { ticks } from '../training/scales.js';
import { chartSvg, scaled, valueText } from './chartFrame.js';
import type { Plot } from './chartFrame.js';

/** An expanded chart's width before the view fits it, and the range it fits it to. */
export const EXPANDED_W = 480;
export const EXPANDED_WIDTHS = { min: 200, max: 720 } as const;
/** Height of the plot of an expanded chart drawn over an x range (histogram, CDF). */
export const EXPANDED_PLOT_H = 170;

/** Font sizes of tick labels and axis titles (statistics.css: .tsfx-stats-tick, -axis-title). */
const TICK_FONT = 10;
const TITLE_FONT = 11;
/** Room for the y axis title (rotated) at the left of the tick labels. */
const Y_TITLE_W = 16;
/** Between tick labels, and between a tick label and its axis. */
const LABEL_GAP = 6;
/** From the plot's bottom to the x tick labels' baseline, then to the x title's baseline. */
const X_LABEL_Y = 16;
const X_TITLE_Y = X_LABEL_Y + 15;
/** A text line's height at TICK_FONT (what y tick labels need apart). */
const LINE_H = 13;

/** An expanded chart's SVG element (chartSvg's, marked `data-expanded`). */
export function expandedSvg(
  doc: Document,
  kind: string,
  width: number,
  height: number,
  label: string,
  ...children: Child[]
): SVGSVGElement {
  const svg = chartSvg(doc, kind, width, height, label, ...children);
  svg.setAttribute('data-expanded', 'true');
  return svg;
}

/** A tick: its value, its label, and its position along its axis in pixels. */
export interface Tick {
  value: number;
  label: string;
  at: number;
  /** Shown on hover (a timestamp's date). */
  hint?: string;
}

/**
 * An upper bound of the width of `text` at `font` px in the UI font (no layout in jsdom, and a
 * chart is drawn before it is laid out): narrow punctuation, wide capitals and m, w, %, the rest
 * (digits included: 0.64 em in DejaVu Sans) in between.
 */
export function textWidth(text: string, font = TICK_FONT): number {
  let em = 0;
  for (const ch of text) em += /[ .,:;'|!il]/.test(ch) ? 0.4 : /[A-Z%mw@]/.test(ch) ? 1 : 0.66;
  return em * font;
}

/** `text` cut (with an ellipsis) to fit `width` pixels at TICK_FONT. */
export function fitText(text: string, width: number): string {
  const chars = Array.from(text);
  if (textWidth(text) <= width) return text;
  let n = chars.length - 1;
  while (n > 1 && textWidth(`${chars.slice(0, n).join('')}…`) > width) n--;
  return `${chars.slice(0, n).join('')}…`;
}

/**
 * The ticks to label: every k-th for the smallest k whose labels do not overlap, always the
 * first and the last (a tick too close to the last gives way to it). `extent` is a label's
 * length along the axis. Unevenly spaced ticks (a log scale) are better served by `greedy`.
 */
export function thinned(all: readonly Tick[], extent: (t: Tick) => number): Tick[] {
  if (all.length <= 1) return [...all];
  const apart = separated(extent);
  const last = all[all.length - 1]!;
  for (let k = 1; k < all.length; k++) {
    const kept = all.filter((_, i) => i % k === 0);
    if (kept[kept.length - 1] !== last) kept.push(last);
    while (kept.length > 2 && !apart(kept[kept.length - 2]!, last)) kept.splice(-2, 1);
    if (kept.every((t, i) => i === 0 || apart(kept[i - 1]!, t))) return kept;
  }
  return [all[0]!];
}

/** The ticks to label: each one apart from the one kept before it, from the first on. */
export function greedy(all: readonly Tick[], extent: (t: Tick) => number): Tick[] {
  const apart = separated(extent);
  const kept: Tick[] = [];
  for (const t of all) if (kept.length === 0 || apart(kept[kept.length - 1]!, t)) kept.push(t);
  return kept;
}

/** Whether two ticks' labels, `extent` long along their axis, are LABEL_GAP apart or more. */
const separated =
  (extent: (t: Tick) => number) =>
  (a: Tick, b: Tick): boolean =>
    Math.abs(b.at - a.at) >= (extent(a) + extent(b)) / 2 + LABEL_GAP;

/** A horizontal count axis' tick spacing: room for labels like `6,000`. */
export const COUNT_TICK_SPACING_X = 80;

/** Along a horizontal axis a label takes its width; along a vertical one a line's height. */
export const widthOf = (t: Tick): number => textWidth(t.label);
export const heightOf = (): number => LINE_H;

/**
 * Ticks of a count (or percentage) axis of `length` pixels from 0 to `max`: round values about
 * `spacing` pixels apart, or on a log scale (log1p, as the bars) 0 and the powers of ten up to
 * `max`. Thin them with `greedy` (the last is no end to keep).
 */
export function countTicks(
  max: number,
  percent: boolean,
  log: boolean,
  length: number,
  spacing = 40,
): Tick[] {
  const values = log
    ? [0, ...powersOfTen(percent ? 0.01 : 1, max)]
    : ticks(0, max, Math.max(2, Math.floor(length / spacing)), false, !percent).filter(
        (v) => v <= max,
      );
  return values.map((value) => ({
    value,
    label: valueText(value, percent),
    at: scaled(value, max, log) * length,
  }));
}

function powersOfTen(from: number, to: number): number[] {
  const out: number[] = [];
  for (let p = from; p <= to; p *= 10) out.push(Number(p.toPrecision(1)));
  return out;
}

/**
 * Ticks over `lo`..`hi` placed by `at` along a horizontal axis: the two ends (values the
 * artifact holds), and round values between them whose labels keep apart from their neighbours,
 * written by `format`. Already thinned: give xAxis `asIs`.
 */
export function rangeTicks(
  lo: number,
  hi: number,
  format: (v: number) => string,
  at: (v: number) => number,
  count: number,
  integers = false,
  hint?: (v: number) => string,
): Tick[] {
  const tick = (value: number): Tick => ({
    value,
    label: format(value),
    at: at(value),
    hint: hint?.(value),
  });
  const first = tick(lo);
  if (!(hi > lo)) return [first];
  const last = tick(hi);
  const apart = separated(widthOf);
  const inner = ticks(lo, hi, count, false, integers)
    .filter((v) => v > lo && v < hi)
    .map(tick)
    .filter((t) => apart(t, last));
  const kept = greedy([first, ...inner], widthOf);
  return apart(kept[kept.length - 1]!, last) ? [...kept, last] : kept;
}

/** Ticks taken as they are (already thinned). */
export const asIs = (all: readonly Tick[]): Tick[] => [...all];

/** Room at the left of a plot for the y axis title and the widest of `labels`. */
export function yAxisRoom(labels: readonly string[]): number {
  return Y_TITLE_W + Math.max(0, ...labels.map((l) => textWidth(l))) + LABEL_GAP;
}

/** Room below a plot for the x tick labels and the x axis title. */
export const X_AXIS_ROOM = X_TITLE_Y + 5;

/** How an x axis thins its ticks (default: thinned), and whether it draws grid lines. */
export interface XAxisOptions {
  thin?: (all: readonly Tick[], extent: (t: Tick) => number) => Tick[];
  grid?: boolean;
}

/**
 * The x axis under `plot`: its line, a mark and a label per tick (`at` from the plot's left),
 * and its title.
 */
export function xAxis(
  doc: Document,
  plot: Plot,
  all: readonly Tick[],
  title: string,
  { thin = thinned, grid = false }: XAxisOptions = {},
): SVGGElement {
  const y = plot.top + plot.height;
  const shown = thin(all, widthOf);
  return s(
    doc,
    'g',
    { class: 'tsfx-stats-xaxis' },
    s(doc, 'line', {
      class: 'tsfx-stats-baseline',
      x1: r1(plot.left),
      x2: r1(plot.left + plot.width),
      y1: r1(y),
      y2: r1(y),
    }),
    ...shown.flatMap((t) => {
      const x = r1(plot.left + t.at);
      return [
        grid
          ? s(doc, 'line', { class: 'tsfx-stats-grid', x1: x, x2: x, y1: r1(plot.top), y2: r1(y) })
          : null,
        s(doc, 'line', { class: 'tsfx-stats-tickmark', x1: x, x2: x, y1: r1(y), y2: r1(y + 4) }),
        s(
          doc,
          'text',
          {
            class: 'tsfx-stats-tick',
            'data-tick': t.value,
            x,
            y: r1(y + X_LABEL_Y),
            'text-anchor': 'middle',
          },
          t.label,
          t.hint === undefined ? null : s(doc, 'title', undefined, t.hint),
        ),
      ];
    }),
    s(
      doc,
      'text',
      {
        class: 'tsfx-stats-axis-title tsfx-stats-xtitle',
        x: r1(plot.left + plot.width / 2),
        y: r1(y + X_TITLE_Y),
        'text-anchor': 'middle',
      },
      fitTitle(title, plot.width),
    ),
  );
}

/**
 * The y axis left of `plot`: a grid line and a label per tick (`at` up from the plot's bottom,
 * or, for `band` labels, down from its top), and its title, rotated.
 */
export function yAxis(
  doc: Document,
  plot: Plot,
  all: readonly Tick[],
  title: string,
  band = false,
): SVGGElement {
  const bottom = plot.top + plot.height;
  const yOf = (t: Tick): number => (band ? plot.top + t.at : bottom - t.at);
  const shown = band ? [...all] : greedy(all, heightOf);
  const mid = plot.top + plot.height / 2;
  return s(
    doc,
    'g',
    { class: 'tsfx-stats-yaxis' },
    ...shown.flatMap((t) => {
      const y = yOf(t);
      return [
        band
          ? null
          : s(doc, 'line', {
              class: 'tsfx-stats-grid',
              x1: r1(plot.left),
              x2: r1(plot.left + plot.width),
              y1: r1(y),
              y2: r1(y),
            }),
        s(
          doc,
          'text',
          {
            class: 'tsfx-stats-tick',
            'data-tick': band ? undefined : t.value,
            x: r1(plot.left - LABEL_GAP / 2),
            y: r1(y + TICK_FONT * 0.35),
            'text-anchor': 'end',
          },
          t.label,
        ),
      ];
    }),
    s(
      doc,
      'text',
      {
        class: 'tsfx-stats-axis-title tsfx-stats-ytitle',
        x: TITLE_FONT,
        y: r1(mid),
        transform: `rotate(-90 ${TITLE_FONT} ${r1(mid)})`,
        'text-anchor': 'middle',
      },
      fitTitle(title, Math.max(plot.height, 40)),
    ),
  );
}

function fitTitle(title: string, width: number): string {
  return textWidth(title, TITLE_FONT) <= width
    ? title
    : fitText(title, (width * TICK_FONT) / TITLE_FONT);
}

/** The title of a count axis: counts or percentages, and the log scale when it is on. */
export function countTitle(percent: boolean, log: boolean, cumulative = false): string {
  const what = percent ? '% of examples' : 'examples';
  return `${cumulative ? 'cumulative ' : ''}${what}${log ? ' (log scale)' : ''}`;
}

/** Height of the legend row (the datasets drawn, in their colours) above the plot. */
export const LEGEND_H = 16;

/**
 * The datasets drawn, a swatch and a name each in the colours of the view's legend, side by side
 * from `x` along the top; names are cut to share `width`.
 */
export function chartLegend(
  doc: Document,
  datasets: readonly { d: number; name: string }[],
  x: number,
  width: number,
): SVGGElement {
  const share = width / Math.max(1, datasets.length);
  let x0 = x;
  return s(
    doc,
    'g',
    { class: 'tsfx-stats-chart-legend' },
    ...datasets.flatMap(({ d, name }) => {
      const text = fitText(name, share - KEY_ROOM);
      const at = x0;
      x0 += Math.min(share, textWidth(text) + KEY_ROOM);
      return [
        s(doc, 'rect', {
          class: `tsfx-stats-key tsfx-ds-${d % 6}`,
          x: r1(at),
          y: 3,
          width: 10,
          height: 10,
        }),
        s(
          doc,
          'text',
          { class: 'tsfx-stats-tick tsfx-stats-key-name', x: r1(at + 14), y: 12 },
          text,
        ),
      ];
    }),
  );
}

/** A legend entry's swatch and the space after its name. */
const KEY_ROOM = 30;

/** Room above an expanded plot: the legend's row when several datasets are drawn. */
export const plotTop = (datasets: number): number => (datasets > 1 ? LEGEND_H + 8 : 10);

/** The legend of `ds` (dataset indices) named as the view names them. */
export function legendOf(
  doc: Document,
  ds: readonly number[],
  names: readonly string[],
  plot: Plot,
): SVGGElement | null {
  if (ds.length < 2) return null;
  return chartLegend(
    doc,
    ds.map((d) => ({ d, name: names[d] ?? '' })),
    plot.left,
    plot.width,
  );
}
