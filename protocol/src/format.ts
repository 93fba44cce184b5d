/**
 * Number formatting shared by the kernel's HTML and text fallbacks and the JupyterLab views:
 * locale-independent (a notebook renders the same on every machine).
 */
import type { FeatureNameStatistics } from './proto/statistics';
import type { IntegerTimeFormat, Schema } from './proto/schema';

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

/**
 * One number format for a column of numbers (a feature's mean, std dev, min, median and max),
 * chosen once from the column's range so that its numbers read alike: grouped digits with as many
 * decimals as tell apart values a thousandth of the range apart, and two at least below a range
 * of 10,000 (`41.9031` for latitudes spanning 0.3, `11.85` for fares spanning 700, `1,408,348,140`
 * for timestamps spanning four years), or, past what
 * fixed digits show (1e15 and beyond, or every value under 1e-4), three significant digits with
 * an exponent. Zero, and whole values in an integer column (`integer`), print without decimals.
 */
export function columnFormat(
  values: readonly (number | null | undefined)[],
  options: { integer?: boolean } = {},
): (value: number | null | undefined) => string {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return formatNumber;
  const maxAbs = Math.max(...finite.map(Math.abs));
  if (maxAbs >= 1e15 || (maxAbs > 0 && maxAbs < 1e-4)) return exponentFormat;
  const span = Math.max(...finite) - Math.min(...finite) || maxAbs;
  const fewest = span < 1e4 ? 2 : 0;
  const decimals =
    span > 0
      ? Math.min(MAX_COLUMN_DECIMALS, Math.max(fewest, 3 - Math.floor(Math.log10(span))))
      : 0;
  return (value) => {
    if (value === null || value === undefined || !Number.isFinite(value))
      return formatNumber(value);
    if (value === 0 || (options.integer && Number.isInteger(value))) return formatCount(value);
    return fixedGrouped(value, decimals);
  };
}

const MAX_COLUMN_DECIMALS = 6;

/** `value` with `decimals` fixed decimals and grouped digits; never `-0`. */
function fixedGrouped(value: number, decimals: number): string {
  const fixed = value.toFixed(decimals);
  const [whole, fraction] = (/^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed).split('.');
  return fraction === undefined ? group(whole) : `${group(whole)}.${fraction}`;
}

function exponentFormat(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0)
    return formatNumber(value);
  return value.toExponential(2);
}

/** Unix seconds between these are read as dates (1973-03-03 to 2100-01-01). */
const SECONDS_RANGE: readonly [number, number] = [1e8, 4102444800];
const TIMESTAMP_NAME = /(^|_)(timestamp|ts|time|date|datetime)(_|$)|_at$/i;

/**
 * Whether an INT feature holds Unix timestamps in seconds by its name (`trip_start_timestamp`,
 * `created_at`, `event_time`) and its min and max, both dates between 1973 and 2100. (A schema
 * says so directly: see timestampFormat.)
 */
export function isTimestampLike(
  name: string,
  min: number | undefined,
  max: number | undefined,
): boolean {
  if (!TIMESTAMP_NAME.test(name)) return false;
  const [lo, hi] = SECONDS_RANGE;
  return min !== undefined && max !== undefined && min >= lo && max <= hi && min <= max;
}

/** Unix seconds as a UTC date and time, `2013-01-01 00:30:00 UTC` (whatever the locale). */
export function formatTimestamp(seconds: number): string {
  if (!Number.isFinite(seconds)) return formatNumber(seconds);
  const iso = new Date(Math.round(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** How a numeric feature's statistics are written, in the views and the fallbacks alike. */
export interface FeatureFormat {
  /** The feature's one number format (mean, std dev, min, median, max, histogram edges). */
  number: (value: number | null | undefined) => string;
  /** The value as a date, for timestamp-like features (shown on hover); else undefined. */
  date: ((value: number) => string) | undefined;
}

/** Seconds in one unit of each of the schema's Unix time formats. */
const SECONDS_PER_UNIT: Readonly<Record<IntegerTimeFormat, number | undefined>> = {
  FORMAT_UNKNOWN: undefined,
  UNIX_DAYS: 86400,
  UNIX_SECONDS: 1,
  UNIX_MILLISECONDS: 1e-3,
  UNIX_MICROSECONDS: 1e-6,
  UNIX_NANOSECONDS: 1e-9,
};

/**
 * The INT features a schema marks as Unix times (TFDV's `time_domain { integer_format: … }`), with
 * their unit, by feature name; the views show their values as dates.
 */
export type TimeFormats = Readonly<Record<string, IntegerTimeFormat>>;

/** The time domains of `schema`'s features that have a Unix time unit. */
export function schemaTimeFormats(schema: Schema): TimeFormats {
  const out: Record<string, IntegerTimeFormat> = {};
  for (const feature of schema.feature) {
    const unit = feature.timeDomain?.integerFormat;
    if (unit !== undefined && SECONDS_PER_UNIT[unit] !== undefined) out[feature.name] = unit;
  }
  return out;
}

/**
 * How an INT feature's values read as dates: in the unit the schema gives it (`annotation`),
 * else as Unix seconds when its name and range say so (isTimestampLike); undefined when they are
 * not dates.
 */
export function timestampFormat(
  name: string,
  min: number | undefined,
  max: number | undefined,
  annotation?: IntegerTimeFormat,
): ((value: number) => string) | undefined {
  const seconds = annotation === undefined ? undefined : SECONDS_PER_UNIT[annotation];
  if (seconds !== undefined)
    return seconds === 1 ? formatTimestamp : (value) => formatTimestamp(value * seconds);
  return isTimestampLike(name, min, max) ? formatTimestamp : undefined;
}

/**
 * The format of a numeric feature from its statistics in each dataset (undefined: absent), its
 * dates in the unit of its schema annotation, if it has one.
 */
export function featureFormat(
  name: string,
  stats: readonly (FeatureNameStatistics | undefined)[],
  annotation?: IntegerTimeFormat,
): FeatureFormat {
  const numeric = stats.flatMap((f) => (f?.numStats ? [f.numStats] : []));
  const lows = numeric.flatMap((n) => (n.min === undefined ? [] : [n.min]));
  const highs = numeric.flatMap((n) => (n.max === undefined ? [] : [n.max]));
  const integer = stats.some((f) => f?.type === 'INT');
  const min = lows.length > 0 ? Math.min(...lows) : undefined;
  const max = highs.length > 0 ? Math.max(...highs) : undefined;
  return {
    number: columnFormat([min, max], { integer }),
    date: integer ? timestampFormat(name, min, max, annotation) : undefined,
  };
}
