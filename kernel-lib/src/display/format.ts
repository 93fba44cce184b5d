/**
 * Formatting shared by the statistics, schema and anomalies fallbacks: locale-independent
 * numbers (a notebook renders the same on every machine), tables whose cells carry inline styles
 * (GitHub and nbviewer keep `style` attributes but drop `<style>` and scripts), and aligned plain
 * text tables for `text/plain`.
 */

import type { ArtifactRef } from '@tsfx/protocol';
import { escapeHtml } from './html';

/** Warning colour of suspicious values (readable on light backgrounds). */
export const RED = '#c62828';
export const SUSPICIOUS_STYLE = `color:${RED};font-weight:bold`;
export const MUTED_STYLE = 'color:#777';
/** Marker appended to suspicious values in the plain text views. */
export const TEXT_FLAG = '!';

export const TABLE_STYLE = 'border-collapse:collapse;font-size:12px;margin:4px 0 10px';
const TH_STYLE = 'padding:2px 5px;border-bottom:1px solid #bbb;text-align:left';
const TD_STYLE = 'padding:1px 5px;border-bottom:1px solid #e4e4e4;vertical-align:top';

/** A table cell: plain text (escaped), or HTML with optional style, tooltip and row span. */
export type Cell =
  | string
  | number
  | null
  | { html: string; style?: string; title?: string; rowspan?: number; colspan?: number };

/** Plain text as a styled cell. */
export function textCell(
  text: string,
  options: { style?: string; title?: string; rowspan?: number; colspan?: number } = {},
): Cell {
  return { html: escapeHtml(text), ...options };
}

function cellHtml(cell: Cell): string {
  if (cell === null) return `<td style="${TD_STYLE};${MUTED_STYLE}">—</td>`;
  if (typeof cell !== 'object') return `<td style="${TD_STYLE}">${escapeHtml(cell)}</td>`;
  const attrs = [
    cell.rowspan && cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : '',
    cell.colspan && cell.colspan > 1 ? ` colspan="${cell.colspan}"` : '',
    cell.title ? ` title="${escapeHtml(cell.title)}"` : '',
  ].join('');
  const style = cell.style ? `${TD_STYLE};${cell.style}` : TD_STYLE;
  return `<td style="${style}"${attrs}>${cell.html}</td>`;
}

/** A table with inline styles; `caption` is plain text. Rows may hold fewer cells (row spans). */
export function styledTable(
  headers: string[],
  rows: Cell[][],
  options: { caption?: string; style?: string } = {},
): string {
  const { caption } = options;
  const head = headers.map((h) => `<th style="${TH_STYLE}">${escapeHtml(h)}</th>`).join('');
  const cap = caption
    ? `<caption style="text-align:left;font-weight:bold;padding:2px 0">${escapeHtml(caption)}</caption>`
    : '';
  const body = rows.map((row) => `<tr>${row.map(cellHtml).join('')}</tr>`).join('\n');
  const style = options.style ? `${TABLE_STYLE};${options.style}` : TABLE_STYLE;
  return `<table style="${style}">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A plain text table: columns padded to their widest cell, a rule under the header. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(Array.from(h).length, ...rows.map((r) => Array.from(r[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i] - Array.from(c).length))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

type ArtifactNames = Pick<ArtifactRef, 'id' | 'uri' | 'producer'>;

/** `artifact 3`, or `artifact` when its id is unknown (a view of a file). */
const artifactWord = ({ id }: ArtifactNames): string =>
  id === null ? 'artifact' : `artifact ${id}`;

/** One line about the artifact, as the other fallbacks word it. */
export function artifactLine(artifact: ArtifactNames): string {
  return `${artifactWord(artifact)}${artifact.producer ? ` from ${escapeHtml(artifact.producer)}` : ''} at <code>${escapeHtml(artifact.uri)}</code>`;
}

export function artifactText(artifact: ArtifactNames): string {
  return `${artifactWord(artifact)}${artifact.producer ? ` from ${artifact.producer}` : ''} at ${artifact.uri}`;
}
