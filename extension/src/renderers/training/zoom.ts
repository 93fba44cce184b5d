/**
 * Drag to zoom, double-click to fit, as on a TensorBoard scalars card: a drag over the plot draws
 * a box and zooms the chart into it (both axes); a double-click (or the toolbar's fit button)
 * goes back to the ranges of the data.
 */
import { r1, s } from '../../dom.js';
import { svgPoint } from './hover.js';
import type { TrainingModel } from './model.js';
import { M } from './scales.js';
import type { ChartScales } from './scales.js';

/** A drag shorter than this (px, either way) is a click, not a zoom. */
const MIN_DRAG = 4;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function addZoom(
  doc: Document,
  svg: SVGSVGElement,
  tag: string,
  sc: ChartScales,
  model: TrainingModel,
  redraw: () => void,
): void {
  const view = doc.defaultView;
  const overlay = svg.querySelector('.tsfx-training-overlay');
  if (!view || !overlay) return;
  const inPlot = (px: number, py: number): [number, number] => [
    clamp(px, M.left, M.left + sc.plotW),
    clamp(py, M.top, M.top + sc.plotH),
  ];
  overlay.addEventListener('mousedown', (ev) => {
    const down = ev as MouseEvent;
    if (down.button !== 0) return;
    down.preventDefault();
    const [x0, y0] = inPlot(...svgPoint(svg, sc, down.clientX, down.clientY));
    const box = s(doc, 'rect', {
      class: 'tsfx-training-zoom-box',
      x: x0,
      y: y0,
      width: 0,
      height: 0,
    });
    svg.append(box);
    let end: [number, number] = [x0, y0];
    const move = (e: MouseEvent): void => {
      end = inPlot(...svgPoint(svg, sc, e.clientX, e.clientY));
      box.setAttribute('x', r1(Math.min(x0, end[0])));
      box.setAttribute('y', r1(Math.min(y0, end[1])));
      box.setAttribute('width', r1(Math.abs(end[0] - x0)));
      box.setAttribute('height', r1(Math.abs(end[1] - y0)));
    };
    const up = (e: MouseEvent): void => {
      view.removeEventListener('mousemove', move);
      view.removeEventListener('mouseup', up);
      move(e);
      box.remove();
      if (Math.abs(end[0] - x0) < MIN_DRAG || Math.abs(end[1] - y0) < MIN_DRAG) return;
      const zoomed = model.setZoom(tag, {
        x0: sc.ix(x0),
        x1: sc.ix(end[0]),
        y0: sc.iy(y0),
        y1: sc.iy(end[1]),
      });
      if (zoomed) redraw();
    };
    view.addEventListener('mousemove', move);
    view.addEventListener('mouseup', up);
  });
  overlay.addEventListener('dblclick', () => {
    if (model.zoomOf(tag) === undefined) return;
    model.clearZoom(tag);
    redraw();
  });
}
