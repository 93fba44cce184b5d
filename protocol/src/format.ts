/**
 * Number formatting shared by the kernel's HTML and text fallbacks and the JupyterLab views:
 * locale-independent (a notebook renders the same on every machine).
 */

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

/** A JSON scalar as shown in a table cell. */
export function formatValue(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    return Number(v.toPrecision(6)).toString();
  }
  return String(v);
}
