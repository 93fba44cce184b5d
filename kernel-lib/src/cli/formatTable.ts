/** A plain-text table with padded columns, for terminal output. */
export function formatTable(headers: string[], rows: unknown[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((c) => (c === null || c === undefined ? '-' : String(c)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '),
    )
    .join('\n');
}
