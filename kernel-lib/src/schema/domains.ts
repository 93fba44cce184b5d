import { stringValuesWithCounts, type FeatureNameStatistics } from '@tsfx/protocol';

/**
 * Facts about a feature's statistics the schema rules need, read as TFDV's FeatureStatsView
 * reads them (string values come from the rank histogram).
 */

export function stringValues(stats: FeatureNameStatistics): string[] {
  return [...stringValuesWithCounts(stats).keys()];
}

export const BOOL_TRUE_VALUES: ReadonlySet<string> = new Set([
  'TRUE',
  'true',
  'SET',
  'set',
  '1',
  '',
]);
export const BOOL_FALSE_VALUES: ReadonlySet<string> = new Set([
  'FALSE',
  'false',
  'CLEAR',
  'clear',
  '0',
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** absl::SimpleAtoi into int64: optional whitespace and sign, decimal digits, in range. */
export function parseInt64(text: string): bigint | null {
  const m = /^\s*([+-]?)(\d+)\s*$/.exec(text);
  if (!m) return null;
  const value = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

const FLOAT_LITERAL =
  /^-?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)$/i;

/**
 * absl::SimpleAtof: ASCII whitespace trimmed, one optional `+` (not `+-`), then a decimal literal,
 * `inf`, `infinity` or `nan` in any case, rounded to a C float (out of range: ±inf).
 */
export function parseFloat32(text: string): number | null {
  let s = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (s.startsWith('+')) {
    s = s.slice(1);
    if (s.startsWith('-')) return null;
  }
  if (!FLOAT_LITERAL.test(s)) return null;
  const negative = s.startsWith('-');
  const body = negative ? s.slice(1) : s;
  if (/^nan/i.test(body)) return Number.NaN;
  const magnitude = /^inf/i.test(body) ? Infinity : Number(body);
  return Math.fround(negative ? -magnitude : magnitude);
}

/** TFDV's IsBoolDomainCandidate. */
export function isBoolDomainCandidate(stats: FeatureNameStatistics): boolean {
  if (stats.type === 'INT') {
    const n = stats.numStats;
    return n !== undefined && (n.min ?? 0) >= 0 && (n.max ?? 0) === 1;
  }
  if (stats.type !== 'STRING') return false;
  const tokens = stringValues(stats);
  if (tokens.length > 2 || tokens.length === 0) return false;
  let trueSeen = false;
  let falseSeen = false;
  for (const token of tokens) {
    if (!trueSeen && BOOL_TRUE_VALUES.has(token)) {
      trueSeen = true;
      continue;
    }
    if (!falseSeen && BOOL_FALSE_VALUES.has(token)) {
      falseSeen = true;
      continue;
    }
    return false;
  }
  return true;
}

/** TFDV's IsIntDomainCandidate: a string feature whose values all are int64 literals. */
export function isIntDomainCandidate(stats: FeatureNameStatistics): boolean {
  if (stats.type !== 'STRING') return false;
  const values = stringValues(stats);
  return values.length > 0 && values.every((v) => parseInt64(v) !== null);
}

/** TFDV's IsStringDomainCandidate: at most `enumThreshold` distinct values, and some. */
export function isStringDomainCandidate(
  stats: FeatureNameStatistics,
  enumThreshold: number,
): boolean {
  const values = stringValues(stats);
  return values.length > 0 && values.length <= enumThreshold;
}
