/// <reference lib="dom" />
// The examples view beyond the payload's first rows: pages, a sort by a column and a filter are
// read from the split's Parquet files (kernel-lib's readExamplesPage, what `tsfx rows` answers
// the Jupyter server with), a page at a time. The split is 30 hand-made rows whose expected
// pages are worked out here from the same rule, independently of DuckDB.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import '../../dom-globals';
import type { ExamplesPageRequest, ExamplesPayload } from '@tsfx/protocol';
import { renderExamples } from '../../../../extension/src/renderers/examples/view';
import { readExamplesPage } from '../../../../kernel-lib/src/examples/parquetExamples';
import { sqlString, withDuckDB } from '../../../../kernel-lib/src/duckdb/withDuckDB';
import { newDocument } from '../../render-helpers';

/** Row i: id i, name `n<7i mod 30>`, score `37i mod 100` (missing when i is a multiple of 5). */
const ROWS = Array.from({ length: 30 }, (_, i) => ({
  id: i,
  name: `n${(7 * i) % 30}`,
  score: i % 5 === 0 ? null : (37 * i) % 100,
  trip_start_timestamp: 1357000200 + 3600 * i,
}));

let dir: string;
let payload: ExamplesPayload;
const requests: ExamplesPageRequest[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsfx-examples-paging-'));
  mkdirSync(join(dir, 'Split-train'));
  const values = ROWS.map(
    (r) => `(${r.id}, '${r.name}', ${r.score ?? 'NULL'}, ${r.trip_start_timestamp})`,
  ).join(', ');
  await withDuckDB(async (db) => {
    await db.run(
      `COPY (SELECT * FROM (VALUES ${values}) t(id, name, score, trip_start_timestamp))
       TO ${sqlString(join(dir, 'Split-train', 'data.parquet'))} (FORMAT parquet)`,
    );
  });
  payload = {
    kind: 'examples',
    artifact: { id: 1, type: 'Examples', uri: dir, producer: 'CsvExampleGen' },
    columns: [
      { name: 'id', type: 'INT' },
      { name: 'name', type: 'STRING' },
      { name: 'score', type: 'INT' },
      { name: 'trip_start_timestamp', type: 'INT' },
    ],
    splits: [
      {
        name: 'train',
        numRows: 30,
        sampleRows: ROWS.slice(0, 10).map((r) => [r.id, r.name, r.score, r.trip_start_timestamp]),
      },
    ],
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Renders the view reading pages from the Parquet file; resolves when a page is drawn. */
function view(): { root: HTMLElement; settled: () => Promise<void> } {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  let pending: Promise<unknown> = Promise.resolve();
  renderExamples(host, payload, (uri, request) => {
    requests.push(request);
    const page = readExamplesPage(uri, request);
    pending = page;
    return page;
  });
  const root = host.querySelector<HTMLElement>('.tsfx-examples')!;
  // Past the read, then past the view's await.
  const settled = async () => {
    await pending.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { root, settled };
}

const ids = (root: HTMLElement): number[] =>
  [...root.querySelectorAll('tbody tr')].map((tr) => Number(tr.children[1]!.textContent));
const caption = (root: HTMLElement) => root.querySelector('.tsfx-examples-caption')?.textContent;
const click = (el: Element | null) => (el as HTMLElement).click();

test('the first page is the payload’s rows; next and prev read further pages', async () => {
  requests.length = 0;
  const { root, settled } = view();
  assert.deepEqual(ids(root), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(caption(root), 'Rows 1–10 of 30 in "train"');
  assert.equal(requests.length, 0, 'the first page needs no request');
  assert.equal(root.querySelector<HTMLButtonElement>('.tsfx-examples-prev')!.disabled, true);
  click(root.querySelector('.tsfx-examples-next'));
  await settled();
  assert.deepEqual(ids(root), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.equal(caption(root), 'Rows 11–20 of 30 in "train"');
  assert.deepEqual(
    [...root.querySelectorAll('tbody tr')].map((tr) => tr.children[0]!.textContent).slice(0, 2),
    ['10', '11'],
    'row numbers follow the page',
  );
  click(root.querySelector('.tsfx-examples-next'));
  await settled();
  assert.deepEqual(ids(root), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  assert.equal(root.querySelector<HTMLButtonElement>('.tsfx-examples-next')!.disabled, true);
  click(root.querySelector('.tsfx-examples-prev'));
  await settled();
  assert.deepEqual(ids(root), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.deepEqual(requests.at(-1), { split: 'train', offset: 10, limit: 10 });
});

test('a header click sorts by its column (missing values last), a second reverses it', async () => {
  const { root, settled } = view();
  click(root.querySelector('button.tsfx-examples-sort[data-column="score"]'));
  await settled();
  const byScore = [...ROWS].sort((a, b) =>
    a.score === null ? 1 : b.score === null ? -1 : a.score - b.score || a.id - b.id,
  );
  assert.deepEqual(
    ids(root),
    byScore.slice(0, 10).map((r) => r.id),
  );
  assert.equal(root.querySelector('th[aria-sort="ascending"]')?.getAttribute('data-type'), 'INT');
  click(root.querySelector('button.tsfx-examples-sort[data-column="score"]'));
  await settled();
  const descending = [...ROWS].sort((a, b) =>
    a.score === null ? 1 : b.score === null ? -1 : b.score - a.score || a.id - b.id,
  );
  assert.deepEqual(
    ids(root),
    descending.slice(0, 10).map((r) => r.id),
  );
  // The last page of the descending order ends with the missing scores.
  click(root.querySelector('.tsfx-examples-next'));
  await settled();
  click(root.querySelector('.tsfx-examples-next'));
  await settled();
  assert.deepEqual(ids(root).slice(-6), [0, 5, 10, 15, 20, 25]);
});

test('the filter keeps the rows whose column contains the text; the pager counts them', async () => {
  const { root, settled } = view();
  const column = root.querySelector<HTMLSelectElement>('.tsfx-examples-filter-column')!;
  column.value = 'name';
  const text = root.querySelector<HTMLInputElement>('.tsfx-examples-filter')!;
  text.value = 'N1';
  text.dispatchEvent(new text.ownerDocument.defaultView!.Event('change'));
  await settled();
  const matching = ROWS.filter((r) => r.name.includes('n1'));
  assert.equal(caption(root), `Rows 1–10 of ${matching.length} matching in "train"`);
  assert.deepEqual(
    ids(root),
    matching.slice(0, 10).map((r) => r.id),
  );
  // A page size of 25 shows them all.
  const size = root.querySelector<HTMLSelectElement>('.tsfx-examples-size')!;
  size.value = '25';
  size.dispatchEvent(new size.ownerDocument.defaultView!.Event('change'));
  await settled();
  assert.deepEqual(
    ids(root),
    matching.map((r) => r.id),
  );
  text.value = 'zzz';
  text.dispatchEvent(new text.ownerDocument.defaultView!.Event('change'));
  await settled();
  assert.equal(caption(root), 'No row of "train" matches');
});

test('timestamp-like INT columns read as dates, the number on hover', () => {
  const { root } = view();
  const cell = root.querySelector('tbody tr')!.children[4]!;
  assert.equal(cell.textContent, '2013-01-01 00:30:00 UTC');
  assert.equal(cell.getAttribute('title'), '1357000200');
});

test('a read that fails says why and keeps the rows shown', async () => {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderExamples(host, payload, () => Promise.reject(new Error('404 Not Found')));
  const root = host.querySelector<HTMLElement>('.tsfx-examples')!;
  click(root.querySelector('.tsfx-examples-next'));
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(
    root.querySelector('.tsfx-examples-status')?.textContent,
    'Could not read the rows: 404 Not Found',
  );
  assert.deepEqual(ids(root), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a column that does not exist is an error naming the request field', async () => {
  await assert.rejects(
    readExamplesPage(dir, {
      split: 'train',
      offset: 0,
      limit: 5,
      sort: { column: 'nope', descending: false },
    }),
    /^TsfxError: sort\.column: no column "nope" in split train$/,
  );
});
