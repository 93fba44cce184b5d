/**
 * The state of a training view, without the DOM: the smoothing weight, the x axis, the hidden
 * runs, where the hover rule is and which control had the focus. The view keeps one per host
 * element, so that it survives the redraws of a live-updated output.
 */

export type XAxis = 'step' | 'relative' | 'wall';

export const DEFAULT_SMOOTHING = 0.6;
/** TensorBoard's largest smoothing weight (1 would never move from the first value). */
export const MAX_SMOOTHING = 0.999;

export class TrainingModel {
  private weight = DEFAULT_SMOOTHING;
  private axis: XAxis = 'step';
  private readonly hidden = new Set<string>();
  /** Per tag, the x (in the current axis) the hover rule is at. */
  private readonly hover = new Map<string, number>();
  /** The `data-control` of the control that had the keyboard focus, restored after an update. */
  focus: string | null = null;

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
