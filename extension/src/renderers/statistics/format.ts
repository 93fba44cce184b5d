/** How the statistics view writes numbers: statistics as Facets shows them, and shares. */

/** Creating a number format is slow: one, reused (toLocaleString would create one per call). */
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const GROUPED_SMALL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 7 });

/** A statistic as Facets shows it: grouped digits, two decimals, exponents if huge or tiny. */
export function formatStat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  const a = Math.abs(n);
  // Integers in full (census tracts, timestamps); other large or tiny numbers with an exponent.
  if (Number.isInteger(n) && a < 1e15) return GROUPED.format(n);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return n.toExponential(2).replace('e+', 'e');
  // Two decimals from 1 on (11.81, 700.07, 41.89); four significant digits below (0.01234).
  return (a >= 1 ? GROUPED : GROUPED_SMALL).format(a >= 1 ? n : Number(n.toPrecision(4)));
}

/** A share in [0, 1] as a percentage: two decimals below 1%, one above. */
export function formatShare(share: number): string {
  if (share === 0) return '0%';
  const pct = share * 100;
  return `${pct < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}
