import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RED } from '../../../kernel-lib/src/display/format';
import type { AnomaliesPayload, SchemaPayload, StatisticsPayload } from '@tsfx/protocol';
import { assertGoldenFile } from '../../golden';

/**
 * Golden-file comparison for the static views (in the way of Observable Plot's tests): a view
 * rendered from a fixed payload must equal its file under golden/; a mismatch leaves
 * `<name>-changed.<ext>` beside it (../../golden.ts). Run with UPDATE_GOLDEN=1 to rewrite the
 * files after an intended change (never under CI), then review the diff
 * (`git diff test/**\/golden`) and open the .html files in a browser.
 */

export const FIXTURES = join(__dirname, 'fixtures');
export const GOLDEN = join(__dirname, 'golden');

/**
 * The views contain no generated ids, dates or absolute paths, so only line ends and the final
 * newline are normalised (golden files checked out on Windows, editors adding a newline).
 */
export function normalise(text: string): string {
  return `${text.replace(/\r\n/g, '\n').trimEnd()}\n`;
}

export function assertGolden(name: string, actual: string): void {
  assertGoldenFile(join(GOLDEN, name), normalise(actual), normalise);
}

/** A view's HTML and plain text against golden/<name>.html and golden/<name>.txt. */
export function assertGoldenViews(name: string, html: string, text: string): void {
  assertGolden(`${name}.html`, html);
  assertGolden(`${name}.txt`, text);
}

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** Fresh copies of the fixtures (tests may change them). */
export const fixtures = {
  statisticsTaxi: () => fixture<StatisticsPayload>('statistics-taxi.json'),
  statisticsEdge: () => fixture<StatisticsPayload>('statistics-edge.json'),
  schemaTaxi: () => fixture<SchemaPayload>('schema-taxi.json'),
  schemaEdge: () => fixture<SchemaPayload>('schema-edge.json'),
  anomaliesTaxi: () => fixture<AnomaliesPayload>('anomalies-taxi.json'),
};

/** The `<tr>` rows of an HTML fragment whose text contains `text` (escaped as HTML). */
export function rowsWith(html: string, text: string): string[] {
  return (html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).filter((row) => row.includes(text));
}

/** Whether a cell (or any markup) is drawn in the views' red, the colour of suspicious values. */
export const isRed = (cell: string): boolean => cell.includes(`color:${RED}`);

/** The `<td>` cells of a row. */
export function cellsOf(row: string): string[] {
  return row.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
}

/** A cell's text: its markup removed, the entities escapeHtml writes decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** No markup that GitHub or nbviewer would strip or that would run code. */
export function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<style/i);
  assert.doesNotMatch(html, /<link/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /javascript:/i);
}
