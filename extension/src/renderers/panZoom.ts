/**
 * Zoom and pan for an SVG drawing: the drawing's group is scaled and moved inside an SVG that
 * fills the output's width. It opens fitted to the view, never smaller than `minFit` (so that its
 * text stays legible; past that the drawing pans); buttons zoom in, out and fit again; a drag
 * pans; Ctrl + wheel (a pinch on a touchpad) zooms at the pointer.
 */
import { h, r1 } from '../dom.js';

export interface PanZoomOptions {
  /** The drawing's size at scale 1. */
  width: number;
  height: number;
  /** The smallest scale fitting may choose, and the largest (fitting never enlarges). */
  minFit: number;
  /** The tallest the view gets, in pixels. */
  maxHeight: number;
}

const ZOOM_STEP = 1.25;
const ZOOM_RANGE: readonly [number, number] = [0.2, 4];
/** Pointer moves below this many pixels are clicks, not drags. */
const DRAG_SLOP = 3;

export class PanZoom {
  scale = 1;
  x = 0;
  y = 0;
  /** Set once the reader zoomed or panned: a resize then no longer refits. */
  private moved = false;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly group: SVGGElement,
    private readonly o: PanZoomOptions,
  ) {
    this.apply();
    this.listen();
  }

  /** Fits the drawing to the SVG's width (and the tallest height), centred. */
  fit(): void {
    const viewW = this.svg.clientWidth;
    if (viewW === 0) return;
    const { width, height, minFit, maxHeight } = this.o;
    const k = Math.max(minFit, Math.min(1, viewW / width, maxHeight / height));
    this.scale = k;
    const viewH = Math.min(maxHeight, Math.ceil(height * k));
    this.svg.setAttribute('height', String(viewH));
    this.x = Math.max(0, (viewW - width * k) / 2);
    this.y = Math.max(0, (viewH - height * k) / 2);
    this.moved = false;
    this.apply();
  }

  /** Refits on a resize, unless the reader has moved the drawing. */
  resized(): void {
    if (!this.moved) this.fit();
  }

  /** Zooms by `factor` around the point (cx, cy) of the SVG (its centre by default). */
  zoomBy(factor: number, cx = this.svg.clientWidth / 2, cy = this.svg.clientHeight / 2): void {
    const k = Math.min(ZOOM_RANGE[1], Math.max(ZOOM_RANGE[0], this.scale * factor));
    this.x = cx - ((cx - this.x) * k) / this.scale;
    this.y = cy - ((cy - this.y) * k) / this.scale;
    this.scale = k;
    this.moved = true;
    this.apply();
  }

  /** The zoom buttons: in, out, fit. */
  controls(doc: Document): HTMLDivElement {
    const button = (label: string, title: string, act: () => void): HTMLButtonElement => {
      const b = h(
        doc,
        'button',
        { class: 'tsfx-zoom-button', type: 'button', title, 'aria-label': title },
        label,
      );
      b.addEventListener('click', act);
      return b;
    };
    return h(
      doc,
      'div',
      { class: 'tsfx-zoom', role: 'group', 'aria-label': 'Zoom' },
      button('+', 'zoom in', () => this.zoomBy(ZOOM_STEP)),
      button('−', 'zoom out', () => this.zoomBy(1 / ZOOM_STEP)),
      button('fit', 'fit to view', () => this.fit()),
    );
  }

  private apply(): void {
    this.group.setAttribute(
      'transform',
      `translate(${r1(this.x)},${r1(this.y)}) scale(${Number(this.scale.toFixed(4))})`,
    );
    this.svg.setAttribute('data-zoom', String(Number(this.scale.toFixed(4))));
  }

  private listen(): void {
    let drag: {
      id: number;
      x0: number;
      y0: number;
      px: number;
      py: number;
      moving: boolean;
    } | null = null;
    let dragged = false;
    // A drag is not a click on the node it started on.
    this.svg.addEventListener(
      'click',
      (ev) => {
        if (dragged) ev.stopPropagation();
        dragged = false;
      },
      { capture: true },
    );
    this.svg.addEventListener('pointerdown', (ev: PointerEvent) => {
      if (ev.button !== 0) return;
      dragged = false;
      drag = {
        id: ev.pointerId,
        x0: this.x,
        y0: this.y,
        px: ev.clientX,
        py: ev.clientY,
        moving: false,
      };
    });
    this.svg.addEventListener('pointermove', (ev: PointerEvent) => {
      if (!drag || ev.pointerId !== drag.id) return;
      const dx = ev.clientX - drag.px;
      const dy = ev.clientY - drag.py;
      if (!drag.moving && Math.hypot(dx, dy) < DRAG_SLOP) return;
      if (!drag.moving) this.svg.setPointerCapture?.(ev.pointerId);
      drag.moving = true;
      this.x = drag.x0 + dx;
      this.y = drag.y0 + dy;
      this.moved = true;
      this.svg.classList.add('tsfx-panning');
      this.apply();
    });
    const end = (ev: PointerEvent): void => {
      if (!drag || ev.pointerId !== drag.id) return;
      dragged = drag.moving;
      drag = null;
      this.svg.classList.remove('tsfx-panning');
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener(
      'wheel',
      (ev: WheelEvent) => {
        if (!ev.ctrlKey && !ev.metaKey) return;
        ev.preventDefault();
        const box = this.svg.getBoundingClientRect();
        this.zoomBy(Math.exp(-ev.deltaY / 200), ev.clientX - box.left, ev.clientY - box.top);
      },
      { passive: false },
    );
  }
}
