/** Small helpers for the static HTML fallbacks (what GitHub and nbviewer show). */

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A plain table; `null` cells read as "—" (missing). */
export function htmlTable(
  headers: string[],
  rows: unknown[][],
  options: { caption?: string } = {},
): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell) =>
            cell === null || cell === undefined
              ? '<td style="color:#888">—</td>'
              : `<td>${escapeHtml(cell)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  const caption = options.caption
    ? `<caption style="text-align:left">${escapeHtml(options.caption)}</caption>`
    : '';
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
