/**
 * The state of a training view, without the DOM: the smoothing weight, the x axis, the hidden
 * runs, where the hover rule is and which control had the focus; TensorBoard's scalars settings
 * (ignore outliers, card width, run and tag filters) and per chart its log scale, zoomed box and
 * full-size mode. The view keeps one per host element, so that it survives the redraws of a
 * live-updated output.
 */
import type { Zoom } from './scales.js';

export type XAxis = 'step' | 'relative' | 'wall';

export const DEFAULT_SMOOTHING = 0.6;
/** TensorBoard's largest smoothing weight (1 would never move from the first value). */
export const MAX_SMOOTHING = 0.999;
/** The card width range (px), TensorBoard's slider's; the default fills a 960 px output by 3. */
export const CARD_WIDTH = { min: 240, max: 800, step: 20, initial: 300 } as const;

/**
 * A filter's regular expression (case-insensitive, as TensorBoard's), null for an empty one;
 * undefined for one that does not compile (the view then filters nothing and says so).
 */
export function filterRegex(source: string): RegExp | null | undefined {
  if (source.trim() === '') return null;
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined;
  }
}

export class TrainingModel {
  private weight = DEFAULT_SMOOTHING;
  private axis: XAxis = 'step';
  private readonly hidden = new Set<string>();
  /** Per tag, the x (in the current axis) the hover rule is at. */
  private readonly hover = new Map<string, number>();
  /** The `data-control` of the control that had the keyboard focus, restored after an update. */
  focus: string | null = null;
  /** TensorBoard's "ignore outliers in chart scaling" (off: every point is in view). */
  ignoreOutliers = false;
  private width: number = CARD_WIDTH.initial;
  /** The run and tag filters as typed. */
  runFilter = '';
  tagFilter = '';
  private readonly logTags = new Set<string>();
  private readonly fullTags = new Set<string>();
  private readonly zooms = new Map<string, Zoom>();

  get smoothing(): number {
    return this.weight;
  }

  /** Sets the smoothing weight, clamped to [0, 0.999]; a value that is not a number is ignored. */
  setSmoothing(v: number): boolean {
    if (!Number.isFinite(v)) return false;
    this.weight = Math.min(MAX_SMOOTHING, Math.max(0, v));
    return true;
  }

  get xAxis(): XAxis {
    return this.axis;
  }

  /** Changes the x axis; the hover positions (x values in the old axis) are dropped. */
  setXAxis(axis: XAxis): void {
    this.axis = axis;
    this.hover.clear();
    this.zooms.clear();
  }

  get cardWidth(): number {
    return this.width;
  }

  /** Sets the card width, clamped and rounded to the slider's steps; not a number is ignored. */
  setCardWidth(px: number): boolean {
    if (!Number.isFinite(px)) return false;
    const { min, max, step } = CARD_WIDTH;
    this.width = Math.min(max, Math.max(min, Math.round(px / step) * step));
    return true;
  }

  /** Whether a run is drawn: not hidden, and its name matches the run filter (if it compiles). */
  showsRun(run: string): boolean {
    return !this.hidden.has(run) && this.matchesRunFilter(run);
  }

  matchesRunFilter(run: string): boolean {
    const re = filterRegex(this.runFilter);
    return re ? re.test(run) : true;
  }

  /** Whether a tag's chart is drawn: its name matches the tag filter (if it compiles). */
  showsTag(tag: string): boolean {
    const re = filterRegex(this.tagFilter);
    return re ? re.test(tag) : true;
  }

  isLog(tag: string): boolean {
    return this.logTags.has(tag);
  }

  /** Toggles a chart's log y axis; its zoom (a box in the other scale's terms) is dropped. */
  toggleLog(tag: string): void {
    if (!this.logTags.delete(tag)) this.logTags.add(tag);
    this.zooms.delete(tag);
  }

  isFullSize(tag: string): boolean {
    return this.fullTags.has(tag);
  }

  toggleFullSize(tag: string): void {
    if (!this.fullTags.delete(tag)) this.fullTags.add(tag);
  }

  zoomOf(tag: string): Zoom | undefined {
    return this.zooms.get(tag);
  }

  /** Zooms a chart into a box (corners in any order); an empty box is ignored. */
  setZoom(tag: string, box: Zoom): boolean {
    const zoom = {
      x0: Math.min(box.x0, box.x1),
      x1: Math.max(box.x0, box.x1),
      y0: Math.min(box.y0, box.y1),
      y1: Math.max(box.y0, box.y1),
    };
    if (!(zoom.x1 > zoom.x0 && zoom.y1 > zoom.y0)) return false;
    this.zooms.set(tag, zoom);
    this.hover.delete(tag);
    return true;
  }

  /** Fit to data: back to the ranges of the chart's lines. */
  clearZoom(tag: string): void {
    this.zooms.delete(tag);
  }

  isHidden(run: string): boolean {
    return this.hidden.has(run);
  }

  toggleRun(run: string): void {
    if (this.hidden.has(run)) this.hidden.delete(run);
    else this.hidden.add(run);
  }

  hoverAt(tag: string): number | undefined {
    return this.hover.get(tag);
  }

  setHover(tag: string, x: number): void {
    this.hover.set(tag, x);
  }

  clearHover(tag: string): void {
    this.hover.delete(tag);
  }
}
