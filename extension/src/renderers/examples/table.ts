/**
 * A page of rows as a table: column names (wrapping after underscores) and types, a sort button
 * per column, the row numbers of the page in the split (or in what the filter keeps), values in
 * one format per column.
 */
import { h, valueClass } from '../../dom.js';
import { columnFormat, formatTimestamp, formatValue, isTimestampLike } from '@tsfx/protocol';
import type { CellValue, ExamplesPageRequest, ValueType } from '@tsfx/protocol';

type CellText = (v: CellValue) => { text: string; title?: string };

export interface Column {
  name: string;
  type: ValueType;
}

/**
 * How a column's values read: FLOAT columns in one format from the range of the rows shown,
 * timestamp-like INT columns as dates (the number on hover), the rest as they are.
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
      typeof v === 'number' ? { text: formatTimestamp(v), title: formatValue(v) } : plain(v);
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

/** The rows of a page, numbered from `offset`; a header click asks to sort by its column. */
export function rowsTable(
  doc: Document,
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
  offset: number,
  sort: Sort,
  onSort: (column: string) => void,
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
      c.name,
      c.type,
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
