/**
 * A chart card's toolbar, TensorBoard's: log scale for the y axis, fit to data (after a zoom),
 * full size (the card takes a whole row, drawn larger), and the downloads (data as CSV or JSON,
 * the chart as SVG or PNG).
 */
import { h } from '../../dom.js';
import { chartCsv, chartJson, downloadName, pngOf, saveBlob, standaloneSvg } from './export.js';
import type { Line } from './lines.js';
import type { TrainingModel } from './model.js';

function toolButton(
  doc: Document,
  tag: string,
  tool: string,
  label: string,
  title: string,
  pressed: boolean | null,
  onClick: () => void,
): HTMLButtonElement {
  const button = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'tsfx-training-tool',
      'data-tool': tool,
      'data-control': `${tool}:${tag}`,
      'aria-pressed': pressed === null ? null : String(pressed),
      'aria-label': `${title} (${tag})`,
      title,
    },
    label,
  );
  button.addEventListener('click', onClick);
  return button;
}

const DOWNLOADS = [
  { format: 'csv', label: 'CSV', title: 'the data as CSV' },
  { format: 'json', label: 'JSON', title: 'the data as JSON' },
  { format: 'svg', label: 'SVG', title: 'the chart as SVG' },
  { format: 'png', label: 'PNG', title: 'the chart as PNG' },
] as const;

type DownloadFormat = (typeof DOWNLOADS)[number]['format'];

async function download(
  doc: Document,
  format: DownloadFormat,
  tag: string,
  svg: SVGSVGElement,
  lines: readonly Line[],
): Promise<void> {
  const name = downloadName(tag, format);
  if (format === 'csv') saveBlob(doc, new Blob([chartCsv(lines)], { type: 'text/csv' }), name);
  else if (format === 'json')
    saveBlob(doc, new Blob([chartJson(lines)], { type: 'application/json' }), name);
  else if (format === 'svg')
    saveBlob(doc, new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), name);
  else saveBlob(doc, await pngOf(svg), name);
}

/** The download menu: a disclosure with one button per format. */
function downloadMenu(
  doc: Document,
  tag: string,
  svg: SVGSVGElement,
  lines: readonly Line[],
): HTMLElement {
  const menu = h(
    doc,
    'details',
    { class: 'tsfx-training-download' },
    h(
      doc,
      'summary',
      {
        class: 'tsfx-training-tool',
        title: 'Download the data or the chart',
        'aria-label': `Download (${tag})`,
        'data-control': `download:${tag}`,
      },
      'download',
    ),
  );
  const items = h(doc, 'div', { class: 'tsfx-training-download-menu', role: 'group' });
  for (const d of DOWNLOADS) {
    const button = h(
      doc,
      'button',
      {
        type: 'button',
        class: 'tsfx-training-tool',
        'data-download': d.format,
        title: `Download ${d.title}`,
      },
      d.label,
    );
    button.addEventListener('click', () => {
      menu.open = false;
      download(doc, d.format, tag, svg, lines).catch((error: unknown) => {
        console.error(`tsfx: the ${d.label} download of ${tag} failed`, error);
      });
    });
    items.append(button);
  }
  menu.append(items);
  return menu;
}

export function toolbar(
  doc: Document,
  tag: string,
  svg: SVGSVGElement,
  lines: readonly Line[],
  model: TrainingModel,
  redraw: () => void,
): HTMLElement {
  const fit = toolButton(doc, tag, 'fit', 'fit', 'Fit the axes to the data', null, () => {
    model.clearZoom(tag);
    redraw();
  });
  fit.disabled = model.zoomOf(tag) === undefined;
  return h(
    doc,
    'span',
    { class: 'tsfx-training-toolbar', role: 'toolbar', 'aria-label': `${tag} chart` },
    toolButton(doc, tag, 'log', 'log', 'Log scale (y axis)', model.isLog(tag), () => {
      model.toggleLog(tag);
      redraw();
    }),
    fit,
    toolButton(doc, tag, 'full', 'full size', 'Full size', model.isFullSize(tag), () => {
      model.toggleFullSize(tag);
      redraw();
    }),
    downloadMenu(doc, tag, svg, lines),
  );
}
