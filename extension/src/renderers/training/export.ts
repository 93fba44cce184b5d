/**
 * A chart's downloads, as TensorBoard's scalars card offers them: its data as CSV and JSON (the
 * raw points of the runs it draws: wall time, step, value, as TensorBoard writes them, with the
 * run's name since a card overlays runs) and the chart itself as SVG or PNG.
 */
import type { Line } from './lines.js';

/** CSV: a `Run,Wall time,Step,Value` header, then each run's points in step order. */
export function chartCsv(lines: readonly Line[]): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = ['Run,Wall time,Step,Value'];
  for (const l of lines) {
    for (const p of inStepOrder(l)) {
      rows.push(`${quote(l.run.name)},${p.wallTime},${p.step},${p.value}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** JSON: per run, TensorBoard's `[wall time, step, value]` triples in step order. */
export function chartJson(lines: readonly Line[]): string {
  const out: Record<string, [number, number, number][]> = {};
  for (const l of lines) out[l.run.name] = inStepOrder(l).map((p) => [p.wallTime, p.step, p.value]);
  return JSON.stringify(out);
}

/** A line's points by step (a line is kept in x order, which by wall time may differ). */
const inStepOrder = (l: Line) => [...l.points].sort((a, b) => a.step - b.step);

/** A file name for a chart's download: `tsfx-training-<tag>.<ext>`, safe on every system. */
export function downloadName(tag: string, ext: string): string {
  return `tsfx-training-${tag.replace(/[^\w.-]+/g, '_')}.${ext}`;
}

/** The presentation properties copied inline, so that a downloaded SVG looks as in the page. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'visibility',
] as const;

/**
 * The chart as a standalone SVG document: a copy of the drawn SVG without the hover marks, with
 * the theme's computed colours and fonts inline (the page's CSS does not travel with the file)
 * and the card's background behind it.
 */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const view = svg.ownerDocument.defaultView;
  const live = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  if (view) {
    live.forEach((el, i) => {
      const style = view.getComputedStyle(el);
      const target = copies[i] as SVGElement;
      for (const name of STYLE_PROPERTIES) {
        const value = style.getPropertyValue(name);
        if (value) target.style.setProperty(name, value);
      }
    });
    const card = svg.closest('.tsfx-training-chart');
    const background = card ? view.getComputedStyle(card).backgroundColor : '';
    if (background) {
      const rect = svg.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'rect');
      rect.setAttribute('width', '100%');
      rect.setAttribute('height', '100%');
      rect.setAttribute('fill', background);
      copy.prepend(rect);
    }
  }
  for (const el of copy.querySelectorAll(
    '.tsfx-training-rule, .tsfx-training-hover-dots, .tsfx-training-overlay, .tsfx-training-zoom-box',
  )) {
    el.remove();
  }
  copy.removeAttribute('tabindex');
  copy.removeAttribute('data-control');
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(copy);
}

/** Saves `blob` as a file named `name` (an anchor with `download`, clicked). */
export function saveBlob(doc: Document, blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // The download has taken the URL by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The chart as PNG (at twice its drawn size, for sharp text), from its standalone SVG. */
export async function pngOf(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const doc = svg.ownerDocument;
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(
    new Blob([standaloneSvg(svg)], { type: 'image/svg+xml;charset=utf-8' }),
  );
  try {
    const image = new Image(width, height);
    image.src = url;
    await image.decode();
    const canvas = doc.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas to draw the PNG on');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('the PNG was not made'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
