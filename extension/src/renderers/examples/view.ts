/**
 * Examples: the splits of an Examples artifact with their row counts, and a page of the selected
 * split's rows. The payload carries the first rows of each split; further pages, a sort by a
 * column (a click on its header) and a filter (a column containing a text) are read from the
 * split's Parquet files on demand through a RowSource, a page at a time.
 */
import type { ExamplesPage, ExamplesPageRequest, ExamplesPayload } from '@tsfx/protocol';
import { formatCount } from '@tsfx/protocol';
import { artifactLine } from '../../artifact.js';
import { h, uniqueId, viewHeader } from '../../dom.js';
import { serverRows, type RowSource } from './rows.js';
import { drawRows } from './table.js';

/** The page sizes offered; the first is the payload's sample size. */
export const PAGE_SIZES = [10, 25, 100] as const;

/** How long typing in the filter box pauses before the rows are read again. */
export const FILTER_DELAY_MS = 300;

/** What the view shows of the selected split: the request that gives it, and its answer. */
interface PageState {
  request: ExamplesPageRequest;
  page: ExamplesPage;
}

/** The payload's own rows answer a request for the first rows in file order. */
function fromSample(payload: ExamplesPayload, request: ExamplesPageRequest): ExamplesPage | null {
  const split = payload.splits.find((s) => s.name === request.split);
  if (!split || request.sort || request.filter || request.offset !== 0) return null;
  const enough = split.sampleRows.length >= Math.min(request.limit, split.numRows);
  if (!enough) return null;
  return {
    split: split.name,
    offset: 0,
    total: split.numRows,
    rows: split.sampleRows.slice(0, request.limit),
  };
}

/** Previous and next page buttons, the rows shown, and the page size. */
function pager(doc: Document) {
  const prev = h(
    doc,
    'button',
    { class: 'tsfx-examples-prev', type: 'button', 'aria-label': 'previous page' },
    '‹ prev',
  );
  const next = h(
    doc,
    'button',
    { class: 'tsfx-examples-next', type: 'button', 'aria-label': 'next page' },
    'next ›',
  );
  const size = h(
    doc,
    'select',
    { class: 'tsfx-examples-size', 'aria-label': 'Rows per page' },
    ...PAGE_SIZES.map((n) => h(doc, 'option', { value: n }, String(n))),
  );
  const caption = h(doc, 'span', { class: 'tsfx-examples-caption', role: 'status' });
  const bar = h(
    doc,
    'div',
    { class: 'tsfx-examples-pager' },
    prev,
    next,
    caption,
    h(doc, 'label', undefined, size, ' per page'),
  );
  return { bar, prev, next, size, caption };
}

/** The filter: a column, and the text its values contain. */
function filterControls(doc: Document, payload: ExamplesPayload) {
  const inputId = uniqueId('examples-filter');
  const column = h(
    doc,
    'select',
    { class: 'tsfx-examples-filter-column', 'aria-label': 'Filter column' },
    ...payload.columns.map((c) => h(doc, 'option', { value: c.name }, c.name)),
  );
  const text = h(doc, 'input', {
    class: 'tsfx-examples-filter',
    id: inputId,
    type: 'search',
    placeholder: 'contains…',
    'aria-label': 'Filter text',
  });
  const bar = h(
    doc,
    'div',
    { class: 'tsfx-examples-controls' },
    h(doc, 'label', { for: inputId }, 'Filter '),
    column,
    text,
  );
  return { bar, column, text };
}

/** What the caption says of a page. */
function captionText(state: PageState): string {
  const { request, page } = state;
  if (page.total === 0)
    return request.filter
      ? `No row of "${request.split}" matches`
      : `No rows in "${request.split}"`;
  const first = page.offset + 1;
  const last = page.offset + page.rows.length;
  const of = request.filter ? `${formatCount(page.total)} matching` : formatCount(page.total);
  return `Rows ${formatCount(first)}–${formatCount(last)} of ${of} in "${request.split}"`;
}

export function renderExamples(
  host: HTMLElement,
  payload: ExamplesPayload,
  source: RowSource = serverRows,
): void {
  const doc = host.ownerDocument;
  const total = payload.splits.reduce((sum, sp) => sum + sp.numRows, 0);
  const panelId = uniqueId('examples-sample');
  const tableWrap = h(doc, 'div', {
    class: 'tsfx-scroll tsfx-examples-sample',
    id: panelId,
    role: 'tabpanel',
  });
  const status = h(doc, 'div', { class: 'tsfx-examples-status', role: 'alert' });
  const pages = pager(doc);
  const filter = filterControls(doc, payload);
  const tabs: HTMLButtonElement[] = [];
  let state: PageState | null = null;
  // Answers can come back out of order: only the latest request's is drawn.
  let latest = 0;

  // Each column with the Unix time unit the schema gives it, if any.
  const columns = payload.columns.map((c) => ({ ...c, timeFormat: payload.timeFormats?.[c.name] }));
  const draw = (next: PageState): void => {
    state = next;
    const { request, page } = next;
    tabs.forEach((tab) => {
      const on = tab.dataset['split'] === request.split;
      tab.classList.toggle('tsfx-selected', on);
      tab.setAttribute('aria-selected', String(on));
    });
    pages.caption.textContent = captionText(next);
    pages.prev.disabled = page.offset === 0;
    pages.next.disabled = page.offset + page.rows.length >= page.total;
    drawRows(tableWrap, {
      columns,
      rows: page.rows,
      offset: page.offset,
      sort: request.sort,
      onSort: sortBy,
    });
  };

  const load = async (request: ExamplesPageRequest): Promise<void> => {
    const ticket = ++latest;
    const sample = fromSample(payload, request);
    if (sample) {
      status.textContent = '';
      draw({ request, page: sample });
      return;
    }
    root.setAttribute('aria-busy', 'true');
    try {
      const page = await source(payload.artifact.uri, request);
      if (ticket !== latest) return;
      status.textContent = '';
      draw({ request, page });
    } catch (error) {
      if (ticket !== latest) return;
      status.textContent = `Could not read the rows: ${(error as Error).message}`;
    } finally {
      if (ticket === latest) root.removeAttribute('aria-busy');
    }
  };

  /** The current request changed by `change`, from its first page unless it says otherwise. */
  const update = (change: Partial<ExamplesPageRequest>): void => {
    if (!state) return;
    void load({ ...state.request, offset: 0, ...change });
  };

  function sortBy(column: string): void {
    const sort = state?.request.sort;
    // Ascending, then descending, then file order again.
    const next =
      sort?.column !== column
        ? { column, descending: false }
        : sort.descending
          ? undefined
          : { column, descending: true };
    update({ sort: next });
  }

  const filtered = (): void => {
    const contains = filter.text.value;
    update({ filter: contains === '' ? undefined : { column: filter.column.value, contains } });
  };
  // While typing, a pause of FILTER_DELAY_MS filters; Enter (or leaving the box) at once.
  let typing: number | undefined;
  const win = doc.defaultView;
  filter.text.addEventListener('input', () => {
    if (typing !== undefined) win?.clearTimeout(typing);
    typing = win?.setTimeout(filtered, FILTER_DELAY_MS);
  });
  filter.text.addEventListener('change', () => {
    if (typing !== undefined) win?.clearTimeout(typing);
    if (filter.text.value !== (state?.request.filter?.contains ?? '')) filtered();
  });
  filter.column.addEventListener('change', () => {
    if (filter.text.value !== '') filtered();
  });
  pages.prev.addEventListener('click', () => {
    if (state) update({ offset: Math.max(0, state.request.offset - state.request.limit) });
  });
  pages.next.addEventListener('click', () => {
    if (state) update({ offset: state.request.offset + state.request.limit });
  });
  pages.size.addEventListener('change', () => update({ limit: Number(pages.size.value) }));

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
    tab.addEventListener('click', () => update({ split: payload.splits[i]!.name }));
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
    filter.bar,
    pages.bar,
    status,
    tableWrap,
  );
  host.append(root);
  // The column blocks are laid out again when the output's width changes.
  const Observer = doc.defaultView?.ResizeObserver;
  let width = -1;
  if (Observer)
    new Observer(() => {
      if (tableWrap.clientWidth === width) return;
      width = tableWrap.clientWidth;
      if (state) draw(state);
    }).observe(tableWrap);
  const first = payload.splits[0];
  if (first) {
    void load({ split: first.name, offset: 0, limit: PAGE_SIZES[0] });
  } else {
    pages.caption.textContent = 'No splits';
    pages.prev.disabled = true;
    pages.next.disabled = true;
  }
}
