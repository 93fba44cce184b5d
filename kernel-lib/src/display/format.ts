/**
 * Formatting shared by the statistics, schema and anomalies fallbacks: locale-independent
 * numbers (a notebook renders the same on every machine), tables whose cells carry inline styles
 * (GitHub and nbviewer keep `style` attributes but drop `<style>` and scripts), and aligned plain
 * text tables for `text/plain`.
 */

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

/** `1234567` → `1,234,567`, whatever the locale. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  return group(String(Math.round(value)));
}

/** Thousands separators in a string of digits (with an optional sign). */
const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Whole numbers in full (`17031081500` → `17,031,081,500`), others to about 4 significant digits:
 * `41.8987` → `41.9`, `1.40813e9` → `1.408e+9`, `0.0123` → `0.0123`.
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  // Whole numbers (counts, ids, timestamps) in full while they are exact.
  if (Number.isInteger(value) && abs < 1e15) return formatCount(value);
  if (abs >= 1e6 || abs < 1e-3) {
    const [mantissa, exponent] = value.toExponential(3).split('e');
    return `${mantissa.replace(/\.?0+$/, '')}e${exponent}`;
  }
  const decimals = Math.max(0, 3 - Math.floor(Math.log10(abs)));
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  const [whole, fraction] = trimmed.split('.');
  return fraction === undefined ? group(whole) : `${group(whole)}.${fraction}`;
}

/** `part` of `whole` as a percentage with one decimal; never rounds to 0% or 100% falsely. */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0)) return '—';
  if (part === 0) return '0%';
  if (part === whole) return '100%';
  const percent = (100 * part) / whole;
  if (percent < 0.1) return '<0.1%';
  if (percent > 99.9) return '>99.9%';
  return `${percent.toFixed(1)}%`;
}

/** Cuts `text` to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

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

/** One line about the artifact, as the other fallbacks word it. */
export function artifactLine(artifact: {
  id: number;
  uri: string;
  producer: string | null;
}): string {
  return `artifact ${artifact.id}${artifact.producer ? ` from ${escapeHtml(artifact.producer)}` : ''} at <code>${escapeHtml(artifact.uri)}</code>`;
}

export function artifactText(artifact: {
  id: number;
  uri: string;
  producer: string | null;
}): string {
  return `artifact ${artifact.id}${artifact.producer ? ` from ${artifact.producer}` : ''} at ${artifact.uri}`;
}
