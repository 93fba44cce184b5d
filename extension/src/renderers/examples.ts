/**
 * Examples: the splits of an Examples artifact with their row counts and a scrollable sample
 * table (column names and types) of the selected split.
 */
import { EXAMPLES_MIME_TYPE } from '@tsfx/protocol';
import type { ExamplesPayload } from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { artifactLine } from '../artifact.js';
import { h, uniqueId, valueClass, viewHeader } from '../dom.js';
import {
  columnFormat,
  formatCount,
  formatTimestamp,
  formatValue,
  isTimestampLike,
} from '@tsfx/protocol';
import type { CellValue } from '@tsfx/protocol';

type CellText = (v: CellValue) => { text: string; title?: string };

/**
 * How a column's values read: FLOAT columns in one format from the range of the rows shown,
 * timestamp-like INT columns with their date on hover, the rest as they are.
 */
function columnText(name: string, type: string, values: readonly CellValue[]): CellText {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const plain: CellText = (v) => ({ text: formatValue(v) });
  if (numbers.length === 0) return plain;
  if (type === 'FLOAT') {
    const format = columnFormat(numbers);
    return (v) => (typeof v === 'number' ? { text: format(v), title: String(v) } : plain(v));
  }
  const [min, max] = [Math.min(...numbers), Math.max(...numbers)];
  if (type === 'INT' && isTimestampLike(name, min, max))
    return (v) =>
      typeof v === 'number' ? { text: formatValue(v), title: formatTimestamp(v) } : plain(v);
  return plain;
}

/** A column name that may wrap after its underscores. */
function breakable(doc: Document, name: string): (string | HTMLElement)[] {
  return name.split(/(?<=_)(?=.)/).flatMap((part, i) => (i === 0 ? [part] : [h(doc, 'wbr'), part]));
}

function sampleTable(
  doc: Document,
  payload: ExamplesPayload,
  splitIndex: number,
): HTMLTableElement {
  const split = payload.splits[splitIndex];
  const head = h(
    doc,
    'tr',
    undefined,
    h(doc, 'th', { class: 'tsfx-rownum', scope: 'col' }, '#'),
    ...payload.columns.map((c) =>
      h(
        doc,
        'th',
        { scope: 'col', 'data-type': c.type },
        h(doc, 'span', { class: 'tsfx-col-name' }, ...breakable(doc, c.name)),
        h(doc, 'span', { class: `tsfx-col-type tsfx-type-${c.type.toLowerCase()}` }, c.type),
      ),
    ),
  );
  const sample = split?.sampleRows ?? [];
  const texts = payload.columns.map((c, j) =>
    columnText(
      c.name,
      c.type,
      sample.map((row) => row[j] ?? null),
    ),
  );
  const rows = sample.map((row, i) =>
    h(
      doc,
      'tr',
      undefined,
      h(doc, 'td', { class: 'tsfx-rownum' }, String(i)),
      ...payload.columns.map((_column, j) => {
        const v = row[j] ?? null;
        const { text, title } = texts[j]!(v);
        return h(doc, 'td', { class: valueClass(v), title }, text);
      }),
    ),
  );
  return h(
    doc,
    'table',
    { class: 'tsfx-table tsfx-examples-table' },
    h(doc, 'thead', undefined, head),
    h(doc, 'tbody', undefined, ...rows),
  );
}

export function renderExamples(host: HTMLElement, payload: ExamplesPayload): void {
  const doc = host.ownerDocument;
  const total = payload.splits.reduce((sum, sp) => sum + sp.numRows, 0);
  const panelId = uniqueId('examples-sample');
  const tableWrap = h(doc, 'div', {
    class: 'tsfx-scroll tsfx-examples-sample',
    id: panelId,
    role: 'tabpanel',
  });
  const caption = h(doc, 'div', { class: 'tsfx-examples-caption' });
  const tabs: HTMLButtonElement[] = [];

  const select = (index: number): void => {
    tabs.forEach((tab, i) => {
      tab.classList.toggle('tsfx-selected', i === index);
      tab.setAttribute('aria-selected', String(i === index));
    });
    const split = payload.splits[index];
    const shown = split ? split.sampleRows.length : 0;
    caption.textContent = split
      ? `First ${formatCount(shown)} of ${formatCount(split.numRows)} rows of split "${split.name}"`
      : 'No splits';
    tableWrap.replaceChildren(sampleTable(doc, payload, index));
  };

  payload.splits.forEach((split, i) => {
    const share = total > 0 ? (100 * split.numRows) / total : 0;
    const tab = h(
      doc,
      'button',
      {
        class: 'tsfx-split',
        type: 'button',
        role: 'tab',
        'aria-controls': panelId,
        'data-split': split.name,
      },
      h(doc, 'span', { class: 'tsfx-split-name' }, split.name),
      h(doc, 'span', { class: 'tsfx-split-rows' }, `${formatCount(split.numRows)} rows`),
      h(doc, 'span', { class: 'tsfx-split-share' }, `${share.toFixed(1)}%`),
    );
    tab.addEventListener('click', () => select(i));
    tabs.push(tab);
  });

  const root = h(
    doc,
    'div',
    { class: 'tsfx-view tsfx-examples', 'data-artifact-id': payload.artifact.id },
    viewHeader(
      doc,
      'Examples',
      `${formatCount(total)} rows · ${payload.splits.length} split${payload.splits.length === 1 ? '' : 's'} · ${payload.columns.length} columns`,
    ),
    artifactLine(doc, payload.artifact),
    h(doc, 'div', { class: 'tsfx-splits', role: 'tablist', 'aria-label': 'Splits' }, ...tabs),
    caption,
    tableWrap,
  );
  host.append(root);
  select(0);
}

export const examplesRenderer: RendererSpec<'examples'> = {
  kind: 'examples',
  mimeType: EXAMPLES_MIME_TYPE,
  rootClass: 'tsfx-examples',
  render: renderExamples,
};
