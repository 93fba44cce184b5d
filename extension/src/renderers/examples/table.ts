/**
 * A page of rows as a table: column names (wrapping after underscores) and types, a sort button
 * per column, the row numbers of the page in the split (or in what the filter keeps), values in
 * one format per column.
 */
import { h, valueClass } from '../../dom.js';
import { columnFormat, formatValue, timestampFormat } from '@tsfx/protocol';
import type { CellValue, ExamplesPageRequest, IntegerTimeFormat, ValueType } from '@tsfx/protocol';

type CellText = (v: CellValue) => { text: string; title?: string };

export interface Column {
  name: string;
  type: ValueType;
  /** The Unix time unit a schema gives the column (its values are dates), if it does. */
  timeFormat?: IntegerTimeFormat;
}

/**
 * How a column's values read: FLOAT columns in one format from the range of the rows shown,
 * INT columns a schema marks as Unix times, or timestamp-like ones, as dates (the number on
 * hover), the rest as they are.
 */
function columnText(column: Column, values: readonly CellValue[]): CellText {
  const { name, type } = column;
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const plain: CellText = (v) => ({ text: formatValue(v) });
  if (numbers.length === 0) return plain;
  if (type === 'FLOAT') {
    const format = columnFormat(numbers);
    return (v) => (typeof v === 'number' ? { text: format(v), title: String(v) } : plain(v));
  }
  const [min, max] = [Math.min(...numbers), Math.max(...numbers)];
  const date = type === 'INT' ? timestampFormat(name, min, max, column.timeFormat) : undefined;
  if (date)
    return (v) => (typeof v === 'number' ? { text: date(v), title: formatValue(v) } : plain(v));
  return plain;
}

/** A column name that may wrap after its underscores. */
function breakable(doc: Document, name: string): (string | HTMLElement)[] {
  return name.split(/(?<=_)(?=.)/).flatMap((part, i) => (i === 0 ? [part] : [h(doc, 'wbr'), part]));
}

type Sort = ExamplesPageRequest['sort'];

function header(doc: Document, c: Column, sort: Sort, onSort: (column: string) => void) {
  const sorted = sort?.column === c.name;
  const direction = sorted ? (sort.descending ? 'descending' : 'ascending') : 'none';
  const button = h(
    doc,
    'button',
    {
      class: 'tsfx-examples-sort',
      type: 'button',
      'data-column': c.name,
      title: `sort by ${c.name}`,
    },
    h(doc, 'span', { class: 'tsfx-col-name' }, ...breakable(doc, c.name)),
    sorted ? h(doc, 'span', { class: 'tsfx-sort-arrow' }, sort.descending ? ' ▼' : ' ▲') : null,
  );
  button.addEventListener('click', () => onSort(c.name));
  return h(
    doc,
    'th',
    { scope: 'col', 'data-type': c.type, 'aria-sort': direction },
    button,
    h(doc, 'span', { class: `tsfx-col-type tsfx-type-${c.type.toLowerCase()}` }, c.type),
  );
}

/** A page of rows to draw: numbered from `offset`; a header click asks to sort by its column. */
export interface RowsPage {
  columns: readonly Column[];
  rows: readonly (readonly CellValue[])[];
  offset: number;
  sort: Sort;
  onSort: (column: string) => void;
}

/** The rows of a page, numbered from `offset`; a header click asks to sort by its column. */
export function rowsTable(
  doc: Document,
  { columns, rows, offset, sort, onSort }: RowsPage,
): HTMLTableElement {
  const head = h(
    doc,
    'tr',
    undefined,
    h(doc, 'th', { class: 'tsfx-rownum', scope: 'col' }, '#'),
    ...columns.map((c) => header(doc, c, sort, onSort)),
  );
  const texts = columns.map((c, j) =>
    columnText(
      c,
      rows.map((row) => row[j] ?? null),
    ),
  );
  const body = rows.map((row, i) =>
    h(
      doc,
      'tr',
      undefined,
      h(doc, 'td', { class: 'tsfx-rownum' }, String(offset + i)),
      ...columns.map((_column, j) => {
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
    h(doc, 'tbody', undefined, ...body),
  );
}

/**
 * Consecutive columns grouped so that each group's widths add up to at most `room` (a column
 * wider than `room` alone in its group): the blocks a wide table wraps into.
 */
export function columnBlocks(widths: readonly number[], room: number): number[][] {
  const blocks: number[][] = [];
  let used = Infinity;
  widths.forEach((width, j) => {
    if (used + width > room) {
      blocks.push([]);
      used = 0;
    }
    blocks.at(-1)!.push(j);
    used += width;
  });
  return blocks;
}

/**
 * Draws the page into `wrap`: one table when it fits, else blocks of whole columns, one under
 * the other, each with the row numbers and as wide as `wrap` allows (as pandas wraps a wide frame),
 * so that nothing scrolls sideways and every column name reads whole.
 */
export function drawRows(wrap: HTMLElement, page: RowsPage): void {
  const doc = wrap.ownerDocument;
  const full = rowsTable(doc, page);
  wrap.replaceChildren(full);
  const room = wrap.clientWidth;
  // Before layout (a detached node, jsdom) nothing is measured: the one table stays.
  if (room === 0 || full.offsetWidth <= room) return;
  const [rownum, ...cells] = [...full.tHead!.rows[0]!.cells];
  const blocks = columnBlocks(
    cells.map((c) => c.getBoundingClientRect().width),
    room - rownum!.getBoundingClientRect().width - 1,
  );
  wrap.replaceChildren(
    ...blocks.map((block) => {
      const table = rowsTable(doc, {
        ...page,
        columns: block.map((j) => page.columns[j]!),
        rows: page.rows.map((row) => block.map((j) => row[j] ?? null)),
      });
      table.classList.add('tsfx-examples-block');
      table.dataset['columns'] = block.map((j) => page.columns[j]!.name).join(' ');
      return table;
    }),
  );
}
